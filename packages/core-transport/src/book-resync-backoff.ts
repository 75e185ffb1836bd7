/** How quickly repeated resyncs of one symbol back off. */
export interface ResyncBackoffOptions {
  /** Delay before the second consecutive resync; the first is immediate. Default 1 000 ms. */
  initialDelayMs?: number;
  /** Upper bound of the delay. Default 60 000 ms. */
  maxDelayMs?: number;
  /** Growth per further consecutive failure. Default 2. */
  multiplier?: number;
}

export const defaultResyncBackoff: Required<ResyncBackoffOptions> = {
  initialDelayMs: 1_000,
  maxDelayMs: 60_000,
  multiplier: 2,
};

/**
 * Delay before resync attempt number `consecutive` (1-based count of back-to-back failures
 * of the same symbol): 0 for the first (a single mismatch is usually a one-off), then
 * `initialDelayMs`, growing by `multiplier`, capped at `maxDelayMs`. Deterministic: the
 * socket layer adds jitter if it wants some, from its injected random source.
 */
export function resyncDelayMs(consecutive: number, options: Required<ResyncBackoffOptions>): number {
  if (consecutive <= 1) return 0;
  const delay = options.initialDelayMs * options.multiplier ** (consecutive - 2);
  return Math.min(options.maxDelayMs, delay);
}
