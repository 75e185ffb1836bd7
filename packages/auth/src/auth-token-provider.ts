import {
  type Clock,
  type Counter,
  type Gauge,
  KrakenkitError,
  type Logger,
  type Metrics,
  Secret,
  silentLogger,
  silentMetrics,
  systemClock,
} from '@krakenkit/plugin-api';
import { CircuitBreaker, type CircuitBreakerSnapshot, type CircuitState } from './auth-circuit-breaker.js';
import type { AuthBreakerOptions, AuthTokenOptions } from './auth-config.js';
import { AuthError } from './auth-errors.js';
import type { SignedRestClient } from './auth-rest-client.js';

/** What the provider knows, for health checks. Never the token. */
export interface TokenProviderSnapshot {
  readonly breaker: CircuitBreakerSnapshot;
  /** Successful GetWebSocketsToken calls. */
  readonly issued: number;
  readonly failures: number;
  /** Monotonic ms when the last handed-out token was requested. */
  readonly lastIssuedAt: number | undefined;
  readonly inFlight: boolean;
}

export interface WebSocketTokenProviderServices {
  clock?: Clock;
  logger?: Logger;
  metrics?: Metrics;
}

/** Kraken: an unused token expires 15 minutes after it was issued (`expires: 900`). */
const defaultValiditySeconds = 900;
const breakerStateValues: Readonly<Record<CircuitState, number>> = { closed: 0, 'half-open': 1, open: 2 };

/**
 * WebSocket tokens from `GetWebSocketsToken` (PROTOCOL §6), for private connections.
 *
 * - **Fresh per connection.** Nothing is cached: every {@link WebSocketTokenProvider.token}
 *   call that does not find a request in flight sends a new one, so a reconnect never gets
 *   a token an earlier connection used.
 * - **Single-flight.** Callers that ask while a request is in flight share its answer
 *   (N concurrent callers → one REST call).
 * - **Never expired.** A token is handed out only while it is younger than its validity
 *   (`expires` from the answer, measured from when the request was sent, on the monotonic
 *   clock) minus `expirySafetyMs`; an answer that arrives too late is discarded and one new
 *   request is made.
 * - **Circuit breaker.** Failed requests (after the REST client's own retries) feed a
 *   {@link CircuitBreaker}; while it is open, callers get `AuthCircuitOpenError` without a
 *   request. A lockout opens it at once.
 * - A key without the WebSocket permission gets `AuthError` (`permission-denied`) that says
 *   which permission to enable.
 */
export class WebSocketTokenProvider {
  readonly breaker: CircuitBreaker;
  readonly #rest: SignedRestClient;
  readonly #options: AuthTokenOptions;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #requests: Counter<'result'>;
  #inFlight: Promise<Secret<string>> | undefined;
  #issued = 0;
  #failures = 0;
  #lastIssuedAt: number | undefined;

  constructor(
    rest: SignedRestClient,
    options: { token: AuthTokenOptions; breaker: AuthBreakerOptions },
    services: WebSocketTokenProviderServices = {},
  ) {
    this.#rest = rest;
    this.#options = options.token;
    this.#clock = services.clock ?? systemClock;
    this.#logger = services.logger ?? silentLogger;
    const metrics = services.metrics ?? silentMetrics;
    this.#requests = metrics.counter({
      name: 'krakenkit_auth_ws_token_requests_total',
      help: 'GetWebSocketsToken outcomes: issued, failed, refused by the open breaker, discarded as expired.',
      labelNames: ['result'],
    });
    const breakerGauge: Gauge = metrics.gauge({
      name: 'krakenkit_auth_ws_token_breaker_state',
      help: 'WebSocket token circuit breaker: 0 closed, 1 half-open, 2 open.',
    });
    this.breaker = new CircuitBreaker(options.breaker, this.#clock, (from, to, reason) => {
      breakerGauge.set(breakerStateValues[to]);
      if (to === 'open') this.#logger.warn({ from, to, reason }, 'WebSocket token circuit breaker opened');
      else this.#logger.info({ from, to, reason }, 'WebSocket token circuit breaker');
    });
  }

  /**
   * A token for a connection about to open (or reopen). Rejects with `AuthError`,
   * `AuthCircuitOpenError`, or the REST client's typed errors.
   */
  token(): Promise<Secret<string>> {
    if (this.#inFlight) return this.#inFlight;
    try {
      this.breaker.check();
    } catch (error) {
      this.#requests.inc({ result: 'breaker-open' });
      return Promise.reject(error);
    }
    const request = this.#request();
    this.#inFlight = request;
    const clear = () => {
      if (this.#inFlight === request) this.#inFlight = undefined;
    };
    request.then(clear, clear);
    return request;
  }

  /** For a connection's `tokenSupplier` (which takes the plain string at the socket). */
  readonly supplier = async (): Promise<string> => (await this.token()).reveal();

  snapshot(): TokenProviderSnapshot {
    return {
      breaker: this.breaker.snapshot(),
      issued: this.#issued,
      failures: this.#failures,
      lastIssuedAt: this.#lastIssuedAt,
      inFlight: this.#inFlight !== undefined,
    };
  }

  async #request(): Promise<Secret<string>> {
    // At most one extra request, for an answer that came back too late to use.
    for (let round = 0; ; round++) {
      const sentAt = this.#clock.monotonic();
      let answer: { token: string; validityMs: number };
      try {
        answer = readTokenAnswer(await this.#rest.call('GetWebSocketsToken', {}, { stateChanging: false }));
      } catch (error) {
        this.#failed(error);
        throw error;
      }
      const usableUntil = sentAt + answer.validityMs - this.#options.expirySafetyMs;
      if (this.#clock.monotonic() < usableUntil) {
        this.breaker.recordSuccess();
        this.#issued += 1;
        this.#lastIssuedAt = sentAt;
        this.#requests.inc({ result: 'issued' });
        this.#logger.debug({ validityMs: answer.validityMs }, 'WebSocket token issued');
        return new Secret(answer.token);
      }
      this.#requests.inc({ result: 'expired' });
      this.#logger.warn(
        { waitedMs: Math.round(this.#clock.monotonic() - sentAt) },
        'a WebSocket token arrived too close to its expiry; discarded',
      );
      if (round >= 1) {
        const error = new KrakenkitError(
          'AUTH_TOKEN_EXPIRED',
          'GetWebSocketsToken answered too late twice: the tokens were within expirySafetyMs of their validity when they arrived. Check the REST latency (and the host clock), or lower token.expirySafetyMs.',
        );
        this.#failed(error);
        throw error;
      }
    }
  }

  #failed(error: unknown): void {
    this.#failures += 1;
    this.#requests.inc({ result: 'failed' });
    const code = (error as { code?: unknown } | null)?.code;
    this.breaker.recordFailure(typeof code === 'string' ? code : 'UNKNOWN', {
      lockout: error instanceof AuthError && error.problem === 'lockout',
    });
    this.#logger.warn(
      { code, error: error instanceof Error ? error.message : 'unknown error' },
      'could not get a WebSocket token',
    );
  }
}

/** `{"token": "...", "expires": 900}`, numbers as exact text (core-transport keeps them so). */
function readTokenAnswer(result: unknown): { token: string; validityMs: number } {
  const fields = (typeof result === 'object' && result !== null ? result : {}) as Record<string, unknown>;
  const { token, expires } = fields;
  if (typeof token !== 'string' || token.length === 0 || token.length > 1_024) {
    throw new KrakenkitError('AUTH_TOKEN_MALFORMED', 'GetWebSocketsToken answered without a usable token.');
  }
  const seconds = typeof expires === 'string' && /^\d{1,7}$/.test(expires) ? Number(expires) : undefined;
  return { token, validityMs: (seconds ?? defaultValiditySeconds) * 1_000 };
}
