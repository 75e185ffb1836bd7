import { type ListenerErrorHandler, TypedEmitter } from './typed-emitter.js';
import type { OhlcBar, OhlcMessage } from './wire-messages.js';

export interface OhlcStoreOptions {
  /** Bars kept per (symbol, interval). Default 720 (a Kraken snapshot). */
  maxBars?: number;
  onListenerError?: ListenerErrorHandler;
}

export interface OhlcUpdateEvent {
  readonly bar: OhlcBar;
  /** True when the bar replaced one with the same `interval_begin`. */
  readonly replaced: boolean;
}

export interface OhlcStoreEvents {
  [event: string]: unknown;
  /** A bar was added or replaced (the forming bar changes on every trade). */
  'ohlc-update': OhlcUpdateEvent;
  /** A bar is final: a later bar of its series has begun. Emitted once per bar. */
  'ohlc-close': OhlcBar;
}

interface OhlcSeries {
  /** Sorted by begin time, oldest first. */
  readonly bars: OhlcBar[];
  readonly begins: number[];
  /** Begin time of the newest bar announced (or known from a first snapshot) as closed. */
  closedThrough: number;
}

/**
 * OHLC bars per (symbol, interval). A bar with an `interval_begin` already stored replaces
 * it (Kraken resends the forming bar on every trade, and snapshots repeat bars after a
 * reconnect); `ohlc-close` fires exactly once per bar, when a later bar begins. Bars from
 * the first snapshot of a series are history and are not announced as closing.
 */
export class OhlcStore extends TypedEmitter<OhlcStoreEvents> {
  readonly #maxBars: number;
  readonly #series = new Map<string, OhlcSeries>();

  constructor(options: OhlcStoreOptions = {}) {
    super(options.onListenerError);
    this.#maxBars = options.maxBars ?? 720;
  }

  apply(message: OhlcMessage): void {
    const fresh = new Set<OhlcSeries>();
    for (const bar of message.data) {
      const key = seriesKey(bar.symbol, bar.interval);
      let series = this.#series.get(key);
      if (series === undefined) {
        series = { bars: [], begins: [], closedThrough: Number.NEGATIVE_INFINITY };
        this.#series.set(key, series);
        if (message.type === 'snapshot') fresh.add(series);
      }
      this.#applyBar(series, bar, fresh.has(series));
    }
    // A first snapshot is history: all but its newest bar are closed already, unannounced.
    for (const series of fresh) {
      series.closedThrough = series.begins.at(-2) ?? Number.NEGATIVE_INFINITY;
    }
  }

  /** Bars of a series, oldest first (at most `limit`, the newest). */
  bars(symbol: string, interval: number, limit?: number): readonly OhlcBar[] {
    const bars = this.#series.get(seriesKey(symbol, interval))?.bars ?? [];
    return limit === undefined ? [...bars] : bars.slice(Math.max(0, bars.length - limit));
  }

  /** The newest bar of a series (usually still forming). */
  latest(symbol: string, interval: number): OhlcBar | undefined {
    return this.#series.get(seriesKey(symbol, interval))?.bars.at(-1);
  }

  #applyBar(series: OhlcSeries, bar: OhlcBar, isHistory: boolean): void {
    const begin = Date.parse(bar.interval_begin);
    const { bars, begins } = series;
    let index = begins.length;
    while (index > 0 && begins[index - 1]! > begin) index--;
    if (index > 0 && begins[index - 1] === begin) {
      bars[index - 1] = bar;
      this.emit('ohlc-update', { bar, replaced: true });
      return;
    }
    // Every bar older than this one that was not closed yet is final now.
    if (!isHistory) {
      for (let i = 0; i < index; i++) {
        if (begins[i]! > series.closedThrough) {
          series.closedThrough = begins[i]!;
          this.emit('ohlc-close', bars[i]!);
        }
      }
    }
    bars.splice(index, 0, bar);
    begins.splice(index, 0, begin);
    if (bars.length > this.#maxBars) {
      bars.splice(0, bars.length - this.#maxBars);
      begins.splice(0, begins.length - this.#maxBars);
    }
    this.emit('ohlc-update', { bar, replaced: false });
  }
}

function seriesKey(symbol: string, interval: number): string {
  return `${symbol}|${interval}`;
}
