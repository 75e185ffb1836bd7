import { NonceArgumentError, NonceExhaustedError } from './nonce-errors.js';

/**
 * The unit of a key's clock-based nonces. Kraken compares nonces as integers only, so any
 * scale works, but **a key must never move to a smaller scale**: after `ns` (19 digits) the
 * `ms` clock (13 digits) is far below every nonce already used, and Kraken rejects them all.
 * Moving up (`ms` → `us` → `ns`) is safe once.
 */
export type NonceScale = 'ms' | 'us' | 'ns';

/** Scales from smallest to largest. */
export const nonceScales = ['ms', 'us', 'ns'] as const satisfies readonly NonceScale[];

/** The largest nonce Kraken accepts: 2^64 − 1. */
export const maxNonce: bigint = 2n ** 64n - 1n;

const unitsPerMs: Readonly<Record<NonceScale, bigint>> = { ms: 1n, us: 1_000n, ns: 1_000_000n };

/** Position of a scale in {@link nonceScales}; a larger rank is a finer scale. */
export function nonceScaleRank(scale: NonceScale): number {
  return nonceScales.indexOf(scale);
}

/** How many nonce units one millisecond is at `scale`. */
export function nonceUnitsPerMs(scale: NonceScale): bigint {
  return unitsPerMs[scale];
}

/**
 * The clock-based candidate: wall-clock ms scaled to `scale`. Sub-millisecond uniqueness
 * comes from {@link nextNonce} (`last + 1` wins within one ms), never from `hrtime`, which
 * is not anchored to the epoch and differs between hosts and boots.
 */
export function clockNonce(nowMs: number, scale: NonceScale): bigint {
  // A broken clock (NaN, negative) must not break monotonicity: `last + 1` still applies.
  if (!Number.isFinite(nowMs) || nowMs < 0) return 0n;
  return BigInt(Math.floor(nowMs)) * unitsPerMs[scale];
}

/**
 * `max(last + 1, clockBased)`: strictly above every nonce issued before, and tracking the
 * clock while the clock is ahead. Throws {@link NonceExhaustedError} past 2^64 − 1 instead of
 * handing out a value Kraken cannot parse.
 */
export function nextNonce(last: bigint, clockBased: bigint, keyHash: string): bigint {
  const candidate = clockBased > last ? clockBased : last + 1n;
  if (candidate > maxNonce) throw new NonceExhaustedError(keyHash);
  return candidate;
}

const decimalPattern = /^(0|[1-9][0-9]*)$/;

/** Parses a nonce written as a plain decimal string in the uint64 range. */
export function parseNonce(text: unknown, what: string): bigint {
  if (typeof text !== 'string' || text.length > 20 || !decimalPattern.test(text)) {
    throw new NonceArgumentError(
      `${what} must be a decimal string of an unsigned 64-bit integer (e.g. '1767225600000000000'), got ${describeValue(text)}.`,
    );
  }
  const value = BigInt(text);
  if (value > maxNonce) {
    throw new NonceArgumentError(`${what} ${text} exceeds the uint64 maximum ${maxNonce}.`);
  }
  return value;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string')
    return value.length > 24 ? `a ${value.length}-character string` : `'${value}'`;
  return typeof value;
}
