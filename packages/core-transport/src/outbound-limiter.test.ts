import { createVirtualClock } from '@krakenkit/host/testing';
import { describe, expect, it } from 'vitest';
import { OutboundLimiter, OutboundQueueFullError } from './outbound-limiter.js';

describe('OutboundLimiter', () => {
  it('lets the burst through at once, then paces at the sustained rate', async () => {
    const clock = createVirtualClock();
    const limiter = new OutboundLimiter({ messagesPerSecond: 10, burst: 5 }, clock);
    const sentAt: number[] = [];
    const all = Array.from({ length: 25 }, () =>
      limiter.acquire('bulk').then(() => sentAt.push(clock.monotonic())),
    );
    await clock.advanceAsync(2_000);
    await Promise.all(all);
    expect(sentAt.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(sentAt.at(-1)).toBe(2_000);
    // never more than burst + rate × t in any prefix
    for (const [index, at] of sentAt.entries())
      expect(index + 1).toBeLessThanOrEqual(5 + (at / 1000) * 10 + 1e-9);
  });

  it('serves urgent messages before queued bulk ones', async () => {
    const clock = createVirtualClock();
    const limiter = new OutboundLimiter({ messagesPerSecond: 10, burst: 1 }, clock);
    const order: string[] = [];
    await limiter.acquire('bulk');
    const bulk = Array.from({ length: 5 }, (_, i) =>
      limiter.acquire('bulk').then(() => order.push(`bulk${i}`)),
    );
    const urgent = limiter.acquire('urgent').then(() => order.push('urgent'));
    await clock.advanceAsync(1_000);
    await Promise.all([...bulk, urgent]);
    expect(order[0]).toBe('urgent');
  });

  it('rejects waiters on clear and refuses beyond the queue limit', async () => {
    const clock = createVirtualClock();
    const limiter = new OutboundLimiter({ messagesPerSecond: 1, burst: 1, maxQueued: 2 }, clock);
    await limiter.acquire('urgent');
    const waiting = [limiter.acquire('bulk'), limiter.acquire('bulk')];
    await expect(limiter.acquire('bulk')).rejects.toBeInstanceOf(OutboundQueueFullError);
    const reason = new Error('gone');
    limiter.clear(reason);
    for (const promise of waiting) await expect(promise).rejects.toBe(reason);
    expect(limiter.queued).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });
});
