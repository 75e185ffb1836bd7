import { createVirtualClock } from '@krakenkit/host/testing';
import { describe, expect, it } from 'vitest';
import { startSim } from '../src/index.js';
import { SimClient } from './support/sim-client.js';

// Kraken's status rules for the background market: nothing matches unless `online`;
// `cancel_only` only cancels, `post_only` only posts, `maintenance` stands still.

describe('system status and the background market', () => {
  it('does not trade in cancel_only, post_only or maintenance, and resumes online', async () => {
    const clock = createVirtualClock({ now: Date.UTC(2026, 0, 5, 12) });
    await using sim = await startSim({ clock, marketSpeed: 10, limits: { idleTimeoutMs: 3_600_000 } });
    const client = await SimClient.connect(sim.urls.publicWs);
    await client.next((message) => message.channel === 'status');
    client.request(
      'subscribe',
      { channel: 'trade', symbol: ['BTC/USD', 'ETH/USD', 'POL/USD', 'PEPE/USD'] },
      1,
    );
    client.request('subscribe', { channel: 'book', symbol: ['BTC/USD', 'ETH/USD'], snapshot: false }, 2);
    await client.next((message) => message.req_id === 2 && message.result !== undefined);
    await client.next((message) => message.req_id === 2 && message.result !== undefined);

    const period = async () => {
      const from = client.raw.length;
      for (let step = 0; step < 20; step++) await clock.advanceAsync(250);
      const reqId = client.request('ping');
      await client.next((message) => message.method === 'pong' && message.req_id === reqId);
      const frames = client.raw
        .slice(from)
        .map((text) => JSON.parse(text) as { channel?: string; data?: unknown });
      return {
        trades: frames.filter((frame) => frame.channel === 'trade').length,
        books: frames.filter((frame) => frame.channel === 'book').length,
        status: frames.filter((frame) => frame.channel === 'status').length,
      };
    };

    expect((await period()).trades).toBeGreaterThan(10);
    for (const status of ['cancel_only', 'post_only', 'maintenance'] as const) {
      sim.control.setStatus(status);
      const seen = await period();
      expect(seen.trades, status).toBe(0);
      expect(seen.status, status).toBe(1);
      if (status === 'maintenance') expect(seen.books).toBe(0);
      else expect(seen.books, status).toBeGreaterThan(0);
    }
    sim.control.setStatus('online');
    expect((await period()).trades).toBeGreaterThan(10);
    expect(sim.control.internalErrors()).toEqual([]);
    await client.close();
  });
});
