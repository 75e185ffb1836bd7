import type { Clock } from '@krakenkit/plugin-api';

export interface ConnectionAttemptBudgetOptions {
  /** Attempts allowed in the window. Default 140 (Cloudflare bans above ~150). */
  maxAttempts?: number;
  /** Rolling window. Default 10 minutes. */
  windowMs?: number;
}

/**
 * Cloudflare in front of Kraken allows about 150 WebSocket connection attempts per rolling
 * 10 minutes per IP and bans the IP for 10 minutes beyond that. Every connection of an app
 * (public and private, every reconnect) draws from one budget, kept below the ban line.
 */
export class ConnectionAttemptBudget {
  readonly #attempts: number[] = [];
  readonly #maxAttempts: number;
  readonly #windowMs: number;

  constructor(
    private readonly clock: Clock,
    options: ConnectionAttemptBudgetOptions = {},
  ) {
    this.#maxAttempts = options.maxAttempts ?? 140;
    this.#windowMs = options.windowMs ?? 10 * 60_000;
  }

  /** How long to wait before the next attempt is within budget (0: now). */
  delayUntilAllowedMs(): number {
    this.#prune();
    if (this.#attempts.length < this.#maxAttempts) return 0;
    const oldest = this.#attempts[0] ?? this.clock.monotonic();
    return Math.max(0, oldest + this.#windowMs - this.clock.monotonic());
  }

  record(): void {
    this.#prune();
    this.#attempts.push(this.clock.monotonic());
  }

  /** Attempts in the current window. */
  get used(): number {
    this.#prune();
    return this.#attempts.length;
  }

  #prune(): void {
    const horizon = this.clock.monotonic() - this.#windowMs;
    while (this.#attempts.length > 0 && (this.#attempts[0] ?? 0) <= horizon) this.#attempts.shift();
  }
}
