import type { SimPair } from '../sim-pairs.js';
import type { Side } from '../sim-types.js';
import { MarketBook } from './market-book.js';
import { CandleSeries, candleIntervals } from './market-candles.js';
import { RollingDay } from './market-rolling-day.js';
import { type TapeTrade, TradeTape } from './market-trades.js';
import { type PairUnits, pairUnits, textToUnits } from './market-units.js';

/** A change of the best prices (REST `Spread`). */
export interface SpreadPoint {
  /** Epoch ms. */
  time: number;
  bid: bigint;
  ask: bigint;
}

/** How many best-price changes per pair REST `Spread` can return. */
export const spreadCapacity = 1_000;

/**
 * Everything the market keeps about one pair: the book, the trade tape, the candles of every
 * interval, the rolling 24 h window and the history of best-price changes.
 */
export class PairMarket {
  readonly units: PairUnits;
  readonly book: MarketBook;
  readonly tape: TradeTape;
  readonly candles = new Map<number, CandleSeries>();
  readonly day = new RollingDay();
  /** Kraken's `last` is always defined; before the first trade the sim uses the model's start price. */
  readonly initialPrice: bigint;
  readonly #spreads: (SpreadPoint | undefined)[] = new Array(spreadCapacity);
  #spreadStart = 0;
  #spreadSize = 0;
  #bestBid: bigint | undefined;
  #bestAsk: bigint | undefined;

  constructor(readonly pair: SimPair) {
    this.units = pairUnits(pair);
    this.book = new MarketBook(this.units);
    this.tape = new TradeTape(this.units);
    for (const interval of candleIntervals) this.candles.set(interval, new CandleSeries(interval));
    this.initialPrice = textToUnits(pair.market.initialPrice, pair.pricePrecision);
  }

  get symbol(): string {
    return this.pair.symbol;
  }

  recordTrade(
    side: Side,
    orderType: 'limit' | 'market',
    price: bigint,
    qty: bigint,
    time: number,
  ): TapeTrade {
    const trade = this.tape.record(side, orderType, price, qty, time);
    for (const series of this.candles.values()) series.record(price, qty, time);
    this.day.record(price, qty, time);
    return trade;
  }

  lastPrice(): bigint {
    return this.tape.last()?.price ?? this.initialPrice;
  }

  series(intervalMinutes: number): CandleSeries {
    const series = this.candles.get(intervalMinutes);
    if (!series) throw new Error(`unsupported OHLC interval ${intervalMinutes}`);
    return series;
  }

  /** Records a spread point when the best prices moved. */
  noteBestPrices(time: number): void {
    const bid = this.book.bids.best()?.price;
    const ask = this.book.asks.best()?.price;
    if (bid === this.#bestBid && ask === this.#bestAsk) return;
    this.#bestBid = bid;
    this.#bestAsk = ask;
    if (bid === undefined || ask === undefined) return;
    const point: SpreadPoint = { time, bid, ask };
    if (this.#spreadSize < spreadCapacity) {
      this.#spreads[(this.#spreadStart + this.#spreadSize) % spreadCapacity] = point;
      this.#spreadSize += 1;
    } else {
      this.#spreads[this.#spreadStart] = point;
      this.#spreadStart = (this.#spreadStart + 1) % spreadCapacity;
    }
  }

  /** Best-price changes, oldest first. */
  spreads(): SpreadPoint[] {
    const out: SpreadPoint[] = [];
    for (let i = 0; i < this.#spreadSize; i++) {
      out.push(this.#spreads[(this.#spreadStart + i) % spreadCapacity] as SpreadPoint);
    }
    return out;
  }
}
