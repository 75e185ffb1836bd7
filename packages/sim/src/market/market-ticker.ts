import { Decimal, zero } from '../sim-decimal.js';
import type { Candle, TickerStats } from '../sim-modules.js';
import { alignTime, type UnitCandle, vwapOf } from './market-candles.js';
import type { PairMarket } from './market-pair.js';
import { type PairUnits, unitsToBig } from './market-units.js';

const dayMs = 86_400_000;

/**
 * Level 1 of a pair: best bid/ask, last price, the rolling 24 h window (one-minute
 * granularity) and today since 00:00 UTC (the forming daily candle).
 */
export function tickerStats(market: PairMarket, now: number): TickerStats {
  const { units, book } = market;
  const price = (value: bigint | undefined) =>
    value === undefined ? undefined : unitsToBig(value, units.pricePlaces);
  const qty = (value: bigint) => unitsToBig(value, units.qtyPlaces);
  const bid = book.bids.best();
  const ask = book.asks.best();
  const last = market.lastPrice();
  const day = market.day.stats(now);
  const change = day.open === undefined ? 0n : last - day.open;
  const changePct =
    day.open === undefined || day.open === 0n
      ? zero
      : new Decimal(change.toString()).times('100').div(day.open.toString()).round(2, Decimal.roundHalfUp);
  const daily = market.series(1440).forming(now);
  const today = daily && daily.begin === alignTime(now, dayMs) && daily.trades > 0 ? daily : undefined;
  return {
    bid: price(bid?.price),
    bidQty: bid ? qty(bid.visible) : undefined,
    ask: price(ask?.price),
    askQty: ask ? qty(ask.visible) : undefined,
    last: price(last),
    volume: qty(day.volume),
    vwap: day.volume > 0n ? price((2n * day.cost + day.volume) / (2n * day.volume)) : undefined,
    low: price(day.low),
    high: price(day.high),
    open: price(day.open),
    change: unitsToBig(change, units.pricePlaces),
    changePct,
    tradeCount: day.trades,
    today: {
      volume: today ? qty(today.volume) : zero,
      vwap: today ? price(vwapOf(today)) : undefined,
      low: price(today?.low),
      high: price(today?.high),
      tradeCount: today?.trades ?? 0,
    },
  };
}

/** A unit candle as the seam's {@link Candle}. */
export function toCandle(units: PairUnits, intervalMinutes: number, candle: UnitCandle): Candle {
  const price = (value: bigint) => unitsToBig(value, units.pricePlaces);
  return {
    symbol: units.pair.symbol,
    intervalMinutes,
    intervalBegin: candle.begin,
    open: price(candle.open),
    high: price(candle.high),
    low: price(candle.low),
    close: price(candle.close),
    vwap: price(vwapOf(candle)),
    volume: unitsToBig(candle.volume, units.qtyPlaces),
    trades: candle.trades,
  };
}
