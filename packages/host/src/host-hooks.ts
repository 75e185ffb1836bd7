import type { Clock, LifecycleHook } from '@krakenkit/plugin-api';
import { HookTimeoutError } from './host-errors.js';

/**
 * Runs one lifecycle hook with a deadline. The hook gets an AbortSignal that fires on the
 * deadline or when `cancel` aborts (stop during start); the host stops waiting at that
 * moment instead of trusting the hook to notice.
 */
export async function runHook(
  hook: LifecycleHook,
  options: {
    pluginId: string;
    phase: 'start' | 'stop';
    timeoutMs: number;
    clock: Clock;
    cancel?: AbortSignal;
  },
): Promise<void> {
  const controller = new AbortController();
  let timer: ReturnType<Clock['setTimeout']> | undefined;
  let onCancel: (() => void) | undefined;
  const interrupted = new Promise<never>((_, reject) => {
    timer = options.clock.setTimeout(() => {
      const error = new HookTimeoutError(options.pluginId, options.phase, options.timeoutMs);
      controller.abort(error);
      reject(error);
    }, options.timeoutMs);
    const { cancel } = options;
    if (cancel) {
      onCancel = () => {
        controller.abort(cancel.reason);
        reject(cancel.reason);
      };
      if (cancel.aborted) onCancel();
      else cancel.addEventListener('abort', onCancel, { once: true });
    }
  });
  try {
    await Promise.race([Promise.resolve().then(() => hook(controller.signal)), interrupted]);
  } finally {
    options.clock.clearTimeout(timer);
    if (onCancel) options.cancel?.removeEventListener('abort', onCancel);
  }
}
