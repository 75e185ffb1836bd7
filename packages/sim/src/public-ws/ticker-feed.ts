import type { MarketFeed } from '../market/market-feed.js';
import type { PairMarket } from '../market/market-pair.js';
import type { SimContext } from '../sim-context.js';
import { zero } from '../sim-decimal.js';
import type { SimMarket } from '../sim-modules.js';
import { encodeFrame } from '../sim-wire.js';
import type { SimSession } from '../ws/sim-session.js';
import { wireValue } from './public-wire.js';

interface SymbolSubscribers {
  trades: Set<SimSession>;
  bbo: Set<SimSession>;
  /** Best bid/ask (prices and sizes) last published to `bbo` subscribers. */
  lastBbo: string | undefined;
}

/**
 * The `ticker` channel: one frame per event, encoded once. `event_trigger: trades` publishes
 * on every trade event (a taker's trades together); `bbo` on every change of the best bid or
 * ask, price or size.
 */
export class TickerFeed {
  readonly #symbols = new Map<string, SymbolSubscribers>();

  constructor(
    private readonly context: SimContext,
    private readonly market: SimMarket,
    private readonly feed: MarketFeed,
  ) {
    context.events.on('public-trades', ({ symbol }) => {
      const subscribers = this.#symbols.get(symbol);
      if (subscribers && subscribers.trades.size > 0) this.#send(subscribers.trades, symbol, 'update');
    });
    context.events.on('book-change', ({ symbol }) => {
      const subscribers = this.#symbols.get(symbol);
      if (!subscribers || subscribers.bbo.size === 0) return;
      const bbo = this.#bboKey(symbol);
      if (bbo === subscribers.lastBbo) return;
      subscribers.lastBbo = bbo;
      this.#send(subscribers.bbo, symbol, 'update');
    });
  }

  subscribe(session: SimSession, symbol: string, trigger: 'trades' | 'bbo', snapshot: boolean): void {
    let subscribers = this.#symbols.get(symbol);
    if (!subscribers) {
      subscribers = { trades: new Set(), bbo: new Set(), lastBbo: undefined };
      this.#symbols.set(symbol, subscribers);
    }
    if (trigger === 'bbo' && subscribers.bbo.size === 0) subscribers.lastBbo = this.#bboKey(symbol);
    subscribers[trigger].add(session);
    if (snapshot) this.#send([session], symbol, 'snapshot');
  }

  unsubscribe(session: SimSession, symbol: string, trigger: 'trades' | 'bbo'): void {
    this.#symbols.get(symbol)?.[trigger].delete(session);
  }

  #bboKey(symbol: string): string {
    const { book } = this.#pair(symbol);
    const bid = book.bids.best();
    const ask = book.asks.best();
    return `${bid?.price}:${bid?.visible}:${ask?.price}:${ask?.visible}`;
  }

  #pair(symbol: string): PairMarket {
    const pair = this.feed.pair(symbol);
    if (!pair) throw new Error(`ticker feed: unknown symbol ${symbol}`);
    return pair;
  }

  #send(sessions: Iterable<SimSession>, symbol: string, type: 'snapshot' | 'update'): void {
    const { pair } = this.#pair(symbol);
    const stats = this.market.ticker(symbol);
    const format = this.context.numberFormat;
    const last = stats.last ?? zero;
    const price = (value: typeof last | undefined) => wireValue(value, last, pair.pricePrecision, format);
    const qty = (value: typeof last | undefined) => wireValue(value, zero, pair.qtyPrecision, format);
    const frame = encodeFrame({
      channel: 'ticker',
      type,
      data: [
        {
          symbol,
          bid: wireValue(stats.bid, zero, pair.pricePrecision, format),
          bid_qty: qty(stats.bidQty),
          ask: wireValue(stats.ask, zero, pair.pricePrecision, format),
          ask_qty: qty(stats.askQty),
          last: price(stats.last),
          volume: qty(stats.volume),
          vwap: price(stats.vwap),
          low: price(stats.low),
          high: price(stats.high),
          change: wireValue(stats.change, zero, pair.pricePrecision, format),
          change_pct: wireValue(stats.changePct, zero, 2, format),
          timestamp: this.context.clock.timestamp(),
        },
      ],
    });
    for (const session of sessions) session.sendChannel('ticker', symbol, frame);
  }
}
