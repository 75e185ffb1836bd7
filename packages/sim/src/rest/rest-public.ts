import { alignTime, candleLimit, isCandleInterval } from '../market/market-candles.js';
import { marketFeedOf } from '../market/market-feed.js';
import { unitsToText } from '../market/market-units.js';
import type { SimContext } from '../sim-context.js';
import type { Big } from '../sim-decimal.js';
import { invalidArguments, krakenErrors } from '../sim-errors.js';
import type { CreatePublicRest, PublicRestApi, SimMarket } from '../sim-modules.js';
import type { SimAsset, SimPair } from '../sim-pairs.js';
import type { CommandResult } from '../sim-types.js';
import { restAsset, restAssetPair } from './rest-public-assets.js';

type Params = Readonly<Record<string, string>>;
type Result = CommandResult<unknown>;

const ok = (value: unknown): Result => ({ ok: true, value });
const fail = (error: string): Result => ({ ok: false, error });

/**
 * Kraken's public REST methods (`/0/public/<Method>`), answered from the market. Results
 * are keyed by REST pair ids (`XXBTZUSD`) whatever spelling was asked for (id, altname, slash
 * names; case-insensitive); prices and volumes are decimal strings at the pair's decimals,
 * times are numbers. Sim choices: the methods that take one pair refuse a list with
 * `EGeneral:Invalid arguments:pair`.
 */
export const createPublicRest: CreatePublicRest = (context, market) => {
  const api: PublicRestApi = {
    Time: () => time(context),
    SystemStatus: () =>
      ok({
        status: context.status.current,
        timestamp: `${new Date(context.clock.now()).toISOString().slice(0, 19)}Z`,
      }),
    Assets: (params) => assets(context, params),
    AssetPairs: (params) => assetPairs(context, params),
    Ticker: (params) => ticker(context, market, params),
    Depth: (params) => depth(context, market, params),
    OHLC: (params) => ohlc(context, market, params),
    Trades: (params) => trades(context, market, params),
    Spread: (params) => spread(context, market, params),
  };
  return api;
};

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `{unixtime, rfc1123}`; Kraken's rfc1123 has a two-digit year: `Sun, 21 Mar 21 14:23:14 +0000`. */
function time(context: SimContext): Result {
  const now = context.clock.now();
  const date = new Date(now);
  const two = (value: number) => String(value).padStart(2, '0');
  const rfc1123 = `${weekdays[date.getUTCDay()]}, ${two(date.getUTCDate())} ${months[date.getUTCMonth()]} ${two(
    date.getUTCFullYear() % 100,
  )} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
  return ok({ unixtime: Math.floor(now / 1000), rfc1123 });
}

function list(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function findPair(context: SimContext, name: string): SimPair | undefined {
  return context.catalog.byRestName(name) ?? context.catalog.byRestName(name.toUpperCase());
}

/** The pairs a `pair` list names (all pairs when absent and `all`), or Kraken's error. */
function pairs(context: SimContext, params: Params, all: boolean): SimPair[] | string {
  const names = list(params.pair);
  if (names.length === 0) return all ? [...context.catalog.pairs] : invalidArguments('pair');
  const found: SimPair[] = [];
  for (const name of names) {
    const pair = findPair(context, name);
    if (!pair) return krakenErrors.unknownPair;
    if (!found.includes(pair)) found.push(pair);
  }
  return found;
}

/** Exactly one pair (Depth, OHLC, Trades, Spread). */
function onePair(context: SimContext, params: Params): SimPair | string {
  const found = pairs(context, params, false);
  if (typeof found === 'string') return found;
  return found.length === 1 ? (found[0] as SimPair) : invalidArguments('pair');
}

/** An integer parameter within bounds; `fallback` when absent; undefined when malformed. */
function integer(text: string | undefined, min: number, max: number, fallback: number): number | undefined {
  if (text === undefined || text === '') return fallback;
  if (!/^-?\d{1,15}$/.test(text)) return undefined;
  const value = Number(text);
  return value >= min && value <= max ? value : undefined;
}

function assets(context: SimContext, params: Params): Result {
  const aclass = params.aclass ?? 'currency';
  if (aclass !== 'currency' && aclass !== 'tokenized_asset') return fail(invalidArguments('aclass'));
  if (aclass !== 'currency') return ok({});
  const names = list(params.asset);
  let chosen: SimAsset[] = context.catalog.assets.slice();
  if (names.length > 0) {
    chosen = [];
    for (const name of names) {
      const asset = context.catalog.assetByName(name) ?? context.catalog.assetByName(name.toUpperCase());
      if (!asset) return fail(krakenErrors.unknownAsset);
      if (!chosen.includes(asset)) chosen.push(asset);
    }
  }
  return ok(Object.fromEntries(chosen.map((asset) => [asset.restId, restAsset(asset)])));
}

function assetPairs(context: SimContext, params: Params): Result {
  const info = params.info ?? 'info';
  if (info !== 'info' && info !== 'leverage' && info !== 'fees' && info !== 'margin') {
    return fail(invalidArguments('info'));
  }
  const aclassBase = params.aclass_base ?? 'currency';
  if (aclassBase !== 'currency' && aclassBase !== 'tokenized_asset')
    return fail(invalidArguments('aclass_base'));
  const found = pairs(context, params, true);
  if (typeof found === 'string') return fail(found);
  if (aclassBase !== 'currency') return ok({});
  return ok(
    Object.fromEntries(found.map((pair) => [pair.restId, restAssetPair(pair, context.catalog, info)])),
  );
}

function ticker(context: SimContext, market: SimMarket, params: Params): Result {
  const found = pairs(context, params, true);
  if (typeof found === 'string') return fail(found);
  const now = context.clock.now();
  const result: Record<string, unknown> = {};
  for (const pair of found) {
    const stats = market.ticker(pair.symbol);
    const price = (value: Big | undefined, fallback?: Big) =>
      (value ?? fallback ?? stats.last)?.toFixed(pair.pricePrecision) ?? '0';
    const qty = (value: Big | undefined) =>
      value?.toFixed(pair.qtyPrecision) ?? (0).toFixed(pair.qtyPrecision);
    const wholeLots = (value: Big | undefined) => (value ? value.round(0, 0).toFixed(0) : '0');
    const lastTrade = market.recentTrades(pair.symbol, 1)[0];
    const daily = market.candles(pair.symbol, 1440).at(-1);
    const open =
      daily && daily.intervalBegin === alignTime(now, 86_400_000) && daily.trades > 0
        ? daily.open
        : stats.last;
    result[pair.restId] = {
      a: [price(stats.ask), wholeLots(stats.askQty), qty(stats.askQty)],
      b: [price(stats.bid), wholeLots(stats.bidQty), qty(stats.bidQty)],
      c: [price(stats.last), qty(lastTrade?.qty)],
      v: [qty(stats.today.volume), qty(stats.volume)],
      p: [price(stats.today.vwap), price(stats.vwap)],
      t: [stats.today.tradeCount, stats.tradeCount],
      l: [price(stats.today.low), price(stats.low)],
      h: [price(stats.today.high), price(stats.high)],
      o: price(open),
    };
  }
  return ok(result);
}

function depth(context: SimContext, market: SimMarket, params: Params): Result {
  const pair = onePair(context, params);
  if (typeof pair === 'string') return fail(pair);
  const count = integer(params.count, 1, 500, 100);
  if (count === undefined) return fail(invalidArguments('count'));
  const book = market.book(pair.symbol);
  const rows = (side: 'asks' | 'bids') =>
    book
      .levels(side, count)
      .map((level) => [
        level.price.toFixed(pair.pricePrecision),
        level.qty.toFixed(pair.qtyPrecision),
        Math.floor(level.updatedAt / 1000),
      ]);
  return ok({ [pair.restId]: { asks: rows('asks'), bids: rows('bids') } });
}

function ohlc(context: SimContext, market: SimMarket, params: Params): Result {
  const pair = onePair(context, params);
  if (typeof pair === 'string') return fail(pair);
  const interval = integer(params.interval, 1, 21_600, 1);
  if (interval === undefined || !isCandleInterval(interval)) return fail(invalidArguments('interval'));
  const since = integer(params.since, 0, Number.MAX_SAFE_INTEGER, -1);
  if (since === undefined) return fail(invalidArguments('since'));
  const intervalMs = interval * 60_000;
  const candles = market
    .candles(pair.symbol, interval, since < 0 ? undefined : since * 1000)
    .slice(-candleLimit);
  const rows = candles.map((candle) => [
    Math.floor(candle.intervalBegin / 1000),
    candle.open.toFixed(pair.pricePrecision),
    candle.high.toFixed(pair.pricePrecision),
    candle.low.toFixed(pair.pricePrecision),
    candle.close.toFixed(pair.pricePrecision),
    candle.vwap.toFixed(pair.pricePrecision),
    candle.volume.toFixed(pair.qtyPrecision),
    candle.trades,
  ]);
  // `last`: the newest committed candle (the one before the forming one), to poll with as `since`.
  const forming = alignTime(context.clock.now(), intervalMs);
  return ok({ [pair.restId]: rows, last: Math.floor((forming - intervalMs) / 1000) });
}

function trades(context: SimContext, market: SimMarket, params: Params): Result {
  const pair = onePair(context, params);
  if (typeof pair === 'string') return fail(pair);
  const since = params.since === undefined || params.since === '' ? undefined : params.since;
  if (since !== undefined && !/^\d{1,20}$/.test(since)) return fail(invalidArguments('since'));
  const count = integer(params.count, 1, 1000, 1000);
  if (count === undefined) return fail(invalidArguments('count'));
  const page = market.tradesSince(pair.symbol, since, count);
  const rows = page.trades.map((trade) => [
    trade.price.toFixed(pair.pricePrecision),
    trade.qty.toFixed(pair.qtyPrecision),
    trade.time / 1000,
    trade.side === 'buy' ? 'b' : 's',
    trade.orderType === 'market' ? 'm' : 'l',
    '',
    trade.tradeId,
  ]);
  return ok({ [pair.restId]: rows, last: page.last });
}

function spread(context: SimContext, market: SimMarket, params: Params): Result {
  const pair = onePair(context, params);
  if (typeof pair === 'string') return fail(pair);
  const since = integer(params.since, 0, Number.MAX_SAFE_INTEGER, -1);
  if (since === undefined) return fail(invalidArguments('since'));
  const points = marketFeedOf(market).pair(pair.symbol)?.spreads() ?? [];
  const rows = points
    .filter((point) => Math.floor(point.time / 1000) > since)
    .map((point) => [
      Math.floor(point.time / 1000),
      unitsToText(point.bid, pair.pricePrecision),
      unitsToText(point.ask, pair.pricePrecision),
    ]);
  const newest = rows[rows.length - 1];
  const last = newest ? newest[0] : since >= 0 ? since : Math.floor(context.clock.now() / 1000);
  return ok({ [pair.restId]: rows, last });
}
