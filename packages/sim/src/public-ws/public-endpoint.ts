import { marketFeedOf } from '../market/market-feed.js';
import type { SimContext } from '../sim-context.js';
import { krakenErrors } from '../sim-errors.js';
import type { CreatePublicEndpoint, SimMarket } from '../sim-modules.js';
import type { ClientRequest, SimSession } from '../ws/sim-session.js';
import { BookFeed } from './book-feed.js';
import { InstrumentFeed } from './instrument-feed.js';
import { OhlcFeed } from './ohlc-feed.js';
import { type PublicSubscription, PublicSubscriptions } from './public-subscriptions.js';
import { type PublicRequest, parsePublicRequest } from './subscribe-params.js';
import { TickerFeed } from './ticker-feed.js';
import { TradeFeed } from './trade-feed.js';

const instrumentWarnings = ['tick_size is deprecated, use price_increment'];
const ohlcWarnings = ['timestamp is deprecated, use interval_begin'];

/**
 * The public WebSocket v2 endpoint: `subscribe` / `unsubscribe` for `instrument`, `ticker`,
 * `book`, `trade` and `ohlc`. Each symbol gets its own answer (same `req_id`), the ack
 * before that symbol's snapshot. Sim choices where Kraken documents no text: a second
 * subscription to the same channel and symbol is refused with `Already subscribed`; an
 * unsubscribe that matches no subscription (identifying params included: `depth`,
 * `interval`, `event_trigger`) with `Subscription not found`; other methods with
 * `Unsupported method: '<name>'`.
 */
export const createPublicEndpoint: CreatePublicEndpoint = (context, market) =>
  new PublicEndpoint(context, market);

class PublicEndpoint {
  readonly #subscriptions = new PublicSubscriptions();
  readonly #book: BookFeed;
  readonly #ticker: TickerFeed;
  readonly #trade: TradeFeed;
  readonly #ohlc: OhlcFeed;
  readonly #instrument: InstrumentFeed;

  constructor(
    private readonly context: SimContext,
    market: SimMarket,
  ) {
    const feed = marketFeedOf(market);
    this.#book = new BookFeed(context, feed);
    this.#ticker = new TickerFeed(context, market, feed);
    this.#trade = new TradeFeed(context, market);
    this.#ohlc = new OhlcFeed(context, market);
    this.#instrument = new InstrumentFeed(context);
  }

  onRequest(session: SimSession, request: ClientRequest): void {
    if (request.method === 'subscribe' || request.method === 'unsubscribe') {
      const parsed = parsePublicRequest(request.params);
      if (!parsed.ok) {
        this.context.stats.count(`public.invalid_${request.method}`);
        session.respond(request, { error: parsed.error });
        return;
      }
      if (request.method === 'subscribe') this.#subscribe(session, request, parsed.value);
      else this.#unsubscribe(session, request, parsed.value);
      return;
    }
    this.context.stats.count('public.unsupported_method');
    session.respond(request, { error: krakenErrors.unsupportedMethod(request.method) });
  }

  onClose(session: SimSession): void {
    for (const subscription of this.#subscriptions.release(session)) this.#detach(session, subscription);
  }

  #subscribe(session: SimSession, request: ClientRequest, params: PublicRequest): void {
    for (const symbol of this.#targets(params)) {
      if (symbol !== undefined && !this.context.catalog.bySymbol(symbol)) {
        this.context.stats.count('public.unknown_symbol');
        session.respond(request, { error: krakenErrors.currencyPairNotSupported(symbol) }, { symbol });
        continue;
      }
      const key = PublicSubscriptions.key(params.channel, symbol, params.interval);
      if (this.#subscriptions.get(session, key)) {
        this.context.stats.count('public.already_subscribed');
        session.respond(
          request,
          { error: krakenErrors.alreadySubscribed },
          symbol === undefined ? {} : { symbol },
        );
        continue;
      }
      const subscription: PublicSubscription = {
        channel: params.channel,
        symbol,
        depth: params.depth,
        interval: params.interval,
        eventTrigger: params.eventTrigger,
      };
      this.#subscriptions.add(session, key, subscription);
      session.respond(request, { result: this.#ackResult(subscription, params.snapshot) });
      this.#attach(session, subscription, params.snapshot);
    }
  }

  #unsubscribe(session: SimSession, request: ClientRequest, params: PublicRequest): void {
    for (const symbol of this.#targets(params)) {
      if (symbol !== undefined && !this.context.catalog.bySymbol(symbol)) {
        this.context.stats.count('public.unknown_symbol');
        session.respond(request, { error: krakenErrors.currencyPairNotSupported(symbol) }, { symbol });
        continue;
      }
      const key = PublicSubscriptions.key(params.channel, symbol, params.interval);
      const subscription = this.#subscriptions.get(session, key);
      const matches =
        subscription !== undefined &&
        (params.channel !== 'book' || subscription.depth === params.depth) &&
        (params.channel !== 'ticker' || subscription.eventTrigger === params.eventTrigger);
      if (!subscription || !matches) {
        this.context.stats.count('public.unsubscribe_not_found');
        session.respond(
          request,
          { error: krakenErrors.subscriptionNotFound },
          symbol === undefined ? {} : { symbol },
        );
        continue;
      }
      this.#subscriptions.delete(session, key);
      this.#detach(session, subscription);
      session.respond(request, { result: this.#ackResult(subscription, undefined) });
    }
  }

  /** The symbols a request addresses (one undefined entry for `instrument`). */
  #targets(params: PublicRequest): (string | undefined)[] {
    return params.channel === 'instrument' ? [undefined] : params.symbols;
  }

  /** Ack `result`: the identifying params echoed (keys in Kraken's alphabetical order). */
  #ackResult(subscription: PublicSubscription, snapshot: boolean | undefined): Record<string, unknown> {
    const { channel } = subscription;
    return {
      channel,
      ...(channel === 'book' ? { depth: subscription.depth } : {}),
      ...(channel === 'ticker' ? { event_trigger: subscription.eventTrigger } : {}),
      ...(channel === 'ohlc' ? { interval: subscription.interval } : {}),
      ...(snapshot === undefined ? {} : { snapshot }),
      ...(subscription.symbol === undefined ? {} : { symbol: subscription.symbol }),
      ...(snapshot !== undefined && channel === 'instrument' ? { warnings: instrumentWarnings } : {}),
      ...(snapshot !== undefined && channel === 'ohlc' ? { warnings: ohlcWarnings } : {}),
    };
  }

  #attach(session: SimSession, subscription: PublicSubscription, snapshot: boolean): void {
    const { symbol } = subscription;
    switch (subscription.channel) {
      case 'instrument':
        this.#instrument.subscribe(session, snapshot);
        return;
      case 'book':
        this.#book.subscribe(session, symbol as string, subscription.depth, snapshot);
        return;
      case 'ticker':
        this.#ticker.subscribe(session, symbol as string, subscription.eventTrigger, snapshot);
        return;
      case 'trade':
        this.#trade.subscribe(session, symbol as string, snapshot);
        return;
      case 'ohlc':
        this.#ohlc.subscribe(session, symbol as string, subscription.interval, snapshot);
        return;
    }
  }

  #detach(session: SimSession, subscription: PublicSubscription): void {
    const { symbol } = subscription;
    switch (subscription.channel) {
      case 'instrument':
        this.#instrument.unsubscribe(session);
        return;
      case 'book':
        this.#book.unsubscribe(session, symbol as string, subscription.depth);
        return;
      case 'ticker':
        this.#ticker.unsubscribe(session, symbol as string, subscription.eventTrigger);
        return;
      case 'trade':
        this.#trade.unsubscribe(session, symbol as string);
        return;
      case 'ohlc':
        this.#ohlc.unsubscribe(session, symbol as string, subscription.interval);
        return;
    }
  }
}
