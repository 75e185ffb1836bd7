import {
  classifyKrakenError,
  type ExtensionDecoder,
  type KrakenConnection,
  type PrivateConnectionFactory,
  type RequestOptions,
  type RequestResult,
  type Subscription,
  SubscriptionError,
  type SubscriptionParamValue,
  type SubscriptionRegistry,
  type SubscriptionSpec,
  subscriptionKey,
  TypedEmitter,
} from '@krakenkit/core-transport';
import {
  type Clock,
  type Counter,
  type HealthReport,
  type Logger,
  type Metrics,
  silentLogger,
  silentMetrics,
  systemClock,
} from '@krakenkit/plugin-api';
import type { AuthSessionOptions } from './auth-config.js';
import { AuthError, PrivateSessionError } from './auth-errors.js';
import { describeSessionHealth } from './auth-session-health.js';
import { waitForOpen } from './auth-session-open.js';
import type { WebSocketTokenProvider } from './auth-token-provider.js';

/** A private subscription: `params.token` is added by the session, never by the caller. */
export interface PrivateSubscriptionSpec {
  /** `executions`, `balances`, `level3`, ... */
  channel: string;
  symbol?: string;
  params?: Readonly<Record<string, SubscriptionParamValue>>;
}

export interface PrivateSessionEvents {
  [event: string]: unknown;
  /**
   * Something the session could not recover on its own: a private subscription refused
   * again after a token renewal (`AuthError`, `invalid-session`), or a renewal that failed.
   */
  'session-error': { error: unknown; subscription: string | undefined };
  /** The connection is reconnecting to get a fresh token (after `ESession:Invalid session`). */
  'token-renewal': { reason: string };
}

export interface PrivateSessionServices {
  clock?: Clock;
  logger?: Logger;
  metrics?: Metrics;
}

function isInvalidSession(krakenError: string | undefined): boolean {
  return krakenError !== undefined && classifyKrakenError(krakenError).kind === 'invalid-session';
}

/** The second refusal of a subscription's token, as the typed error callers get. */
function refusedTwice(channel: string, error: SubscriptionError): AuthError {
  return new AuthError('invalid-session', {
    method: `subscribe ${channel}`,
    krakenError: error.krakenError ?? 'ESession:Invalid session',
    cause: error,
  });
}

function isRefusedSubscription(error: unknown): error is SubscriptionError {
  return error instanceof SubscriptionError && isInvalidSession(error.krakenError);
}

/** Every response says the token was refused (so nothing was executed). */
function refusedToken(result: RequestResult): string | undefined {
  if (result.outcome !== 'answered' || result.responses.length === 0) return undefined;
  const [first] = result.responses;
  const all = result.responses.every((response) => !response.success && isInvalidSession(response.error));
  return all ? first?.error : undefined;
}

/**
 * The authenticated WebSocket session: one private connection (from core-transport's
 * `PrivateConnectionFactory`) shared by every plugin that needs private channels or
 * trading (balance, orders). The token provider is the connection's `tokenSupplier`, so
 * every (re)connect gets a fresh token; the subscription registry replays private
 * subscriptions after every reconnect with the new connection's token.
 *
 * On `ESession:Invalid session` / `EAPI:Invalid token`, a subscribe or request gets one
 * token renewal (the connection reconnects with a fresh token) and one retry; a second
 * refusal is an `AuthError` (`invalid-session`). Subscriptions refused while being replayed
 * get the same single renewal; a second refusal is reported as `session-error`.
 *
 * Use: register channel decoders with {@link PrivateSession.registerChannel} before
 * subscribing; subscribe with {@link PrivateSession.subscribe}; send trading methods with
 * {@link PrivateSession.request}; read channel data from `connection.on('message')`
 * (`kind: 'extension'`). The connection opens on the first subscribe or request (or
 * {@link PrivateSession.open}), so apps using only REST never need the WebSocket permission.
 */
export class PrivateSession extends TypedEmitter<PrivateSessionEvents> {
  readonly connection: KrakenConnection;
  readonly subscriptions: SubscriptionRegistry;
  readonly tokens: WebSocketTokenProvider;
  readonly #channels: Record<string, ExtensionDecoder> = Object.create(null);
  readonly #options: AuthSessionOptions;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #renewals: Counter<'reason'>;
  /** Keys of subscriptions a `subscribe()` call or a retry is waiting for (it handles refusals). */
  readonly #callers = new Map<string, number>();
  readonly #off: Array<() => void> = [];
  #opening: Promise<void> | undefined;
  #renewal: Promise<void> | undefined;
  #closed = false;
  #lastErrorCode: string | undefined;
  /** A key problem from the latest token request; cleared when a connection opens. */
  #keyProblem: AuthError | undefined;

  constructor(
    factory: PrivateConnectionFactory,
    tokens: WebSocketTokenProvider,
    options: AuthSessionOptions,
    services: PrivateSessionServices = {},
  ) {
    const logger = services.logger ?? silentLogger;
    super((error, event) => logger.error({ err: error, event }, 'private session listener threw'));
    this.tokens = tokens;
    this.#options = options;
    this.#clock = services.clock ?? systemClock;
    this.#logger = logger;
    this.#renewals = (services.metrics ?? silentMetrics).counter({
      name: 'krakenkit_auth_session_token_renewals_total',
      help: 'Reconnects of the private session for a fresh WebSocket token, by reason.',
      labelNames: ['reason'],
    });
    const { connection, subscriptions } = factory.create({
      name: 'private',
      tokenSupplier: tokens.supplier,
      channels: this.#channels,
    });
    this.connection = connection;
    this.subscriptions = subscriptions;
    this.#off.push(
      connection.on('message', (message) => {
        if (message.kind === 'extension') subscriptions.noteActivity(message.channel);
      }),
      connection.on('token-error', ({ error }) => {
        this.#noteError(error);
        if (error instanceof AuthError) this.#keyProblem = error;
      }),
      connection.on('connection-open', () => {
        this.#keyProblem = undefined;
      }),
      subscriptions.on('subscription-error', (subscription) => this.#onSubscriptionError(subscription)),
    );
  }

  /**
   * Adds the decoder of a private channel's messages (`executions`, `balances`). Register
   * before subscribing: frames of channels without a decoder are rejected and counted.
   */
  registerChannel(channel: string, decoder: ExtensionDecoder): void {
    this.#channels[channel] = decoder;
  }

  /**
   * Starts the connection if needed and resolves once it is open. Rejects at once with
   * `AuthError` when the key cannot get tokens (invalid key, no WebSocket permission,
   * lockout; and again on later calls until a connection opens), with
   * `AuthCircuitOpenError` while the token circuit breaker is open, or with
   * `PrivateSessionError` after `openTimeoutMs` or a refused upgrade. The connection keeps
   * trying in the background either way (the breaker bounds its token requests).
   */
  open(): Promise<void> {
    if (this.#closed) return Promise.reject(this.#closedError());
    if (this.connection.state === 'open' || this.connection.state === 'degraded') return Promise.resolve();
    if (this.connection.state === 'closed') {
      return Promise.reject(
        new PrivateSessionError(
          'refused',
          'The private WebSocket connection was closed for good (refused); it does not reconnect. Check the configured private URL and the health check.',
        ),
      );
    }
    // Until a connection opens again, a key problem is the answer (the connection keeps trying).
    if (this.#keyProblem) return Promise.reject(this.#keyProblem);
    try {
      this.tokens.breaker.check();
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.#opening) return this.#opening;
    const opening = this.#nextOpen('open');
    this.#opening = opening;
    const clear = () => {
      if (this.#opening === opening) this.#opening = undefined;
    };
    opening.then(clear, clear);
    this.connection.start();
    return opening;
  }

  /**
   * Subscribes to a private channel with the connection's token (opening the connection
   * first). Resolves with the acknowledged subscription; rejects with core-transport's
   * `SubscriptionError`, or `AuthError` when the token is refused after one renewal.
   */
  async subscribe(spec: PrivateSubscriptionSpec): Promise<Subscription> {
    await this.open();
    const full: SubscriptionSpec = { ...spec, authenticated: true };
    const key = this.#track(full);
    try {
      return await this.subscriptions.subscribe(full);
    } catch (error) {
      if (!isRefusedSubscription(error)) throw error;
      return await this.#resubscribe(full, `subscribe ${spec.channel} refused the token`);
    } finally {
      this.#untrack(key);
    }
  }

  /** Drops one reference to a private subscription; the last one unsubscribes on the wire. */
  unsubscribe(spec: PrivateSubscriptionSpec): Promise<void> {
    return this.subscriptions.unsubscribe({ ...spec, authenticated: true });
  }

  /**
   * Sends a private method (`add_order`, `cancel_order`, ...) with the connection's token in
   * `params.token`, opening the connection first if it was never started. Returns the
   * connection's result (`answered`, `not-sent`, `unknown`); never resends an unknown
   * outcome. A request answered only with `ESession:Invalid session` was not executed: it
   * is sent once more after a token renewal, then refused with `AuthError`.
   */
  async request(
    method: string,
    params?: Readonly<Record<string, unknown>>,
    options: Omit<RequestOptions, 'authenticated'> = {},
  ): Promise<RequestResult> {
    if (this.#closed) throw this.#closedError();
    if (this.connection.state === 'idle') await this.open();
    const send = () => this.connection.request(method, params, { ...options, authenticated: true });
    const first = await send();
    if (refusedToken(first) === undefined) return first;
    await this.#renew(`${method} refused the token`);
    const second = await send();
    const refused = refusedToken(second);
    if (refused !== undefined) throw new AuthError('invalid-session', { method, krakenError: refused });
    return second;
  }

  /** Connection state, token age, breaker state and subscriptions, for diagnostics. */
  health(): HealthReport {
    return describeSessionHealth({
      closed: this.#closed,
      connection: this.connection.state,
      reconnects: this.connection.stats.reconnects,
      tokens: this.tokens.snapshot(),
      now: this.#clock.monotonic(),
      subscriptions: this.subscriptions.list(),
      lastErrorCode: this.#lastErrorCode,
    });
  }

  /** Stops the connection and forgets subscriptions; waiting calls reject. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const off of this.#off.splice(0)) off();
    this.subscriptions.stop();
    await this.connection.stop();
  }

  #track(spec: SubscriptionSpec): string {
    const key = subscriptionKey(spec);
    this.#callers.set(key, (this.#callers.get(key) ?? 0) + 1);
    return key;
  }

  #untrack(key: string): void {
    const count = (this.#callers.get(key) ?? 1) - 1;
    if (count <= 0) this.#callers.delete(key);
    else this.#callers.set(key, count);
  }

  /**
   * A private subscription was refused while the registry replayed it (nobody awaits it):
   * renew the token once and subscribe again; a second refusal is reported. No loop: the
   * retry is tracked like a caller, and the registry does not replay failed subscriptions.
   */
  #onSubscriptionError(subscription: Subscription): void {
    const { spec, key, error } = subscription;
    if (!spec.authenticated || !isRefusedSubscription(error)) return;
    if (this.#callers.has(key)) return; // a subscribe() call (or a retry) handles it
    this.#resubscribe(spec, `replayed ${spec.channel} subscription refused the token`).catch(
      (failure: unknown) => {
        if (!this.#closed) this.#report(failure, key);
      },
    );
  }

  /**
   * After a refused token: one renewal, then the subscription again (the failed reference
   * dropped first, so reference counts stay right). A second refusal is an `AuthError`.
   */
  async #resubscribe(spec: SubscriptionSpec, reason: string): Promise<Subscription> {
    await this.#renew(reason);
    await this.subscriptions.unsubscribe(spec);
    const key = this.#track(spec);
    try {
      return await this.subscriptions.subscribe(spec);
    } catch (error) {
      throw isRefusedSubscription(error) ? refusedTwice(spec.channel, error) : error;
    } finally {
      this.#untrack(key);
    }
  }

  #report(error: unknown, subscription: string | undefined): void {
    this.#noteError(error);
    this.#logger.error(
      { subscription, code: (error as { code?: unknown } | null)?.code, error: (error as Error)?.message },
      'private session could not recover',
    );
    this.emit('session-error', { error, subscription });
  }

  #noteError(error: unknown): void {
    const code = (error as { code?: unknown } | null)?.code;
    this.#lastErrorCode = typeof code === 'string' ? code : 'UNKNOWN';
  }

  /** One reconnect for a fresh token, shared by everything refused meanwhile. */
  #renew(reason: string): Promise<void> {
    if (this.#renewal) return this.#renewal;
    this.#renewals.inc({ reason: reason.startsWith('replayed') ? 'replay' : 'refused' });
    this.#logger.info({ reason }, 'reconnecting the private session for a fresh WebSocket token');
    this.emit('token-renewal', { reason });
    const renewal = this.#nextOpen('reopen');
    this.#renewal = renewal;
    const clear = () => {
      if (this.#renewal === renewal) this.#renewal = undefined;
    };
    renewal.then(clear, clear);
    this.connection.reconnect(`${reason}; fresh WebSocket token`);
    return renewal;
  }

  #nextOpen(what: 'open' | 'reopen'): Promise<void> {
    return waitForOpen(this.connection, {
      clock: this.#clock,
      timeoutMs: this.#options.openTimeoutMs,
      what,
      closed: () => this.#closed,
      closedError: () => this.#closedError(),
    });
  }

  #closedError(): PrivateSessionError {
    return new PrivateSessionError(
      'closed',
      'The private session is closed (the host stopped); nothing was sent.',
    );
  }
}
