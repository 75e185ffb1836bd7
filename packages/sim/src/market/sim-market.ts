import { createSeededRandom } from '@krakenkit/plugin-api';
import type { SimContext } from '../sim-context.js';
import { type Big, zero } from '../sim-decimal.js';
import type {
  Candle,
  CreateSimMarket,
  IcebergRefill,
  MakerFill,
  SimMarket,
  SimOrderBook,
  TakerResult,
  TakerSpec,
  TickerStats,
} from '../sim-modules.js';
import type { PublicTrade, Side } from '../sim-types.js';
import type { RestingOrder } from './book-side.js';
import { isCandleInterval } from './market-candles.js';
import { MarketEmitter } from './market-emitter.js';
import { registerMarketFeed } from './market-feed.js';
import { type FlowHost, type FlowPermissions, MarketGenerator } from './market-generator.js';
import { matchTaker, type UnitTaker } from './market-matching.js';
import { PairMarket } from './market-pair.js';
import { FlowScheduler } from './market-scheduler.js';
import { type MakerHandlers, settleTaker } from './market-settle.js';
import { tickerStats, toCandle } from './market-ticker.js';
import { bigToUnits, bigToUnitsDown, limitToUnits, unitsToBig } from './market-units.js';

/**
 * The sim's market: one book per pair (background liquidity and resting user orders in
 * price-time priority), matching mechanics, public trade records, ticker stats and OHLC,
 * and the seeded background flow. The engine reaches it through {@link SimMarket}; the
 * public feeds additionally read the books' change tracking (`marketFeedOf`).
 *
 * Choices where Kraken is silent: the market never matches unless the system status is
 * `online` (the background flow stops trading in `cancel_only`/`post_only` and stands still
 * in `maintenance`); `amendResting` never matches (the engine decides what a crossing amend
 * does); `qty` in `amendResting` is the new unfilled quantity, like `rest`.
 */
export const createSimMarket: CreateSimMarket = (context) => new SimMarketImpl(context);

class SimMarketImpl implements SimMarket {
  readonly #context: SimContext;
  readonly #pairs = new Map<string, PairMarket>();
  readonly #emitter: MarketEmitter;
  readonly #scheduler: FlowScheduler;
  readonly #handlers: MakerHandlers = { userFill: undefined, refill: undefined };

  constructor(context: SimContext) {
    this.#context = context;
    this.#emitter = new MarketEmitter(context);
    const flows: { generator: MarketGenerator; run: () => void }[] = [];
    const now = context.clock.now();
    for (const pair of context.catalog.pairs) {
      const market = new PairMarket(pair);
      this.#pairs.set(pair.symbol, market);
      const generator = new MarketGenerator(
        market.book,
        pair.market,
        createSeededRandom(`${context.seed}:market:${pair.symbol}`),
      );
      generator.seed(now);
      market.noteBestPrices(now);
      const host = this.#flowHost(market);
      flows.push({ generator, run: () => generator.step(host) });
    }
    this.#scheduler = new FlowScheduler(context, flows);
    registerMarketFeed(this, { pair: (symbol) => this.#pairs.get(symbol) });
  }

  book(symbol: string): SimOrderBook {
    return this.#pair(symbol).book;
  }

  rest(
    symbol: string,
    order: { orderId: string; accountId: string; side: Side; price: Big; qty: Big; displayQty?: Big },
  ): void {
    const market = this.#pair(symbol);
    const { book, units } = market;
    if (book.has(order.orderId)) {
      this.#context.reportError(new Error(`market.rest: order ${order.orderId} is already resting`));
      return;
    }
    const price = this.#restingPrice(order.side, order.price, units.pricePlaces);
    const qty = bigToUnitsDown(order.qty, units.qtyPlaces);
    if (qty <= 0n) {
      this.#context.reportError(new Error(`market.rest: order ${order.orderId} has no quantity`));
      return;
    }
    const peak =
      order.displayQty === undefined ? undefined : bigToUnitsDown(order.displayQty, units.qtyPlaces);
    const opposite = book.takingSide(order.side).best();
    if (opposite && (order.side === 'buy' ? price >= opposite.price : price <= opposite.price)) {
      this.#context.reportError(new Error(`market.rest: order ${order.orderId} crosses the book`));
    }
    const resting: RestingOrder = {
      id: order.orderId,
      accountId: order.accountId,
      remaining: qty,
      visible: peak !== undefined && peak > 0n && peak < qty ? peak : qty,
      peak: peak !== undefined && peak > 0n ? peak : undefined,
    };
    const now = this.#context.clock.now();
    book.append(book.restingSide(order.side), price, resting, now);
    this.#publishBook(market, now);
  }

  removeResting(symbol: string, orderId: string): Big | undefined {
    const market = this.#pair(symbol);
    const now = this.#context.clock.now();
    const remaining = market.book.cancel(orderId, now);
    if (remaining === undefined) return undefined;
    this.#publishBook(market, now);
    return unitsToBig(remaining, market.units.qtyPlaces);
  }

  amendResting(
    symbol: string,
    orderId: string,
    change: { price?: Big; qty?: Big; displayQty?: Big },
  ): boolean {
    const market = this.#pair(symbol);
    const { book, units } = market;
    const entry = book.order(orderId);
    if (!entry) return false;
    const { order } = entry;
    const side: Side = entry.side.isBid ? 'buy' : 'sell';
    const price =
      change.price === undefined ? entry.price : this.#restingPrice(side, change.price, units.pricePlaces);
    const remaining =
      change.qty === undefined ? order.remaining : bigToUnitsDown(change.qty, units.qtyPlaces);
    const peak =
      change.displayQty === undefined ? order.peak : bigToUnitsDown(change.displayQty, units.qtyPlaces);
    if (remaining <= 0n || (peak !== undefined && peak <= 0n)) return false;
    const now = this.#context.clock.now();
    if (price === entry.price) {
      // Kraken: a smaller quantity at the same price keeps the queue position; anything
      // else (more quantity, a larger display part) goes to the back.
      const keep =
        remaining <= order.remaining &&
        (change.displayQty === undefined ||
          (order.peak !== undefined && peak !== undefined && peak <= order.peak));
      book.resize(orderId, remaining, peak, keep, now);
    } else {
      book.cancel(orderId, now);
      const visible = peak !== undefined && peak < remaining ? peak : remaining;
      book.append(
        entry.side,
        price,
        { id: order.id, accountId: order.accountId, remaining, visible, peak },
        now,
      );
    }
    this.#publishBook(market, now);
    return true;
  }

  executeTaker(spec: TakerSpec): TakerResult {
    const market = this.#pair(spec.symbol);
    const { units } = market;
    const taker: UnitTaker = { side: spec.side };
    if (spec.qty !== undefined) taker.qty = bigToUnitsDown(spec.qty, units.qtyPlaces);
    if (spec.cashQty !== undefined)
      taker.cash = bigToUnitsDown(spec.cashQty, units.pricePlaces + units.qtyPlaces);
    if (spec.limitPrice !== undefined)
      taker.limit = limitToUnits(spec.side, spec.limitPrice, units.pricePlaces);
    if (spec.accountId !== undefined) taker.accountId = spec.accountId;
    if (spec.onSelfTrade !== undefined) taker.onSelfTrade = spec.onSelfTrade;
    if (!this.#context.status.matching || (taker.qty === undefined && taker.cash === undefined)) {
      return {
        fills: [],
        filledQty: zero,
        filledCost: zero,
        stoppedBySelfTrade: false,
        cancelledMakerOrderIds: [],
      };
    }
    return this.#take(market, taker, spec.orderType);
  }

  onUserMakerFill(handler: (fill: MakerFill) => void): void {
    this.#handlers.userFill = handler;
  }

  onIcebergRefill(handler: (refill: IcebergRefill) => void): void {
    this.#handlers.refill = handler;
  }

  lastPrice(symbol: string): Big | undefined {
    const market = this.#pair(symbol);
    return unitsToBig(market.lastPrice(), market.units.pricePlaces);
  }

  ticker(symbol: string): TickerStats {
    return tickerStats(this.#pair(symbol), this.#context.clock.now());
  }

  recentTrades(symbol: string, count: number): PublicTrade[] {
    const { tape } = this.#pair(symbol);
    return tape.recent(count).map((trade) => tape.toPublic(trade));
  }

  tradesSince(
    symbol: string,
    since: string | undefined,
    count: number,
  ): { trades: PublicTrade[]; last: string } {
    const { tape } = this.#pair(symbol);
    const cursor = since === undefined ? undefined : parseCursor(since);
    const trades = cursor === undefined ? tape.recent(count) : tape.after(cursor, count);
    const newest = trades[trades.length - 1];
    const last =
      newest?.cursor ??
      cursor ??
      tape.last()?.cursor ??
      BigInt(Math.floor(this.#context.clock.now())) * 1_000_000n;
    return { trades: trades.map((trade) => tape.toPublic(trade)), last: last.toString() };
  }

  /** `since`: epoch ms, exclusive (the forming candle is always included). */
  candles(symbol: string, intervalMinutes: number, since?: number): Candle[] {
    const market = this.#pair(symbol);
    if (!isCandleInterval(intervalMinutes)) throw new Error(`unsupported OHLC interval ${intervalMinutes}`);
    return market
      .series(intervalMinutes)
      .query(this.#context.clock.now(), since)
      .map((candle) => toCandle(market.units, intervalMinutes, candle));
  }

  start(): void {
    this.#scheduler.start();
  }

  stop(): void {
    this.#scheduler.stop();
  }

  #pair(symbol: string): PairMarket {
    const market = this.#pairs.get(symbol);
    if (!market) throw new Error(`market: unknown symbol ${symbol}`);
    return market;
  }

  /** Off-grid resting prices are a caller bug; rounded away from the spread so the book stays uncrossed. */
  #restingPrice(side: Side, price: Big, places: number): bigint {
    const exact = bigToUnits(price, places);
    if (exact !== undefined) return exact;
    this.#context.reportError(new Error(`market: price ${price.toFixed()} has more than ${places} decimals`));
    return limitToUnits(side, price, places);
  }

  #take(market: PairMarket, taker: UnitTaker, orderType: 'limit' | 'market'): TakerResult {
    const now = this.#context.clock.now();
    const match = matchTaker(market.book, taker, now);
    return settleTaker(
      this.#context,
      this.#emitter,
      this.#handlers,
      market,
      { side: taker.side, orderType },
      match,
      now,
    );
  }

  #publishBook(market: PairMarket, now: number): void {
    market.noteBestPrices(now);
    this.#emitter.enqueue({ kind: 'book-change', symbol: market.symbol });
    this.#emitter.flush();
  }

  #flowHost(market: PairMarket): FlowHost {
    return {
      now: () => this.#context.clock.now(),
      permissions: () => this.#permissions(market),
      take: (side: Side, orderType: 'limit' | 'market', qty: bigint, limit: bigint | undefined) => {
        const taker: UnitTaker = { side, qty };
        if (limit !== undefined) taker.limit = limit;
        this.#take(market, taker, orderType);
      },
      publish: () => this.#publishBook(market, this.#context.clock.now()),
    };
  }

  /** Kraken's status rules applied to the background flow. */
  #permissions(market: PairMarket): FlowPermissions {
    const system = this.#context.status.current;
    const pair = market.pair.status;
    if (system === 'maintenance') return { add: false, cancel: false, trade: false };
    const cancelOnly = system === 'cancel_only' || pair === 'cancel_only';
    const postOnly = system === 'post_only' || pair === 'post_only';
    return {
      add: !cancelOnly,
      cancel: true,
      trade: !cancelOnly && !postOnly && this.#context.status.matching,
    };
  }
}

/** REST `since`: nanoseconds (Kraken's cursor), or plain Unix seconds (older clients). */
function parseCursor(since: string): bigint | undefined {
  if (!/^\d{1,20}$/.test(since)) return undefined;
  const value = BigInt(since);
  return since.length <= 11 ? value * 1_000_000_000n : value;
}
