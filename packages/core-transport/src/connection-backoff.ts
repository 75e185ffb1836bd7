import type { Random } from '@krakenkit/plugin-api';

export interface ReconnectBackoffOptions {
  /** First delay cap. */
  baseDelayMs: number;
  /** Largest delay cap. */
  maxDelayMs: number;
}

/**
 * Exponential backoff with full jitter: attempt n waits a uniform random time in
 * [0, min(max, base × 2^n)), which spreads reconnect storms across clients. `reset()` after
 * a stable period starts again from the base.
 */
export class ReconnectBackoff {
  #attempt = 0;

  constructor(
    private readonly options: ReconnectBackoffOptions,
    private readonly random: Random,
  ) {}

  get attempt(): number {
    return this.#attempt;
  }

  nextDelayMs(): number {
    const cap = Math.min(
      this.options.maxDelayMs,
      this.options.baseDelayMs * 2 ** Math.min(this.#attempt, 30),
    );
    this.#attempt += 1;
    return Math.floor(this.random() * cap);
  }

  reset(): void {
    this.#attempt = 0;
  }
}
