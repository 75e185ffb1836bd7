import type { VirtualClock } from '@krakenkit/host/testing';

/**
 * Waits for `promise` while moving virtual time in `stepMs` steps and letting real I/O
 * (the sim on loopback) run between steps. For code whose timers run on the virtual clock.
 */
export async function settleOnVirtualTime<T>(
  clock: VirtualClock,
  promise: Promise<T>,
  options: { stepMs?: number; maxSteps?: number } = {},
): Promise<T> {
  let done = false;
  promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  const { stepMs = 50, maxSteps = 4_000 } = options;
  for (let step = 0; !done && step < maxSteps; step++) await clock.advanceAsync(stepMs);
  if (!done) throw new Error(`did not settle within ${stepMs * maxSteps} ms of virtual time`);
  return promise;
}

/** Polls until `condition` holds while real I/O runs (no virtual time passes); fails after `timeoutMs`. */
export async function until(condition: () => boolean, what = 'condition', timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise<void>((resolve) => setTimeout(resolve, 2));
  }
}
