import type { Clock } from '@krakenkit/plugin-api';
import { BookStore, type BookStoreOptions } from './book-store.js';
import { FrameDecoder } from './frame-decoder.js';
import { InstrumentStore } from './instrument-store.js';
import { OhlcStore, type OhlcStoreOptions } from './ohlc-store.js';
import { StatusStore } from './status-store.js';
import { TickerStore } from './ticker-store.js';
import { TradeStore, type TradeStoreOptions } from './trade-store.js';
import type { ListenerErrorHandler } from './typed-emitter.js';
import type { WireDecodeOptions } from './wire-decoder.js';
import type { WireMessage } from './wire-messages.js';

export interface MarketDataRouterOptions {
  clock: Clock;
  decode?: WireDecodeOptions;
  books?: Omit<BookStoreOptions, 'clock' | 'precision' | 'onListenerError'>;
  trades?: Omit<TradeStoreOptions, 'onListenerError'>;
  ohlc?: Omit<OhlcStoreOptions, 'onListenerError'>;
  /** Where errors thrown by any store's listeners go (default: rethrown on a microtask). */
  onListenerError?: ListenerErrorHandler;
}

/**
 * The data layer of one public connection: decodes each text frame once and applies it
 * to the store for its channel. The instrument catalogue feeds the book checksum's
 * precisions, and books waiting for it are verified as soon as it arrives. Pure and
 * synchronous: the socket layer calls {@link receive} for every text frame and reads the
 * returned message for what it owns itself (responses by `req_id`, pong, heartbeat).
 */
export class MarketDataRouter {
  readonly decoder: FrameDecoder;
  readonly instruments: InstrumentStore;
  readonly books: BookStore;
  readonly trades: TradeStore;
  readonly ohlc: OhlcStore;
  readonly tickers: TickerStore;
  readonly status: StatusStore;

  constructor(options: MarketDataRouterOptions) {
    const onListenerError = options.onListenerError;
    const common = onListenerError === undefined ? {} : { onListenerError };
    this.decoder = new FrameDecoder({ ...options.decode, ...common });
    this.instruments = new InstrumentStore(common);
    this.books = new BookStore({
      ...options.books,
      clock: options.clock,
      precision: this.instruments,
      ...common,
    });
    this.trades = new TradeStore({ ...options.trades, ...common });
    this.ohlc = new OhlcStore({ ...options.ohlc, ...common });
    this.tickers = new TickerStore(common);
    this.status = new StatusStore(common);
    this.instruments.on('instrument-change', ({ pairs }) => {
      if (pairs.length > 0) this.books.refreshPrecision();
    });
  }

  /**
   * Decodes one text frame and applies it. Returns the typed message (also for channel
   * data, already applied), or `undefined` for a rejected frame (counted by the decoder).
   */
  receive(text: string): WireMessage | undefined {
    const message = this.decoder.decode(text);
    if (message === undefined) return undefined;
    switch (message.kind) {
      case 'book':
        this.books.apply(message);
        break;
      case 'ticker':
        this.tickers.apply(message);
        break;
      case 'trade':
        this.trades.apply(message);
        break;
      case 'ohlc':
        this.ohlc.apply(message);
        break;
      case 'instrument':
        this.instruments.apply(message);
        break;
      case 'status':
        this.status.apply(message);
        break;
      default:
        break;
    }
    return message;
  }
}
