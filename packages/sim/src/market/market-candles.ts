/** OHLC intervals Kraken offers, in minutes. */
export const candleIntervals = [1, 5, 15, 30, 60, 240, 1440, 10080, 21600] as const;
export type CandleInterval = (typeof candleIntervals)[number];

export function isCandleInterval(value: number): value is CandleInterval {
  return (candleIntervals as readonly number[]).includes(value);
}

/** Kraken returns at most this many candles (REST `OHLC`). */
export const candleLimit = 720;

/** A candle in the pair's units. */
export interface UnitCandle {
  /** Epoch ms of the interval start (aligned to the Unix epoch, i.e. UTC). */
  begin: number;
  open: bigint;
  high: bigint;
  low: bigint;
  close: bigint;
  /** Σ qty, quantity units. */
  volume: bigint;
  /** Σ price × qty, cost units. */
  cost: bigint;
  trades: number;
}

/** Interval start of `time`: epoch-aligned, so daily candles start at 00:00 UTC. */
export function alignTime(time: number, intervalMs: number): number {
  return Math.floor(time / intervalMs) * intervalMs;
}

/** Volume-weighted average price in price units, rounded half up; the close when nothing traded. */
export function vwapOf(candle: Pick<UnitCandle, 'volume' | 'cost' | 'close'>): bigint {
  if (candle.volume === 0n) return candle.close;
  return (2n * candle.cost + candle.volume) / (2n * candle.volume);
}

/** Adds one trade to a candle. */
export function addToCandle(candle: UnitCandle, price: bigint, qty: bigint): void {
  if (price > candle.high) candle.high = price;
  if (price < candle.low) candle.low = price;
  candle.close = price;
  candle.volume += qty;
  candle.cost += price * qty;
  candle.trades += 1;
}

export function newCandle(begin: number, price: bigint, qty: bigint): UnitCandle {
  return {
    begin,
    open: price,
    high: price,
    low: price,
    close: price,
    volume: qty,
    cost: price * qty,
    trades: 1,
  };
}

/**
 * One pair's candles of one interval. Only intervals with trades are stored (at most one
 * more than Kraken returns); quiet intervals are filled in when queried, flat at the
 * previous close with zero volume, so a client sees a contiguous series like Kraken's.
 */
export class CandleSeries {
  readonly intervalMs: number;
  readonly #candles: UnitCandle[] = [];
  /** Close of the newest candle dropped from memory (fills the oldest gap). */
  #closeBefore: bigint | undefined;

  constructor(readonly intervalMinutes: number) {
    this.intervalMs = intervalMinutes * 60_000;
  }

  record(price: bigint, qty: bigint, time: number): void {
    const begin = alignTime(time, this.intervalMs);
    const last = this.#candles[this.#candles.length - 1];
    // A trade stamped before the newest candle (server clock set back) joins that candle.
    if (last && begin <= last.begin) {
      addToCandle(last, price, qty);
      return;
    }
    this.#candles.push(newCandle(begin, price, qty));
    if (this.#candles.length > candleLimit + 1) this.#closeBefore = this.#candles.shift()?.close;
  }

  /**
   * The newest `limit` intervals up to the forming one (always included once anything
   * traded), gap-filled; with `sinceMs`, only intervals starting after it (plus the forming one).
   */
  query(now: number, sinceMs?: number, limit: number = candleLimit): UnitCandle[] {
    const candles = this.#candles;
    const newest = candles[candles.length - 1];
    if (!newest) return [];
    const current = Math.max(alignTime(now, this.intervalMs), newest.begin);
    let start = current - (limit - 1) * this.intervalMs;
    if (this.#closeBefore === undefined) start = Math.max(start, (candles[0] as UnitCandle).begin);
    let index = 0;
    let previousClose = this.#closeBefore;
    while (index < candles.length && (candles[index] as UnitCandle).begin < start) {
      previousClose = (candles[index] as UnitCandle).close;
      index += 1;
    }
    const out: UnitCandle[] = [];
    for (let begin = start; begin <= current; begin += this.intervalMs) {
      const stored = candles[index];
      let candle: UnitCandle | undefined;
      if (stored && stored.begin === begin) {
        candle = stored;
        index += 1;
      } else if (previousClose !== undefined) {
        const close = previousClose;
        candle = { begin, open: close, high: close, low: close, close, volume: 0n, cost: 0n, trades: 0 };
      }
      if (!candle) continue;
      previousClose = candle.close;
      if (sinceMs === undefined || begin > sinceMs || begin === current) out.push({ ...candle });
    }
    return out;
  }

  /** The forming candle (gap-filled when nothing traded yet in this interval), if anything ever traded. */
  forming(now: number): UnitCandle | undefined {
    return this.query(now, undefined, 1)[0];
  }
}
