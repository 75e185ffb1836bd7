import { type ListenerErrorHandler, TypedEmitter } from './typed-emitter.js';
import type { TradeData, TradeMessage } from './wire-messages.js';

export interface TradeStoreOptions {
  /** Recent trades kept per symbol for `recent()`. Default 100. */
  recentLimit?: number;
  onListenerError?: ListenerErrorHandler;
}

/** Trade ids jumped: trades in between were missed (typically during a reconnect). */
export interface TradeGapEvent {
  readonly symbol: string;
  /** The last trade id seen before the gap. */
  readonly after: number;
  /** The first trade id after the gap. */
  readonly next: number;
  readonly missing: number;
}

export interface TradeStoreEvents {
  [event: string]: unknown;
  /** A trade not seen before, in wire order. */
  'trade-add': TradeData;
  'trade-gap': TradeGapEvent;
}

export interface TradeStoreStats {
  readonly added: number;
  /** Trades dropped because their id was already seen (snapshot repeats after a reconnect). */
  readonly duplicates: number;
  readonly gaps: number;
}

interface TradeSeries {
  lastTradeId: number;
  readonly recent: TradeData[];
}

/**
 * Trades per symbol, deduplicated by `trade_id` across reconnects. Kraken numbers trades
 * sequentially per book, so one high-water mark per symbol dedupes exactly in constant
 * memory: a trade whose id is not above the last one seen is a repeat. A jump emits
 * `trade-gap`. Keeps the last `recentLimit` trades per symbol.
 */
export class TradeStore extends TypedEmitter<TradeStoreEvents> {
  readonly #recentLimit: number;
  readonly #series = new Map<string, TradeSeries>();
  #added = 0;
  #duplicates = 0;
  #gaps = 0;

  constructor(options: TradeStoreOptions = {}) {
    super(options.onListenerError);
    this.#recentLimit = options.recentLimit ?? 100;
  }

  /** Applies a decoded `trade` message; returns the trades that were new, in order. */
  apply(message: TradeMessage): TradeData[] {
    const added: TradeData[] = [];
    for (const trade of message.data) {
      let series = this.#series.get(trade.symbol);
      if (series === undefined) {
        series = { lastTradeId: -1, recent: [] };
        this.#series.set(trade.symbol, series);
      }
      if (trade.trade_id <= series.lastTradeId) {
        this.#duplicates++;
        continue;
      }
      if (series.lastTradeId >= 0 && trade.trade_id > series.lastTradeId + 1) {
        this.#gaps++;
        this.emit('trade-gap', {
          symbol: trade.symbol,
          after: series.lastTradeId,
          next: trade.trade_id,
          missing: trade.trade_id - series.lastTradeId - 1,
        });
      }
      series.lastTradeId = trade.trade_id;
      series.recent.push(trade);
      if (series.recent.length > this.#recentLimit)
        series.recent.splice(0, series.recent.length - this.#recentLimit);
      this.#added++;
      added.push(trade);
      this.emit('trade-add', trade);
    }
    return added;
  }

  /** The highest trade id seen for `symbol`. */
  lastTradeId(symbol: string): number | undefined {
    const id = this.#series.get(symbol)?.lastTradeId;
    return id === undefined || id < 0 ? undefined : id;
  }

  /** The most recent trades of `symbol`, oldest first (at most `limit`). */
  recent(symbol: string, limit?: number): readonly TradeData[] {
    const recent = this.#series.get(symbol)?.recent ?? [];
    return limit === undefined ? [...recent] : recent.slice(Math.max(0, recent.length - limit));
  }

  /** Forgets a symbol (after unsubscribing for good; keep it across reconnects to dedupe). */
  forget(symbol: string): void {
    this.#series.delete(symbol);
  }

  stats(): TradeStoreStats {
    return { added: this.#added, duplicates: this.#duplicates, gaps: this.#gaps };
  }
}
