import { systemClock } from '@krakenkit/plugin-api';
import { startSim } from '@krakenkit/sim';
import { waitUntil } from '@krakenkit/test-support';
import { describe, expect, it } from 'vitest';
import {
  bookStoreToken,
  marketDataToken,
  publicConnectionToken,
  subscriptionRegistryToken,
} from '../src/core-transport-tokens.js';
import { createConnection, nextEvent } from './support/connection-harness.js';
import { ThrottleProxy } from './support/throttle-proxy.js';
import { startTransport } from './support/transport-host.js';

describe('KrakenConnection on an unusual link (real time)', () => {
  it('does not call a slow link dead while a big frame is still arriving', { timeout: 20_000 }, async () => {
    await using sim = await startSim({ marketSpeed: 0 });
    const proxy = await ThrottleProxy.start(sim.urls.publicWs, 100_000);
    try {
      const { connection, events } = createConnection(proxy.url(sim.urls.publicWs), {
        clock: systemClock,
        liveness: { idlePingMs: 400, deadlineMs: 1_000, keepAlivePingMs: 20_000 },
      });
      connection.start();
      await nextEvent(connection, 'connection-open');
      const before = connection.stats.bytesIn;
      // ~300 kB at 100 kB/s: three times the deadline to deliver one frame.
      sim.control.inject({ kind: 'send-oversized', bytes: 300_000 });
      const deadline = Date.now() + 10_000;
      while (connection.stats.messagesIn < 2 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(connection.stats.bytesIn - before).toBeGreaterThan(300_000);
      expect(events.filter((entry) => entry.event === 'liveness-timeout')).toEqual([]);
      expect(connection.state === 'open' || connection.state === 'degraded').toBe(true);
      await connection.stop();
    } finally {
      await proxy.close();
    }
  });

  it('closes on a 20 MB frame (1009, over the inbound limit), counts it, and reconnects', {
    timeout: 20_000,
  }, async () => {
    await using sim = await startSim({ marketSpeed: 0 });
    const { connection, clock } = createConnection(sim.urls.publicWs);
    connection.start();
    await nextEvent(connection, 'connection-open');
    const closed = nextEvent<{ code: number }>(connection, 'connection-close', 15_000);
    sim.control.inject({ kind: 'send-oversized', bytes: 20 * 1024 * 1024 });
    await closed;
    expect(connection.stats.oversizedFrames).toBe(1);
    expect(connection.state).toBe('reconnecting');
    const reopened = nextEvent(connection, 'connection-open');
    await (clock as unknown as { advanceAsync(ms: number): Promise<void> }).advanceAsync(1_000);
    await reopened;
    expect(process.memoryUsage().rss).toBeLessThan(1.5 * 1024 ** 3);
    await connection.stop();
  });

  it('reassembles fragmented frames (1–7-byte TCP writes): verified books, no parse errors', {
    timeout: 20_000,
  }, async () => {
    await using sim = await startSim({ marketSpeed: 10 });
    const proxy = await ThrottleProxy.start(sim.urls.publicWs, 0, 'slicer');
    try {
      await using host = await startTransport(sim, { publicUrl: proxy.url(sim.urls.publicWs) });
      const books = host.get(bookStoreToken);
      await host
        .get(subscriptionRegistryToken)
        .subscribe({ channel: 'book', symbol: 'BTC/USD', params: { depth: 10 } });
      await waitUntil(() => (books.book('BTC/USD')?.version ?? 0) > 20, {
        timeoutMs: 15_000,
        what: '20 verified updates',
      });
      expect(host.get(marketDataToken).decoder.stats().rejected).toBe(0);
      expect(books.stats().checksumMismatches).toBe(0);
      expect(host.get(publicConnectionToken).stats.livenessTimeouts).toBe(0);
    } finally {
      await proxy.close();
    }
  });
});
