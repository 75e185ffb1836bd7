import { describe, expect, it } from 'vitest';
import { BufferedQueue } from './buffered-queue.js';
import { ConflatingQueue } from './conflating-queue.js';

describe('ConflatingQueue', () => {
  it('keeps the latest item per key in first-arrival order and counts every drop', () => {
    const queue = new ConflatingQueue<string, number>();
    for (let i = 0; i < 1_000; i++)
      queue.push(i % 3 === 0 ? 'BTC/USD' : i % 3 === 1 ? 'ETH/USD' : 'SOL/USD', i);
    expect(queue.size).toBe(3);
    expect(queue.dropped).toBe(997);
    expect(queue.shift()).toEqual({ key: 'BTC/USD', value: 999 });
    queue.push('XRP/USD', 1_000);
    expect(queue.drain()).toEqual([997, 998, 1_000]);
    expect(queue.shift()).toBeUndefined();
    expect(queue.stats()).toEqual({ depth: 0, maxDepth: 3, pushed: 1_001, delivered: 4, dropped: 997 });
    expect(queue.stats().pushed).toBe(queue.stats().delivered + queue.stats().dropped + queue.stats().depth);
  });

  it('bounds the number of keys, evicting (and counting) the oldest', () => {
    const queue = new ConflatingQueue<number, number>({ maxKeys: 2 });
    queue.push(1, 1);
    queue.push(2, 2);
    queue.push(3, 3);
    expect(queue.drain()).toEqual([2, 3]);
    expect(queue.dropped).toBe(1);
  });
});

describe('BufferedQueue', () => {
  it('never drops, keeps order, and raises an alarm past the threshold', () => {
    const queue = new BufferedQueue<number>({ alarmDepth: 100, recoverDepth: 10 });
    const events: string[] = [];
    queue.on('queue-alarm', (event) => events.push(`alarm@${event.depth}`));
    queue.on('queue-recover', (event) => events.push(`recover@${event.depth}`));
    for (let i = 0; i < 5_000; i++) queue.push(i);
    expect(events).toEqual(['alarm@100']);
    expect(queue.isAlarmed).toBe(true);
    const received: number[] = [];
    for (let value = queue.shift(); value !== undefined; value = queue.shift()) {
      received.push(value);
      if (received.length === 2_000) received.push(...queue.drain(500));
    }
    expect(received).toEqual(Array.from({ length: 5_000 }, (_, i) => i));
    expect(events).toEqual(['alarm@100', 'recover@10']);
    expect(queue.stats()).toEqual({
      depth: 0,
      maxDepth: 5_000,
      pushed: 5_000,
      delivered: 5_000,
      dropped: 0,
      alarms: 1,
    });
  });
});
