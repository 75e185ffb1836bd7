import { addToCandle, alignTime, newCandle, type UnitCandle } from './market-candles.js';

const minuteMs = 60_000;
const windowMinutes = 1440;

/** Aggregates of the rolling 24 hours, in the pair's units. */
export interface RollingStats {
  volume: bigint;
  cost: bigint;
  trades: number;
  low: bigint | undefined;
  high: bigint | undefined;
  /** Price 24 h ago: the last trade before the window, else the window's first trade. */
  open: bigint | undefined;
}

/**
 * The ticker's rolling 24 hours, kept as one-minute buckets (the window is the current
 * minute and the 1439 before it), so a pair that trades millions of times a day still costs
 * at most 1440 buckets. Sums are maintained incrementally; low/high are recomputed only
 * when a bucket leaves the window.
 */
export class RollingDay {
  readonly #buckets: UnitCandle[] = [];
  #volume = 0n;
  #cost = 0n;
  #trades = 0;
  #low: bigint | undefined;
  #high: bigint | undefined;
  #extremesStale = false;
  #priceBefore: bigint | undefined;

  record(price: bigint, qty: bigint, time: number): void {
    const begin = alignTime(time, minuteMs);
    this.#expire(begin);
    const last = this.#buckets[this.#buckets.length - 1];
    if (last && begin <= last.begin) addToCandle(last, price, qty);
    else this.#buckets.push(newCandle(begin, price, qty));
    this.#volume += qty;
    this.#cost += price * qty;
    this.#trades += 1;
    if (!this.#extremesStale) {
      if (this.#low === undefined || price < this.#low) this.#low = price;
      if (this.#high === undefined || price > this.#high) this.#high = price;
    }
  }

  stats(now: number): RollingStats {
    this.#expire(alignTime(now, minuteMs));
    if (this.#extremesStale) {
      this.#low = undefined;
      this.#high = undefined;
      for (const bucket of this.#buckets) {
        if (this.#low === undefined || bucket.low < this.#low) this.#low = bucket.low;
        if (this.#high === undefined || bucket.high > this.#high) this.#high = bucket.high;
      }
      this.#extremesStale = false;
    }
    return {
      volume: this.#volume,
      cost: this.#cost,
      trades: this.#trades,
      low: this.#low,
      high: this.#high,
      open: this.#priceBefore ?? this.#buckets[0]?.open,
    };
  }

  #expire(currentMinute: number): void {
    const oldestKept = currentMinute - (windowMinutes - 1) * minuteMs;
    while (this.#buckets.length > 0 && (this.#buckets[0] as UnitCandle).begin < oldestKept) {
      const gone = this.#buckets.shift() as UnitCandle;
      this.#volume -= gone.volume;
      this.#cost -= gone.cost;
      this.#trades -= gone.trades;
      this.#priceBefore = gone.close;
      this.#extremesStale = true;
    }
  }
}
