import { KrakenApiError, type KrakenHttpClient, type RestValue } from '@krakenkit/core-transport';
import { InvalidNonceError } from '@krakenkit/nonce';
import {
  type Clock,
  type Counter,
  type Histogram,
  type Logger,
  type Metrics,
  type NonceProvider,
  type Random,
  silentLogger,
  silentMetrics,
  sleep,
  systemClock,
  systemRandom,
} from '@krakenkit/plugin-api';
import { decideFailure, stateChangingMethods } from './auth-call-policy.js';
import type { AuthRetryOptions } from './auth-config.js';
import type { KrakenCredentials } from './auth-credentials.js';
import { PrivateRequestError, PrivateSessionError } from './auth-errors.js';
import {
  type BodyEncoding,
  contentTypes,
  encodePrivateBody,
  type PrivateParams,
} from './auth-request-body.js';

/** Options of one private call. */
export interface PrivateCallOptions {
  /**
   * The call changes state at Kraken (orders, cancels, transfers): it is never repeated
   * after an ambiguous failure, which becomes `OutcomeUnknownError`. Default: whether the
   * method is in {@link stateChangingMethods}.
   */
  stateChanging?: boolean;
  /** Body encoding; default the client's (`form` unless configured). */
  encoding?: BodyEncoding;
  /** Per-attempt HTTP timeout, ms; default the client's. */
  timeoutMs?: number;
  /** Aborts waiting between attempts (a request already sent is not recalled). */
  signal?: AbortSignal;
}

export interface SignedRestClientOptions {
  retry: AuthRetryOptions;
  requestTimeoutMs: number;
  bodyEncoding: BodyEncoding;
}

export interface SignedRestClientServices {
  clock?: Clock;
  random?: Random;
  logger?: Logger;
  metrics?: Metrics;
}

// Kraken method names are PascalCase words; anything else could escape the path.
const methodPattern = /^[A-Z][A-Za-z0-9]{0,63}$/;

/**
 * Signed private REST calls (`POST /0/private/<Method>`) on core-transport's HTTP client.
 *
 * Each attempt takes a nonce through `NonceProvider.withNonce`, which holds the key's send
 * lock from signing until Kraken's answer is read, so requests with one key reach Kraken
 * in nonce order even from several processes. The body is serialized once; that exact
 * string is signed (`API-Sign`) and sent. Failures follow {@link decideFailure}: reads are
 * retried with full-jitter backoff on the injected clock, state-changing calls never
 * after an ambiguous failure, key problems never, and `EAPI:Invalid nonce` once, after
 * raising the nonce floor (then `InvalidNonceError`). Errors carry method, path, HTTP
 * status and Kraken's text only: never headers, bodies, the key, the secret or signatures.
 */
export class SignedRestClient {
  readonly credentials: KrakenCredentials;
  readonly #http: KrakenHttpClient;
  readonly #nonces: NonceProvider;
  readonly #options: SignedRestClientOptions;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #logger: Logger;
  readonly #closing = new AbortController();
  readonly #calls: Counter<'method' | 'result'>;
  readonly #retries: Counter<'method' | 'reason'>;
  readonly #invalidNonces: Counter<'method' | 'action'>;
  readonly #duration: Histogram<'method'>;

  constructor(
    http: KrakenHttpClient,
    credentials: KrakenCredentials,
    nonces: NonceProvider,
    options: SignedRestClientOptions,
    services: SignedRestClientServices = {},
  ) {
    this.#http = http;
    this.credentials = credentials;
    this.#nonces = nonces;
    this.#options = options;
    this.#clock = services.clock ?? systemClock;
    this.#random = services.random ?? systemRandom;
    this.#logger = services.logger ?? silentLogger;
    const metrics = services.metrics ?? silentMetrics;
    this.#calls = metrics.counter({
      name: 'krakenkit_auth_private_calls_total',
      help: 'Signed private REST calls, by method and final result.',
      labelNames: ['method', 'result'],
    });
    this.#retries = metrics.counter({
      name: 'krakenkit_auth_private_call_retries_total',
      help: 'Retried attempts of signed private REST reads, by reason.',
      labelNames: ['method', 'reason'],
    });
    this.#invalidNonces = metrics.counter({
      name: 'krakenkit_auth_invalid_nonces_total',
      help: 'EAPI:Invalid nonce answers: retried once after raising the floor, or surfaced.',
      labelNames: ['method', 'action'],
    });
    this.#duration = metrics.histogram({
      name: 'krakenkit_auth_private_call_seconds',
      help: 'Duration of signed private REST calls, retries included.',
      labelNames: ['method'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    });
  }

  /**
   * Calls `POST /0/private/<method>` with `params` (no `nonce`: each attempt gets a fresh
   * one) and returns Kraken's `result`, numbers as their exact text. Throws `AuthError`,
   * `OutcomeUnknownError`, `InvalidNonceError`, `PrivateRequestError`, or core-transport's
   * `KrakenApiError` / `HttpStatusError` / `HttpTransportError` / `HttpResponseError`.
   */
  async call(
    method: string,
    params: PrivateParams = {},
    options: PrivateCallOptions = {},
  ): Promise<RestValue> {
    if (this.#closing.signal.aborted) {
      throw new PrivateSessionError('closed', 'The signed REST client is closed; no call was sent.');
    }
    if (typeof method !== 'string' || !methodPattern.test(method)) {
      throw new PrivateRequestError(
        `'${String(method).slice(0, 64)}' is not a Kraken private method name (PascalCase, e.g. Balance).`,
      );
    }
    const stateChanging = options.stateChanging ?? stateChangingMethods.has(method);
    const started = this.#clock.monotonic();
    const signal = options.signal
      ? AbortSignal.any([options.signal, this.#closing.signal])
      : this.#closing.signal;
    let result = 'ok';
    try {
      return await this.#attempts(method, params, options, stateChanging, signal);
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      result = typeof code === 'string' ? code : 'error';
      throw error;
    } finally {
      this.#calls.inc({ method, result });
      this.#duration.observe({ method }, (this.#clock.monotonic() - started) / 1_000);
    }
  }

  /** Refuses new calls and cuts backoff waits short. Calls already sent finish. */
  close(): void {
    this.#closing.abort(new PrivateSessionError('closed', 'The signed REST client was closed.'));
  }

  async #attempts(
    method: string,
    params: PrivateParams,
    options: PrivateCallOptions,
    stateChanging: boolean,
    signal: AbortSignal,
  ): Promise<RestValue> {
    const path = `/0/private/${method}`;
    const encoding = options.encoding ?? this.#options.bodyEncoding;
    const timeoutMs = options.timeoutMs ?? this.#options.requestTimeoutMs;
    const attempts = stateChanging ? 1 : this.#options.retry.maxAttempts;
    let nonceRetried = false;
    for (let attempt = 1; ; attempt++) {
      let sentNonce: string | undefined;
      try {
        const answer = await this.#nonces.withNonce(this.credentials.apiKey.reveal(), async (nonce) => {
          sentNonce = nonce;
          const body = encodePrivateBody(nonce, params, encoding);
          return this.#http.send({
            method: 'POST',
            path,
            body,
            timeoutMs,
            headers: {
              'api-key': this.credentials.apiKey.reveal(),
              'api-sign': this.credentials.sign(path, nonce, body),
              'content-type': contentTypes[encoding],
            },
          });
        });
        for (const warning of answer.warnings) this.#logger.warn({ method, warning }, 'Kraken warning');
        this.#logger.debug({ method, attempt, key: this.credentials.keyLabel }, 'private call answered');
        return answer.result;
      } catch (error) {
        const decision = decideFailure(error, method, stateChanging);
        if (decision.action === 'invalid-nonce') {
          if (nonceRetried || sentNonce === undefined) {
            this.#invalidNonces.inc({ method, action: 'surfaced' });
            throw new InvalidNonceError({
              keyHash: this.credentials.keyHash,
              ...(sentNonce === undefined ? {} : { nonce: sentNonce }),
              cause: error,
            });
          }
          // Kraken checks the nonce before anything else, so the call did not run: raise the
          // floor above the rejected nonce and send it again, once (also a state-changing one).
          nonceRetried = true;
          this.#invalidNonces.inc({ method, action: 'retried' });
          this.#logger.warn(
            { method, key: this.credentials.keyLabel },
            'Kraken rejected the nonce (EAPI:Invalid nonce); raised the floor, retrying once',
          );
          await this.#nonces.raiseFloor(this.credentials.apiKey.reveal(), sentNonce);
          attempt -= 1; // the nonce retry does not use up a read attempt
          continue;
        }
        if (decision.action === 'throw') {
          this.#logFailure(method, decision.error);
          throw decision.error;
        }
        if (attempt >= attempts) {
          this.#logFailure(method, error);
          throw error;
        }
        const ceiling = Math.min(
          this.#options.retry.maxDelayMs,
          this.#options.retry.baseDelayMs * 2 ** (attempt - 1),
        );
        const delayMs = Math.round(this.#random() * ceiling);
        this.#retries.inc({ method, reason: decision.reason });
        this.#logger.info({ method, attempt, delayMs, reason: decision.reason }, 'retrying a private read');
        await sleep(this.#clock, delayMs, signal);
      }
    }
  }

  #logFailure(method: string, error: unknown): void {
    const code = (error as { code?: unknown } | null)?.code;
    const message = error instanceof Error ? error.message : 'unknown error';
    if (error instanceof KrakenApiError && !error.outcomeUnknown) {
      this.#logger.debug({ method, code, error: message }, 'private call rejected');
    } else {
      this.#logger.warn({ method, code, error: message }, 'private call failed');
    }
  }
}
