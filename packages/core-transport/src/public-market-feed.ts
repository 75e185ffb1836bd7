import type { Clock, Logger } from '@krakenkit/plugin-api';
import type { KrakenConnection } from './connection.js';
import type { MarketDataRouter } from './market-data-router.js';
import type { SubscriptionRegistry, SubscriptionSpec } from './subscription-registry.js';

/**
 * Ties the public connection, its subscriptions and the market-data stores together:
 * a book is tracked (at its depth) when its subscribe is sent and untracked when it is
 * removed; a checksum mismatch resubscribes only that symbol, when the store's backoff
 * allows; every disconnect discards the books (a reconnect brings fresh snapshots); data
 * messages count as activity for the silent-subscription watchdog.
 */
export class PublicMarketFeed {
  readonly #resyncTimers = new Map<string, ReturnType<Clock['setTimeout']>>();
  readonly #offs: Array<() => void> = [];

  constructor(
    readonly connection: KrakenConnection,
    readonly subscriptions: SubscriptionRegistry,
    readonly router: MarketDataRouter,
    private readonly clock: Clock,
    logger: Logger,
  ) {
    const { books } = router;
    this.#offs.push(
      connection.on('message', (message) => {
        switch (message.kind) {
          case 'book':
          case 'ticker':
          case 'trade':
          case 'ohlc':
            for (const entry of message.data) subscriptions.noteActivity(message.kind, entry.symbol);
            break;
          case 'instrument':
            subscriptions.noteActivity('instrument');
            break;
          default:
            break;
        }
      }),
      connection.on('connection-close', () => this.#disconnected()),
      connection.on('liveness-timeout', () => this.#disconnected()),
      subscriptions.on('subscription-request', ({ spec }) => {
        if (spec.channel !== 'book' || spec.symbol === undefined) return;
        const depth = Number(spec.params?.depth ?? 10);
        if (books.depth(spec.symbol) !== depth) books.track(spec.symbol, depth);
      }),
      subscriptions.on('subscription-removed', ({ spec }) => {
        if (spec.channel === 'book' && spec.symbol !== undefined) books.untrack(spec.symbol);
      }),
      books.on('resync-needed', ({ symbol, notBefore, reason }) =>
        this.#scheduleResync(symbol, notBefore, reason),
      ),
      books.on('resync-alert', ({ symbol, consecutive, reason }) =>
        logger.error(
          { symbol, consecutive, reason },
          'order book keeps failing verification; still resyncing with backoff',
        ),
      ),
    );
  }

  stop(): void {
    for (const off of this.#offs.splice(0)) off();
    for (const timer of this.#resyncTimers.values()) this.clock.clearTimeout(timer);
    this.#resyncTimers.clear();
  }

  #disconnected(): void {
    this.router.books.reset();
    this.router.status.clear();
    for (const timer of this.#resyncTimers.values()) this.clock.clearTimeout(timer);
    this.#resyncTimers.clear();
  }

  #scheduleResync(symbol: string, notBefore: number, reason: string): void {
    this.clock.clearTimeout(this.#resyncTimers.get(symbol));
    const spec = this.#bookSpec(symbol);
    if (!spec) return;
    const timer = this.clock.setTimeout(
      () => {
        this.#resyncTimers.delete(symbol);
        void this.subscriptions.resubscribe(spec, `book ${reason}`);
      },
      Math.max(0, notBefore - this.clock.monotonic()),
    );
    timer.unref();
    this.#resyncTimers.set(symbol, timer);
  }

  #bookSpec(symbol: string): SubscriptionSpec | undefined {
    return this.subscriptions
      .list()
      .find((entry) => entry.spec.channel === 'book' && entry.spec.symbol === symbol)?.spec;
  }
}
