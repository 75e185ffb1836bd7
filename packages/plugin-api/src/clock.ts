/** Opaque timer handle (a Node `Timeout` satisfies it). */
export interface TimerHandle {
  unref(): unknown;
  ref(): unknown;
  hasRef(): boolean;
}

/**
 * Time as plugins see it. Everything time-dependent (liveness, backoff, token expiry, the
 * dead man's switch) reads this interface so tests can run it on virtual time.
 */
export interface Clock {
  /** Wall-clock time in ms since the Unix epoch. May jump (NTP, manual changes). */
  now(): number;
  /** Monotonic time in ms for durations and deadlines. Never goes backwards. */
  monotonic(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
  setInterval(callback: () => void, intervalMs: number): TimerHandle;
  clearInterval(handle: TimerHandle | undefined): void;
}

/** The real clock: `Date.now`, `performance.now` and Node's timers. */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimeout: (callback: () => void, delayMs: number) => setTimeout(callback, delayMs),
  clearTimeout: (handle: TimerHandle | undefined) => clearTimeout(handle as NodeJS.Timeout | undefined),
  setInterval: (callback: () => void, intervalMs: number) => setInterval(callback, intervalMs),
  clearInterval: (handle: TimerHandle | undefined) => clearInterval(handle as NodeJS.Timeout | undefined),
});

/**
 * Resolves after `delayMs` on `clock`; rejects with the signal's reason if it aborts first.
 * The timer is unref'd so a pending sleep never keeps the process alive on its own.
 */
export function sleep(clock: Clock, delayMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clock.clearTimeout(handle);
      reject(signal?.reason);
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, delayMs);
    handle.unref();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
