const maxUint64 = 2n ** 64n - 1n;

/** Accepted nonces remembered per key inside the window; past this the oldest are forgotten. */
const maxRemembered = 4096;

/**
 * Reads a nonce's decimal text as Kraken's unsigned 64-bit integer. Anything else (sign,
 * exponent, fraction, spaces, > 2^64 − 1) is not a nonce.
 */
export function parseNonce(text: string | undefined): bigint | undefined {
  if (text === undefined || !/^\d{1,20}$/.test(text)) return undefined;
  const value = BigInt(text);
  return value > maxUint64 ? undefined : value;
}

/**
 * One API key's nonce state (PROTOCOL §2.4). Kraken requires each nonce to be strictly
 * greater than the last one it accepted for the key; the key's optional nonce window lets
 * nonces arrive a little out of order. Kraken documents the setting but not its exact rule,
 * so the sim defines it:
 *
 * - window 0 (the default): accepted iff `nonce > last` (the highest nonce accepted so far);
 * - window w > 0: accepted iff `nonce > last`, or `nonce > last − w` and that nonce was
 *   never accepted before. The window is in nonce units (with millisecond nonces, w = 1000
 *   tolerates one second of reordering).
 *
 * Accepted nonces inside the window are remembered to refuse replays; if more than 4096 are
 * inside it at once, the oldest are forgotten and everything at or below them is refused.
 */
export class NonceTracker {
  #last = 0n;
  /** Nonces at or below this are refused (forgotten part of the window). */
  #floor = 0n;
  readonly #seen = new Set<bigint>();

  constructor(readonly window: bigint) {}

  /** The highest nonce accepted so far (0 before the first). */
  get last(): bigint {
    return this.#last;
  }

  /** Whether `nonce` would be accepted now (does not record it). */
  acceptable(nonce: bigint): boolean {
    if (nonce > this.#last) return true;
    if (this.window === 0n) return false;
    return nonce > this.#last - this.window && nonce > this.#floor && !this.#seen.has(nonce);
  }

  /** Records an accepted nonce. Call only after {@link NonceTracker.acceptable} said yes. */
  accept(nonce: bigint): void {
    if (nonce > this.#last) this.#last = nonce;
    if (this.window === 0n) return;
    this.#seen.add(nonce);
    const oldest = this.#last - this.window;
    for (const seen of this.#seen) if (seen <= oldest) this.#seen.delete(seen);
    if (this.#seen.size > maxRemembered) this.#forgetOldest();
  }

  #forgetOldest(): void {
    const sorted = [...this.#seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const cut = sorted.length - maxRemembered / 2;
    for (const seen of sorted.slice(0, cut)) this.#seen.delete(seen);
    const newestForgotten = sorted[cut - 1];
    if (newestForgotten !== undefined && newestForgotten > this.#floor) this.#floor = newestForgotten;
  }
}
