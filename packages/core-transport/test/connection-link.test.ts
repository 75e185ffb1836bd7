import { systemClock } from '@krakenkit/plugin-api';
import { startSim } from '@krakenkit/sim';
import { describe, expect, it } from 'vitest';
import { createConnection, nextEvent } from './support/connection-harness.js';
import { ThrottleProxy } from './support/throttle-proxy.js';

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
});
