import { describe, expect, it } from 'vitest';
import { createVirtualClock } from './virtual-clock.js';

describe('VirtualClock', () => {
  it('fires timers in due order with the clock set to each due time', () => {
    const clock = createVirtualClock({ now: 1_000_000, monotonic: 0 });
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.monotonic()}/${clock.now()}`), 200);
    clock.setTimeout(() => fired.push(`a@${clock.monotonic()}`), 100);
    clock.setTimeout(() => fired.push(`c@${clock.monotonic()}`), 200);
    clock.advance(150);
    expect(fired).toEqual(['a@100']);
    expect(clock.monotonic()).toBe(150);
    clock.advance(100);
    expect(fired).toEqual(['a@100', 'b@200/1000200', 'c@200']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('repeats intervals, fires timers scheduled by timers, and cancels', () => {
    const clock = createVirtualClock();
    const fired: number[] = [];
    const interval = clock.setInterval(() => fired.push(clock.monotonic()), 10);
    clock.setTimeout(() => clock.setTimeout(() => fired.push(-clock.monotonic()), 5), 12);
    clock.advance(35);
    expect(fired).toEqual([10, -17, 20, 30]);
    clock.clearInterval(interval);
    const cancelled = clock.setTimeout(() => fired.push(999), 1);
    clock.clearTimeout(cancelled);
    clock.advance(100);
    expect(fired).toEqual([10, -17, 20, 30]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('jumps the wall clock without moving monotonic time or timers', () => {
    const clock = createVirtualClock({ now: 10_000_000 });
    let fired = false;
    clock.setTimeout(() => {
      fired = true;
    }, 50);
    clock.jumpWallClock(-3_600_000);
    expect(clock.now()).toBe(6_400_000);
    expect(clock.monotonic()).toBe(0);
    expect(fired).toBe(false);
    clock.advance(50);
    expect(fired).toBe(true);
  });

  it('lets async reactions to a timer finish before the next timer (advanceAsync)', async () => {
    const clock = createVirtualClock();
    const log: string[] = [];
    clock.setTimeout(async () => {
      log.push('first');
      await Promise.resolve();
      await Promise.resolve();
      log.push('first-done');
    }, 10);
    clock.setTimeout(() => log.push('second'), 20);
    await clock.advanceAsync(20);
    expect(log).toEqual(['first', 'first-done', 'second']);
  });

  it('supports ref/unref on handles', () => {
    const clock = createVirtualClock();
    const handle = clock.setTimeout(() => undefined, 1);
    expect(handle.hasRef()).toBe(true);
    handle.unref();
    expect(handle.hasRef()).toBe(false);
  });
});
