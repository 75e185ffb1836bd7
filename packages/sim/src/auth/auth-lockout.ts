import type { SimContext } from '../sim-context.js';

/**
 * Kraken's "Temporary lockout" after repeated authentication failures (PROTOCOL §2.4, §2.5;
 * support pages speak of about 15 minutes). The sim counts failures per subject (an API
 * key, or an IP for requests with unknown keys) in a rolling `lockoutWindowMs`; the
 * `lockoutThreshold`-th failure inside it locks the subject for `lockoutMs`, counted from
 * that failure. Requests refused during a lockout are not failures themselves (the lockout
 * does not grow while a client keeps knocking), and the failure history starts afresh when
 * it ends. Times are the clock's monotonic milliseconds, so a server-clock offset fault
 * does not end a lockout early.
 */
export class AuthLockout {
  readonly #failures = new Map<string, number[]>();
  readonly #lockedUntil = new Map<string, number>();

  constructor(private readonly context: SimContext) {}

  /** Whether the subject is locked out now. */
  locked(subject: string): boolean {
    const until = this.#lockedUntil.get(subject);
    if (until === undefined) return false;
    if (this.context.clock.monotonic() < until) return true;
    this.#lockedUntil.delete(subject);
    return false;
  }

  /** Records one failed attempt; returns true when it started a lockout. */
  recordFailure(subject: string): boolean {
    const { clock, limits } = this.context;
    const now = clock.monotonic();
    const recent = (this.#failures.get(subject) ?? []).filter((at) => now - at < limits.lockoutWindowMs);
    recent.push(now);
    if (recent.length >= limits.lockoutThreshold) {
      this.#failures.delete(subject);
      this.#lockedUntil.set(subject, now + limits.lockoutMs);
      return true;
    }
    this.#failures.set(subject, recent);
    return false;
  }
}
