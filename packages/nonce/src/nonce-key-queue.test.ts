import { createVirtualClock } from '@krakenkit/host/testing';
import { describe, expect, it } from 'vitest';
import { NonceKeyQueue } from './nonce-key-queue.js';

describe('NonceKeyQueue', () => {
  it('grants one holder per key at a time, in arrival order, and keys independently', async () => {
    const queue = new NonceKeyQueue(createVirtualClock());
    const timeout = () => new Error('timeout');
    const order: string[] = [];
    const first = await queue.acquire('a', 1_000, timeout);
    const waiters = ['w1', 'w2', 'w3'].map((name) =>
      queue.acquire('a', 1_000, timeout).then((release) => {
        order.push(name);
        return release;
      }),
    );
    const other = await queue.acquire('b', 1_000, timeout);
    expect(queue.isHeld('b')).toBe(true);
    other();
    expect(queue.isHeld('b')).toBe(false);
    await Promise.resolve();
    expect(order).toEqual([]);
    first();
    first(); // twice is harmless
    for (const waiter of waiters) (await waiter)();
    expect(order).toEqual(['w1', 'w2', 'w3']);
    expect(queue.isHeld('a')).toBe(false);
  });

  it('times a waiter out on the clock and leaves the queue consistent', async () => {
    const clock = createVirtualClock();
    const queue = new NonceKeyQueue(clock);
    const held = await queue.acquire('k', 100, () => new Error('unused'));
    const late = queue.acquire('k', 100, () => new Error('timed out'));
    const patient = queue.acquire('k', 10_000, () => new Error('unused'));
    clock.advance(100);
    await expect(late).rejects.toThrow('timed out');
    held();
    (await patient)();
    expect(queue.isHeld('k')).toBe(false);
    expect(clock.pendingTimers).toBe(0);
  });
});
