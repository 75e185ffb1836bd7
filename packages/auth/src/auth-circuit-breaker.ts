import type { Clock } from '@krakenkit/plugin-api';
import type { AuthBreakerOptions } from './auth-config.js';
import { AuthCircuitOpenError } from './auth-errors.js';

/**
 * `closed`: requests go through. `open`: refused at once, without a request, until the
 * cooldown has passed. `half-open`: the cooldown passed; the next request is the trial.
 */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** What the breaker knows, for health checks and logs. */
export interface CircuitBreakerSnapshot {
  readonly state: CircuitState;
  readonly consecutiveFailures: number;
  /** Times the breaker opened since it was created. */
  readonly opens: number;
  /** Code of the last failure (`AUTH_PERMISSION_DENIED`, `KRAKEN_SERVICE_UNAVAILABLE`, ...). */
  readonly lastFailure: string | undefined;
  /** While open: how long until the trial request is let through. */
  readonly retryInMs: number | undefined;
}

export type CircuitTransitionListener = (from: CircuitState, to: CircuitState, reason: string) => void;

/**
 * A circuit breaker on the monotonic clock (closed → open after `failureThreshold`
 * consecutive failures → half-open after the cooldown → closed on a success, or open again
 * with the cooldown doubled, up to `maxCooldownMs`, on a failed trial). A lockout opens it at
 * once for `lockoutCooldownMs`: calling during a lockout only prolongs the trouble.
 *
 * It keeps a reconnect loop from hammering GetWebSocketsToken with a key that cannot get
 * tokens (no permission, invalid key), which would count toward a lockout.
 */
export class CircuitBreaker {
  readonly #options: AuthBreakerOptions;
  readonly #clock: Clock;
  readonly #onTransition: CircuitTransitionListener | undefined;
  #state: CircuitState = 'closed';
  #consecutiveFailures = 0;
  #opens = 0;
  #cooldownMs: number;
  #openUntil = 0;
  #lastFailure: string | undefined;

  constructor(options: AuthBreakerOptions, clock: Clock, onTransition?: CircuitTransitionListener) {
    this.#options = options;
    this.#clock = clock;
    this.#onTransition = onTransition;
    this.#cooldownMs = options.cooldownMs;
  }

  get state(): CircuitState {
    if (this.#state === 'open' && this.#clock.monotonic() >= this.#openUntil) {
      this.#move('half-open', 'cooldown elapsed');
    }
    return this.#state;
  }

  /** Throws {@link AuthCircuitOpenError} while open; otherwise the caller may send a request. */
  check(): void {
    if (this.state !== 'open') return;
    throw new AuthCircuitOpenError(
      this.#consecutiveFailures,
      Math.max(0, this.#openUntil - this.#clock.monotonic()),
      this.#lastFailure,
    );
  }

  recordSuccess(): void {
    this.#consecutiveFailures = 0;
    this.#cooldownMs = this.#options.cooldownMs;
    if (this.#state !== 'closed') this.#move('closed', 'request succeeded');
  }

  /** Counts a failed request; `lockout` opens the breaker at once for the lockout cooldown. */
  recordFailure(code: string, options: { lockout?: boolean } = {}): void {
    this.#consecutiveFailures += 1;
    this.#lastFailure = code;
    const state = this.state;
    if (options.lockout) {
      this.#open(Math.max(this.#options.lockoutCooldownMs, this.#cooldownMs), `lockout (${code})`);
    } else if (state === 'half-open') {
      // The trial failed: wait longer before the next one.
      this.#cooldownMs = Math.min(this.#options.maxCooldownMs, this.#cooldownMs * 2);
      this.#open(this.#cooldownMs, `trial request failed (${code})`);
    } else if (state === 'closed' && this.#consecutiveFailures >= this.#options.failureThreshold) {
      this.#open(this.#cooldownMs, `${this.#consecutiveFailures} consecutive failures (last ${code})`);
    }
  }

  snapshot(): CircuitBreakerSnapshot {
    const state = this.state;
    return {
      state,
      consecutiveFailures: this.#consecutiveFailures,
      opens: this.#opens,
      lastFailure: this.#lastFailure,
      retryInMs: state === 'open' ? Math.max(0, this.#openUntil - this.#clock.monotonic()) : undefined,
    };
  }

  #open(cooldownMs: number, reason: string): void {
    this.#openUntil = this.#clock.monotonic() + cooldownMs;
    this.#opens += 1;
    this.#move('open', reason);
  }

  #move(to: CircuitState, reason: string): void {
    const from = this.#state;
    this.#state = to;
    if (from !== to || to === 'open') this.#onTransition?.(from, to, reason);
  }
}
