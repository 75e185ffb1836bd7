import { type Clock, KrakenkitError, type Logger } from '@krakenkit/plugin-api';
import type { KrakenConnection } from './connection.js';
import { KrakenApiError } from './kraken-error.js';
import type { RequestResult } from './request-tracker.js';
import { TypedEmitter } from './typed-emitter.js';
import type { MethodResponse } from './wire-messages.js';
import { WireNumber } from './wire-number.js';
import type { WireObject } from './wire-parser.js';

export type SubscriptionParamValue = string | number | boolean;

/** What to subscribe to: one channel, at most one symbol, and the channel's params. */
export interface SubscriptionSpec {
  channel: string;
  /** One v2 symbol (`BTC/USD`); omitted for channels without symbols (instrument, executions, balances). */
  symbol?: string;
  /** Channel params (`depth`, `interval`, `event_trigger`, `snapshot`, `snap_orders`, ...). */
  params?: Readonly<Record<string, SubscriptionParamValue>>;
  /** Private channels: the connection's WS token goes into `params.token`. */
  authenticated?: boolean;
}

export type SubscriptionState = 'pending' | 'active' | 'failed';

/** Params that choose what a snapshot contains but do not identify the subscription. */
const nonIdentifyingParams = new Set([
  'snapshot',
  'snap_orders',
  'snap_trades',
  'order_status',
  'ratecounter',
  'rebased',
]);

export interface ActivityRule {
  /** An acked subscription with no data for this long (while the connection is alive) is resubscribed. */
  silentAfterMs: number;
}

export interface SubscriptionRegistryOptions {
  clock: Clock;
  logger: Logger;
  /** Symbols per subscribe request. Default 50. */
  chunkSize?: number;
  /** Wait for acks this long. Default 10 s. */
  ackTimeoutMs?: number;
  /** Expected-activity rules by channel, optionally `channel:symbol`. Channels without a rule are not watched. */
  activity?: Readonly<Record<string, ActivityRule>>;
  /** Retries of unanswered or throttled subscribes. */
  retry?: { baseDelayMs: number; maxDelayMs: number; maxAttempts: number };
}

/** A subscription was refused (Kraken's text) or never acknowledged. */
export class SubscriptionError extends KrakenkitError {
  constructor(
    readonly key: string,
    message: string,
    readonly krakenError: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(krakenError === undefined ? 'SUBSCRIPTION_UNANSWERED' : 'SUBSCRIPTION_REJECTED', message, options);
  }
}

/** One wanted subscription and what is known about it. */
export class Subscription {
  state: SubscriptionState = 'pending';
  error: SubscriptionError | undefined;
  /** The ack's `result` (e.g. executions' `maxratecount`). */
  result: WireObject | undefined;
  ackedAt: number | undefined;
  lastActivityAt: number | undefined;
  /** Subscribe attempts since the last ack. */
  attempts = 0;
  resubscribes = 0;
  refCount = 1;
  readonly waiters: Array<{ resolve: (value: Subscription) => void; reject: (error: unknown) => void }> = [];

  constructor(
    readonly key: string,
    readonly spec: SubscriptionSpec,
  ) {}
}

export interface SubscriptionEvents {
  [event: string]: unknown;
  'subscription-ack': Subscription;
  'subscription-error': Subscription;
  /** Acked but silent past its activity rule while the connection lived; resubscribed alone. */
  'subscription-silent': { subscription: Subscription; silentMs: number };
  /** Everything wanted was sent again after a (re)connect. */
  'subscription-replay': { count: number };
  /** The last reference was dropped: the subscription is gone. */
  'subscription-removed': Subscription;
  /**
   * A subscribe for it is about to be written. Emitted synchronously: its snapshot can
   * arrive in the same network chunk as the ack, before any ack handler runs, so state that
   * must receive the snapshot (a tracked book) is prepared here.
   */
  'subscription-request': Subscription;
}

/** Stable key: channel, identifying params (sorted), symbol. */
export function subscriptionKey(spec: SubscriptionSpec): string {
  const identifying = Object.entries(spec.params ?? {})
    .filter(([name]) => !nonIdentifyingParams.has(name))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name}=${String(value)}`)
    .join(',');
  return `${spec.channel}|${identifying}|${spec.symbol ?? ''}`;
}

/**
 * The subscriptions a connection should have: deduplicated, acknowledged one symbol at a
 * time, refused ones surfaced as typed errors with Kraken's text, replayed after every
 * reconnect (through the connection's `bulk` lane, so a 200-symbol replay is paced), and
 * watched: an acked subscription that goes silent while the connection is alive is
 * resubscribed alone.
 */
export class SubscriptionRegistry extends TypedEmitter<SubscriptionEvents> {
  readonly #connection: KrakenConnection;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #chunkSize: number;
  readonly #ackTimeoutMs: number;
  readonly #activity: Readonly<Record<string, ActivityRule>>;
  readonly #retry: { baseDelayMs: number; maxDelayMs: number; maxAttempts: number };
  readonly #subscriptions = new Map<string, Subscription>();
  readonly #toSend = new Set<Subscription>();
  readonly #retryTimers = new Map<Subscription, ReturnType<Clock['setTimeout']>>();
  #flushScheduled = false;
  #watchdog: ReturnType<Clock['setInterval']> | undefined;
  readonly #offConnection: Array<() => void> = [];

  constructor(connection: KrakenConnection, options: SubscriptionRegistryOptions) {
    super((error, event) => options.logger.error({ err: error, event }, 'subscription listener threw'));
    this.#connection = connection;
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#chunkSize = options.chunkSize ?? 50;
    this.#ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    this.#activity = options.activity ?? {};
    this.#retry = options.retry ?? { baseDelayMs: 1_000, maxDelayMs: 30_000, maxAttempts: 5 };
    this.#offConnection.push(
      connection.on('connection-open', () => this.#replay()),
      connection.on('connection-close', () => this.#connectionLost()),
      connection.on('liveness-timeout', () => this.#connectionLost()),
    );
    const rules = Object.values(this.#activity);
    if (rules.length > 0) {
      const every = Math.max(250, Math.min(...rules.map((rule) => rule.silentAfterMs)) / 4);
      this.#watchdog = this.#clock.setInterval(() => this.#checkActivity(), every);
      this.#watchdog.unref();
    }
  }

  /** Resolves once Kraken acknowledged it; rejects with a {@link SubscriptionError}. Same spec twice → one subscription. */
  subscribe(spec: SubscriptionSpec): Promise<Subscription> {
    const key = subscriptionKey(spec);
    const existing = this.#subscriptions.get(key);
    if (existing) {
      existing.refCount += 1;
      if (existing.state === 'active') return Promise.resolve(existing);
      if (existing.state === 'failed') {
        existing.state = 'pending';
        existing.error = undefined;
        existing.attempts = 0;
        this.#enqueue(existing);
      }
      return this.#wait(existing);
    }
    const subscription = new Subscription(key, spec);
    this.#subscriptions.set(key, subscription);
    const done = this.#wait(subscription);
    this.#enqueue(subscription);
    return done;
  }

  /** Drops one reference; the last one unsubscribes on the wire. */
  async unsubscribe(spec: SubscriptionSpec): Promise<void> {
    const subscription = this.#subscriptions.get(subscriptionKey(spec));
    if (!subscription) return;
    subscription.refCount -= 1;
    if (subscription.refCount > 0) return;
    this.#forget(
      subscription,
      new SubscriptionError(subscription.key, `${subscription.key} was unsubscribed`, undefined),
    );
    this.emit('subscription-removed', subscription);
    if (subscription.state === 'active') await this.#sendUnsubscribe(subscription);
  }

  /** Unsubscribes and subscribes one subscription alone (book resync, silent subscription). */
  async resubscribe(spec: SubscriptionSpec, reason: string): Promise<void> {
    const subscription = this.#subscriptions.get(subscriptionKey(spec));
    if (!subscription) return;
    subscription.resubscribes += 1;
    this.#logger.info({ subscription: subscription.key, reason }, 'resubscribing');
    const wasActive = subscription.state === 'active';
    subscription.state = 'pending';
    subscription.attempts = 0;
    if (wasActive) await this.#sendUnsubscribe(subscription);
    if (this.#subscriptions.get(subscription.key) === subscription) this.#enqueue(subscription);
  }

  /** Data arrived for a subscription (called by whoever routes channel messages). */
  noteActivity(channel: string, symbol?: string): void {
    const now = this.#clock.monotonic();
    for (const subscription of this.#matching(channel, symbol)) subscription.lastActivityAt = now;
  }

  get(spec: SubscriptionSpec): Subscription | undefined {
    return this.#subscriptions.get(subscriptionKey(spec));
  }

  list(): Subscription[] {
    return [...this.#subscriptions.values()];
  }

  /** Forgets everything (pending subscribes reject) and detaches from the connection. */
  stop(): void {
    this.#clock.clearInterval(this.#watchdog);
    for (const off of this.#offConnection.splice(0)) off();
    for (const subscription of [...this.#subscriptions.values()]) {
      this.#forget(
        subscription,
        new SubscriptionError(subscription.key, 'the subscription registry stopped', undefined),
      );
    }
  }

  #wait(subscription: Subscription): Promise<Subscription> {
    return new Promise((resolve, reject) => subscription.waiters.push({ resolve, reject }));
  }

  #forget(subscription: Subscription, reason: SubscriptionError): void {
    this.#subscriptions.delete(subscription.key);
    this.#toSend.delete(subscription);
    this.#clock.clearTimeout(this.#retryTimers.get(subscription));
    this.#retryTimers.delete(subscription);
    for (const waiter of subscription.waiters.splice(0)) waiter.reject(reason);
  }

  #matching(channel: string, symbol: string | undefined): Subscription[] {
    const found: Subscription[] = [];
    for (const subscription of this.#subscriptions.values()) {
      if (
        subscription.spec.channel === channel &&
        (symbol === undefined || subscription.spec.symbol === symbol)
      ) {
        found.push(subscription);
      }
    }
    return found;
  }

  #enqueue(subscription: Subscription): void {
    this.#toSend.add(subscription);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    // Coalesce everything subscribed in the same tick into as few requests as possible.
    queueMicrotask(() => {
      this.#flushScheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    if (!this.#connection.writable) return; // replayed on the next connection-open
    const groups = new Map<string, Subscription[]>();
    for (const subscription of this.#toSend) {
      const { channel, params, authenticated } = subscription.spec;
      const group = `${channel}|${JSON.stringify(params ?? {})}|${authenticated ? 1 : 0}|${subscription.spec.symbol === undefined ? 'none' : 'symbols'}`;
      groups.set(group, [...(groups.get(group) ?? []), subscription]);
    }
    this.#toSend.clear();
    for (const members of groups.values()) {
      const withSymbols = members[0]?.spec.symbol !== undefined;
      const size = withSymbols ? this.#chunkSize : 1;
      for (let i = 0; i < members.length; i += size) void this.#send(members.slice(i, i + size));
    }
  }

  async #send(batch: Subscription[]): Promise<void> {
    const first = batch[0];
    if (!first) return;
    const { channel, params, authenticated } = first.spec;
    const symbols = batch
      .map((subscription) => subscription.spec.symbol)
      .filter((symbol) => symbol !== undefined);
    for (const subscription of batch) {
      subscription.attempts += 1;
      this.emit('subscription-request', subscription);
    }
    const result = await this.#connection.request(
      'subscribe',
      { channel, ...(symbols.length > 0 ? { symbol: symbols } : {}), ...params },
      {
        lane: 'bulk',
        expectedResponses: batch.length,
        timeoutMs: this.#ackTimeoutMs,
        authenticated: authenticated ?? false,
      },
    );
    this.#settle(batch, result);
  }

  #settle(batch: Subscription[], result: RequestResult): void {
    const live = batch.filter((subscription) => this.#subscriptions.get(subscription.key) === subscription);
    if (result.outcome === 'not-sent') return; // replayed on the next connection-open
    const answered = new Set<Subscription>();
    for (const response of result.responses) {
      for (const subscription of this.#addressees(live, response)) {
        answered.add(subscription);
        if (response.success) this.#acked(subscription, response);
        else this.#refused(subscription, response.error ?? 'subscription refused');
      }
    }
    for (const subscription of live) {
      if (!answered.has(subscription) && subscription.state === 'pending')
        this.#retryLater(subscription, undefined);
    }
  }

  /** Which subscriptions of the batch a response answers: by symbol when it names one. */
  #addressees(batch: Subscription[], response: MethodResponse): Subscription[] {
    const resultSymbol = symbolOf(response.result);
    const symbol = resultSymbol ?? response.symbol;
    if (symbol === undefined) return batch.filter((subscription) => subscription.state === 'pending');
    return batch.filter((subscription) => subscription.spec.symbol === symbol);
  }

  #acked(subscription: Subscription, response: MethodResponse): void {
    const now = this.#clock.monotonic();
    subscription.state = 'active';
    subscription.error = undefined;
    subscription.attempts = 0;
    subscription.ackedAt = now;
    subscription.lastActivityAt = now;
    subscription.result = isWireObject(response.result) ? response.result : undefined;
    for (const waiter of subscription.waiters.splice(0)) waiter.resolve(subscription);
    this.emit('subscription-ack', subscription);
  }

  #refused(subscription: Subscription, krakenError: string): void {
    if (krakenError.startsWith('Already subscribed')) {
      // The server already has it (a replay raced an earlier subscribe): that is an ack.
      this.#acked(subscription, { kind: 'method-response', method: 'subscribe', success: true });
      return;
    }
    const apiError = new KrakenApiError(krakenError, `subscribe ${subscription.key}`);
    if (apiError.retryable) {
      this.#retryLater(subscription, krakenError);
      return;
    }
    this.#fail(
      subscription,
      new SubscriptionError(subscription.key, apiError.message, krakenError, { cause: apiError }),
    );
  }

  #retryLater(subscription: Subscription, krakenError: string | undefined): void {
    if (subscription.attempts >= this.#retry.maxAttempts) {
      this.#fail(
        subscription,
        new SubscriptionError(
          subscription.key,
          `subscribe ${subscription.key}: no acknowledgement after ${subscription.attempts} attempts${krakenError ? ` (last: ${krakenError})` : ''}; check the channel parameters and the connection.`,
          krakenError,
        ),
      );
      return;
    }
    const delay = Math.min(
      this.#retry.maxDelayMs,
      this.#retry.baseDelayMs * 2 ** (subscription.attempts - 1),
    );
    const timer = this.#clock.setTimeout(() => {
      this.#retryTimers.delete(subscription);
      if (this.#subscriptions.get(subscription.key) === subscription && subscription.state === 'pending') {
        this.#enqueue(subscription);
      }
    }, delay);
    timer.unref();
    this.#retryTimers.set(subscription, timer);
  }

  #fail(subscription: Subscription, error: SubscriptionError): void {
    subscription.state = 'failed';
    subscription.error = error;
    this.#logger.warn({ subscription: subscription.key, error: error.message }, 'subscription failed');
    for (const waiter of subscription.waiters.splice(0)) waiter.reject(error);
    this.emit('subscription-error', subscription);
  }

  async #sendUnsubscribe(subscription: Subscription): Promise<void> {
    const { channel, symbol, params, authenticated } = subscription.spec;
    const identifying = Object.fromEntries(
      Object.entries(params ?? {}).filter(([name]) => !nonIdentifyingParams.has(name)),
    );
    // Kraken keys live subscriptions by their params: unsubscribe must repeat them.
    await this.#connection.request(
      'unsubscribe',
      { channel, ...(symbol === undefined ? {} : { symbol: [symbol] }), ...identifying },
      { lane: 'bulk', timeoutMs: this.#ackTimeoutMs, authenticated: authenticated ?? false },
    );
  }

  #replay(): void {
    let count = 0;
    for (const subscription of this.#subscriptions.values()) {
      if (subscription.state === 'failed') continue;
      subscription.state = 'pending';
      subscription.attempts = 0;
      this.#clock.clearTimeout(this.#retryTimers.get(subscription));
      this.#retryTimers.delete(subscription);
      this.#toSend.add(subscription);
      count += 1;
    }
    if (count > 0) this.#flush();
    this.emit('subscription-replay', { count });
  }

  #connectionLost(): void {
    for (const subscription of this.#subscriptions.values()) {
      if (subscription.state === 'active') subscription.state = 'pending';
    }
  }

  #checkActivity(): void {
    const state = this.#connection.state;
    if (state !== 'open') return; // only a live connection can prove a subscription silent
    const now = this.#clock.monotonic();
    for (const subscription of this.#subscriptions.values()) {
      if (subscription.state !== 'active') continue;
      const { channel, symbol } = subscription.spec;
      const rule = this.#activity[`${channel}:${symbol ?? ''}`] ?? this.#activity[channel];
      if (!rule) continue;
      const silentMs = now - (subscription.lastActivityAt ?? now);
      if (silentMs < rule.silentAfterMs) continue;
      subscription.lastActivityAt = now;
      this.emit('subscription-silent', { subscription, silentMs });
      void this.resubscribe(subscription.spec, `silent for ${Math.round(silentMs)} ms`);
    }
  }
}

function isWireObject(value: unknown): value is WireObject {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof WireNumber)
  );
}

function symbolOf(result: unknown): string | undefined {
  if (!isWireObject(result)) return undefined;
  const symbol = (result as Record<string, unknown>).symbol;
  return typeof symbol === 'string' ? symbol : undefined;
}
