import type { Big } from '../sim-decimal.js';
import type { BookLevel, SimOrderBook } from '../sim-modules.js';
import type { Side } from '../sim-types.js';
import { BookSide, type Level, type RestingOrder } from './book-side.js';
import { limitToUnits, type PairUnits, unitsToBig } from './market-units.js';

/** Visible quantity of each touched price level before the first change since the last drain. */
export interface BookChanges {
  readonly bids: ReadonlyMap<bigint, bigint>;
  readonly asks: ReadonlyMap<bigint, bigint>;
}

interface OrderEntry {
  order: RestingOrder;
  side: BookSide;
  price: bigint;
}

/** Outcome of filling the order at the front of a level (or any position in its queue). */
export interface FillOutcome {
  /** The order left the book (fully filled). */
  removed: boolean;
  /** An iceberg showed its next part and went to the back of the queue. */
  refilled: boolean;
}

/**
 * One pair's order book: two sides of price levels, each a FIFO queue of orders (the
 * background market's own liquidity and resting user orders alike), plus an index by order
 * id. Every mutation records the touched price levels so the public feed can publish exact
 * differences without rescanning the book.
 */
export class MarketBook implements SimOrderBook {
  readonly bids = new BookSide(true);
  readonly asks = new BookSide(false);
  readonly #orders = new Map<string, OrderEntry>();
  #changedBids = new Map<bigint, bigint>();
  #changedAsks = new Map<bigint, bigint>();

  constructor(readonly units: PairUnits) {}

  get symbol(): string {
    return this.units.pair.symbol;
  }

  /** The side a resting order of `side` sits on. */
  restingSide(side: Side): BookSide {
    return side === 'buy' ? this.bids : this.asks;
  }

  /** The side a taker of `side` takes from. */
  takingSide(side: Side): BookSide {
    return side === 'buy' ? this.asks : this.bids;
  }

  has(orderId: string): boolean {
    return this.#orders.has(orderId);
  }

  order(orderId: string): { order: RestingOrder; side: BookSide; price: bigint } | undefined {
    return this.#orders.get(orderId);
  }

  /** Appends an order at the back of its price level's queue. */
  append(side: BookSide, price: bigint, order: RestingOrder, now: number): void {
    const level = side.getOrCreate(price, now);
    this.#touch(side, level);
    level.orders.push(order);
    level.visible += order.visible;
    level.updatedAt = now;
    this.#orders.set(order.id, { order, side, price });
  }

  /** Removes an order; returns what it had left (hidden part included). */
  cancel(orderId: string, now: number): bigint | undefined {
    const entry = this.#orders.get(orderId);
    if (!entry) return undefined;
    const level = entry.side.get(entry.price);
    if (!level) return undefined;
    const index = level.orders.indexOf(entry.order);
    if (index < 0) return undefined;
    this.#touch(entry.side, level);
    level.orders.splice(index, 1);
    level.visible -= entry.order.visible;
    level.updatedAt = now;
    this.#orders.delete(orderId);
    if (level.orders.length === 0) entry.side.removeLevel(level.price);
    return entry.order.remaining;
  }

  /**
   * Sets an order's remaining quantity (and iceberg display size). Keeps its place in the
   * queue when `keepPriority`, else moves it to the back of its level.
   */
  resize(
    orderId: string,
    remaining: bigint,
    peak: bigint | undefined,
    keepPriority: boolean,
    now: number,
  ): boolean {
    const entry = this.#orders.get(orderId);
    if (!entry || remaining <= 0n) return false;
    const level = entry.side.get(entry.price);
    if (!level) return false;
    const { order } = entry;
    this.#touch(entry.side, level);
    level.visible -= order.visible;
    order.remaining = remaining;
    order.peak = peak;
    order.visible = peak === undefined || peak >= remaining ? remaining : peak;
    level.visible += order.visible;
    level.updatedAt = now;
    if (!keepPriority) {
      const index = level.orders.indexOf(order);
      level.orders.splice(index, 1);
      level.orders.push(order);
    }
    return true;
  }

  /**
   * Fills `qty` (at most the order's visible part) of the order at `index` in `level`. An
   * iceberg whose visible part is used up shows its next part at the back of the queue.
   */
  fillAt(side: BookSide, level: Level, index: number, qty: bigint, now: number): FillOutcome {
    const order = level.orders[index] as RestingOrder;
    this.#touch(side, level);
    order.visible -= qty;
    order.remaining -= qty;
    level.visible -= qty;
    level.updatedAt = now;
    if (order.visible > 0n) return { removed: false, refilled: false };
    level.orders.splice(index, 1);
    if (order.remaining > 0n) {
      order.visible =
        order.peak === undefined || order.peak >= order.remaining ? order.remaining : order.peak;
      level.orders.push(order);
      level.visible += order.visible;
      return { removed: false, refilled: true };
    }
    this.#orders.delete(order.id);
    if (level.orders.length === 0) side.removeLevel(level.price);
    return { removed: true, refilled: false };
  }

  /** Touched levels since the last drain (visible quantity before the first change), then forgets them. */
  drainChanges(): BookChanges | undefined {
    if (this.#changedBids.size === 0 && this.#changedAsks.size === 0) return undefined;
    const changes = { bids: this.#changedBids, asks: this.#changedAsks };
    this.#changedBids = new Map();
    this.#changedAsks = new Map();
    return changes;
  }

  #touch(side: BookSide, level: Level): void {
    const changed = side.isBid ? this.#changedBids : this.#changedAsks;
    if (!changed.has(level.price)) changed.set(level.price, level.visible);
  }

  // --- SimOrderBook (read access for the engine and REST) ---

  bestBid(): Big | undefined {
    const level = this.bids.best();
    return level ? unitsToBig(level.price, this.units.pricePlaces) : undefined;
  }

  bestAsk(): Big | undefined {
    const level = this.asks.best();
    return level ? unitsToBig(level.price, this.units.pricePlaces) : undefined;
  }

  levels(side: 'bids' | 'asks', depth: number): BookLevel[] {
    const { pricePlaces, qtyPlaces } = this.units;
    return this[side].levels.slice(0, Math.max(0, depth)).map((level) => ({
      price: unitsToBig(level.price, pricePlaces),
      qty: unitsToBig(level.visible, qtyPlaces),
      updatedAt: level.updatedAt,
    }));
  }

  availableQty(takerSide: Side, limitPrice: Big | undefined, excludeAccountId?: string): Big {
    const side = this.takingSide(takerSide);
    const limit =
      limitPrice === undefined ? undefined : limitToUnits(takerSide, limitPrice, this.units.pricePlaces);
    let total = 0n;
    for (const level of side.levels) {
      if (limit !== undefined && side.better(limit, level.price)) break;
      for (const order of level.orders) {
        if (excludeAccountId === undefined || order.accountId !== excludeAccountId) total += order.remaining;
      }
    }
    return unitsToBig(total, this.units.qtyPlaces);
  }

  wouldCross(side: Side, price: Big): boolean {
    const best = this.takingSide(side).best();
    if (!best) return false;
    const limit = limitToUnits(side, price, this.units.pricePlaces);
    return side === 'buy' ? limit >= best.price : limit <= best.price;
  }
}
