import type { TimerHandle } from '@krakenkit/plugin-api';
import type { SimClock } from '../sim-clock.js';

/** A timer that may re-arm: `handle` is always the live one. */
export interface TimerSlot {
  handle: TimerHandle | undefined;
}

/** Cancels a {@link scheduleAt} timer. */
export function cancelTimer(clock: SimClock, slot: TimerSlot): void {
  clock.clearTimeout(slot.handle);
  slot.handle = undefined;
}

/** Node clamps timer delays above 2^31−1 ms (about 24.8 days) to 1 ms: longer waits re-arm. */
const longestDelayMs = 2_147_483_647;

/**
 * Calls `callback` once server time reaches `at` (epoch ms), through the sim's clock so a
 * virtual clock drives it. Waits longer than Node's timer limit (GTD up to a month) are
 * chained, and a timer that fires early (the clock-offset fault moved server time back)
 * re-arms. The returned handle slot always holds the live timer, for cancelling.
 */
export function scheduleAt(clock: SimClock, at: number, callback: () => void): TimerSlot {
  const slot: TimerSlot = { handle: undefined };
  const arm = () => {
    const delay = at - clock.now();
    if (delay <= 0 && slot.handle !== undefined) {
      slot.handle = undefined;
      callback();
      return;
    }
    slot.handle = clock.setTimeout(arm, Math.min(Math.max(delay, 0), longestDelayMs));
    slot.handle.unref();
  };
  arm();
  return slot;
}
