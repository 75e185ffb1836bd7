import { describe, expect, it } from 'vitest';
import { sleep, systemClock } from './clock.js';

describe('sleep', () => {
  it('resolves after the delay on the given clock', async () => {
    const started = systemClock.monotonic();
    await sleep(systemClock, 20);
    expect(systemClock.monotonic() - started).toBeGreaterThanOrEqual(15);
  });

  it('rejects with the abort reason, before and during the wait', async () => {
    const reason = new Error('stop');
    await expect(sleep(systemClock, 10, AbortSignal.abort(reason))).rejects.toBe(reason);
    const controller = new AbortController();
    const pending = sleep(systemClock, 60_000, controller.signal);
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });
});
