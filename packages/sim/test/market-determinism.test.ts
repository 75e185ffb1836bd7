import { createVirtualClock } from '@krakenkit/host/testing';
import { describe, expect, it } from 'vitest';
import { startSim } from '../src/index.js';
import { SimClient } from './support/sim-client.js';

// Same seed, same client behaviour, same virtual time: byte-identical public streams.

async function record(seed: string, steps: number): Promise<string[]> {
  const clock = createVirtualClock({ now: Date.UTC(2026, 0, 5, 9) });
  await using sim = await startSim({ seed, clock, marketSpeed: 5, limits: { idleTimeoutMs: 3_600_000 } });
  const client = await SimClient.connect(sim.urls.publicWs);
  await client.next((message) => message.channel === 'status');
  client.request('subscribe', { channel: 'book', symbol: ['BTC/USD', 'POL/USD'], depth: 25 }, 1);
  client.request('subscribe', { channel: 'trade', symbol: ['BTC/USD', 'PEPE/USD', 'ETH/USD'] }, 2);
  client.request('subscribe', { channel: 'ticker', symbol: ['ETH/USD'], event_trigger: 'bbo' }, 3);
  client.request('subscribe', { channel: 'ohlc', symbol: ['POL/USD'], interval: 1 }, 4);
  await client.next((message) => message.req_id === 4);
  for (let step = 0; step < steps; step++) await clock.advanceAsync(250);
  const reqId = client.request('ping', undefined, 99);
  await client.next((message) => message.req_id === reqId);
  expect(sim.control.internalErrors()).toEqual([]);
  await client.close();
  return client.raw;
}

describe('determinism', () => {
  it('two sims with the same seed send byte-identical streams; another seed differs', async () => {
    const [first, second, other] = await Promise.all([
      record('det', 40),
      record('det', 40),
      record('other', 40),
    ]);
    expect(first.length).toBeGreaterThan(300);
    expect(first.some((text) => text.includes('"channel":"trade","type":"update"'))).toBe(true);
    expect(second).toEqual(first);
    const channelData = (frames: string[]) => frames.filter((text) => text.startsWith('{"channel":"book"'));
    expect(channelData(other)).not.toEqual(channelData(first));
  });
});
