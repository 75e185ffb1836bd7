import type { BookStore } from './book-store.js';
import { BufferedQueue } from './buffered-queue.js';
import { ConflatingQueue } from './conflating-queue.js';
import type { OhlcStore } from './ohlc-store.js';
import type { OrderBook } from './order-book.js';
import type { TickerStore } from './ticker-store.js';
import type { TradeStore } from './trade-store.js';
import { TypedEmitter } from './typed-emitter.js';
import type { OhlcBar, TickerData, TradeData } from './wire-messages.js';

export type StreamName = 'books' | 'tickers' | 'ohlc' | 'trades';

export interface MarketDataStreamEvents {
  [event: string]: unknown;
  /** A stream went from empty to non-empty: drain it. Emitted once per turn per stream. */
  'stream-readable': StreamName;
}

/**
 * Bounded queues between the socket and a consumer that may be slower than the feed.
 * Books, tickers and OHLC bars conflate to the latest per symbol (drops counted: a slow
 * reader only ever needs the newest state); trades are buffered and never dropped, with an
 * alarm past `tradeAlarmDepth`. Consumers drain on `stream-readable`.
 */
export class MarketDataStreams extends TypedEmitter<MarketDataStreamEvents> {
  readonly books: ConflatingQueue<string, OrderBook>;
  readonly tickers: ConflatingQueue<string, TickerData>;
  /** Keyed `SYMBOL:interval`. */
  readonly ohlc: ConflatingQueue<string, OhlcBar>;
  readonly trades: BufferedQueue<TradeData>;
  readonly #pending = new Set<StreamName>();
  readonly #offs: Array<() => void> = [];

  constructor(
    stores: { books: BookStore; tickers: TickerStore; ohlc: OhlcStore; trades: TradeStore },
    options: { maxKeys: number; tradeAlarmDepth: number },
  ) {
    super();
    this.books = new ConflatingQueue({ maxKeys: options.maxKeys });
    this.tickers = new ConflatingQueue({ maxKeys: options.maxKeys });
    this.ohlc = new ConflatingQueue({ maxKeys: options.maxKeys });
    this.trades = new BufferedQueue({ alarmDepth: options.tradeAlarmDepth });
    this.#offs.push(
      stores.books.on('book-change', (book) => this.#push('books', () => this.books.push(book.symbol, book))),
      stores.tickers.on('ticker-update', (ticker) =>
        this.#push('tickers', () => this.tickers.push(ticker.symbol, ticker)),
      ),
      stores.ohlc.on('ohlc-update', ({ bar }) =>
        this.#push('ohlc', () => this.ohlc.push(`${bar.symbol}:${bar.interval}`, bar)),
      ),
      stores.trades.on('trade-add', (trade) => this.#push('trades', () => this.trades.push(trade))),
    );
  }

  /** Depth and drop counts of every stream (for metrics). */
  stats() {
    return {
      books: this.books.stats(),
      tickers: this.tickers.stats(),
      ohlc: this.ohlc.stats(),
      trades: this.trades.stats(),
    };
  }

  stop(): void {
    for (const off of this.#offs.splice(0)) off();
  }

  #push(name: StreamName, push: () => void): void {
    push();
    if (this.#pending.has(name)) return;
    this.#pending.add(name);
    queueMicrotask(() => {
      this.#pending.delete(name);
      this.emit('stream-readable', name);
    });
  }
}
