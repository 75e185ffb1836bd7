import type { Random } from '@krakenkit/plugin-api';
import type { SimMarketModel } from '../sim-pairs.js';
import type { Side } from '../sim-types.js';
import type { BookSide, Level } from './book-side.js';
import type { MarketBook } from './market-book.js';
import { Draws } from './market-random.js';
import { type PairUnits, scaleOf, textToUnits } from './market-units.js';

/** What the background flow may do right now (system status and pair status decide). */
export interface FlowPermissions {
  add: boolean;
  cancel: boolean;
  trade: boolean;
}

/** The market, as the background flow drives it. */
export interface FlowHost {
  now(): number;
  permissions(): FlowPermissions;
  /** A background taker through the market's matching (trades recorded and published). */
  take(side: Side, orderType: 'limit' | 'market', qty: bigint, limit: bigint | undefined): void;
  /** Publishes the book changes made since the last call. */
  publish(): void;
}

/** Levels of the top of book whose liquidity a background taker may take at most. */
const takerReachLevels = 5;
/** The deepest a "pull stale quotes" event reaches. */
const maxPullLevels = 50;
/** Levels quoted behind a new best price when the top jumps. */
const maxLadderFill = 8n;

/**
 * One pair's seeded background market. A hidden fair price follows a random walk
 * (`volatilityBps` per second, spread over the pair's event rate); market makers keep a
 * ladder of `depthLevels` levels per side around it (adds, size changes, cancels, gap
 * fills, stale-quote pulls), and background takers trade toward it, now and then in bursts.
 *
 * Deterministic: every draw comes from one seeded generator, and what an event does depends
 * only on that generator and the book, never on the clock or the market speed (which only
 * spaces events in time). Same seed, same user activity: same stream.
 */
export class MarketGenerator {
  readonly #book: MarketBook;
  readonly #units: PairUnits;
  readonly #draws: Draws;
  readonly #spread: bigint;
  readonly #typicalQty: number;
  readonly #qtyScale: number;
  readonly #sigma: number;
  readonly #tradeShare: number;
  readonly #maxGapTicks: number;
  readonly #depth: number;
  /** Events per second at market speed 1. */
  readonly eventsPerSecond: number;
  #fair: number;
  #nextId = 1;

  constructor(book: MarketBook, model: SimMarketModel, random: Random) {
    this.#book = book;
    this.#units = book.units;
    this.#draws = new Draws(random);
    const { tick, pricePlaces, qtyPlaces } = this.#units;
    this.#spread = BigInt(model.spreadTicks) * tick;
    this.#qtyScale = 10 ** qtyPlaces;
    this.#typicalQty = Number(model.typicalLevelQty);
    this.#depth = model.depthLevels;
    this.eventsPerSecond = model.eventsPerSecond + model.tradesPerSecond;
    this.#tradeShare = this.eventsPerSecond > 0 ? model.tradesPerSecond / this.eventsPerSecond : 0;
    this.#sigma =
      this.eventsPerSecond > 0 ? model.volatilityBps / 10_000 / Math.sqrt(this.eventsPerSecond) : 0;
    this.#fair = Number(textToUnits(model.initialPrice, pricePlaces));
    // Deep levels spread out (1..3 ticks apart) unless the price is only a few ticks wide.
    const roomTicks = this.#fair / Number(tick) / (2 * model.depthLevels);
    this.#maxGapTicks = Math.max(1, Math.min(3, Math.floor(roomTicks)));
  }

  /** The opening ladder: `depthLevels` levels per side around the start price. */
  seed(now: number): void {
    const { bids, asks } = this.#book;
    for (let i = 0; i < this.#depth; i++) {
      for (const side of [bids, asks]) {
        const price = side.size === 0 ? this.#topTarget(side) : this.#nextDeeperPrice(side);
        if (price === undefined) continue;
        const orders = this.#draws.int(1, 2);
        for (let k = 0; k < orders; k++) this.#appendOrder(side, price, now);
      }
    }
    this.#book.drainChanges();
  }

  /** Time to the next event, ms (exponential gaps, mean 1 / (rate × speed)). */
  nextGapMs(speed: number): number {
    return (this.#draws.exponential() * 1000) / (this.eventsPerSecond * speed);
  }

  /** One background event. */
  step(host: FlowHost): void {
    const draws = this.#draws;
    const minimum = Number(this.#units.tick) * 20;
    this.#fair = Math.max(minimum, this.#fair * Math.exp(this.#sigma * draws.normal()));
    if (draws.chance(this.#tradeShare)) this.#trade(host);
    else this.#levelEvent(host);
  }

  #trade(host: FlowHost): void {
    const draws = this.#draws;
    const { bids, asks } = this.#book;
    const bid = bids.best()?.price;
    const ask = asks.best()?.price;
    const mid = bid !== undefined && ask !== undefined ? Number(bid + ask) / 2 : this.#fair;
    const scale = Math.max(Number(this.#units.tick), this.#fair * this.#sigma) * 2;
    const buy = draws.chance(1 / (1 + Math.exp(-(this.#fair - mid) / scale)));
    const side: Side = buy ? 'buy' : 'sell';
    const takers = draws.chance(0.06) ? draws.int(2, 5) : 1;
    for (let i = 0; i < takers; i++) {
      const wanted = this.#sampleQty(0.35, 0.03);
      const market = draws.chance(0.65);
      const slack = BigInt(draws.int(0, 3)) * this.#units.tick;
      const taking = this.#book.takingSide(side);
      const best = taking.best();
      if (!best || !host.permissions().trade) continue;
      let reach = 0n;
      for (let k = 0; k < takerReachLevels && k < taking.size; k++)
        reach += (taking.levels[k] as Level).visible;
      const qty = wanted < reach ? wanted : reach;
      if (qty <= 0n) continue;
      const limit = market ? undefined : buy ? best.price + slack : best.price - slack;
      host.take(side, market ? 'market' : 'limit', qty, limit);
    }
  }

  #levelEvent(host: FlowHost): void {
    const draws = this.#draws;
    const now = host.now();
    const allowed = host.permissions();
    const side = draws.chance(0.5) ? this.#book.bids : this.#book.asks;
    const kind = draws.uniform();
    if (kind < 0.3) this.#requote(side, allowed, now);
    else if (kind < 0.8) this.#resizeLevel(side, Math.floor(draws.exponential() * 6), allowed, now);
    else if (kind < 0.92) this.#fillGap(side, Math.floor(draws.exponential() * 10), allowed, now);
    else if (draws.chance(0.5) && allowed.cancel)
      this.#clearLevel(side, draws.int(0, Math.max(0, side.size - 1)), now);
    else this.#resizeLevel(side, draws.int(0, Math.max(0, side.size - 1)), allowed, now);
    this.#balanceDepth(this.#book.bids, allowed, now);
    this.#balanceDepth(this.#book.asks, allowed, now);
    host.publish();
  }

  /** Market makers follow the fair price: improve the top toward it, or pull quotes left beyond it. */
  #requote(side: BookSide, allowed: FlowPermissions, now: number): void {
    const target = this.#topTarget(side);
    const best = side.best();
    if (target === undefined) return;
    if (!best || side.better(target, best.price)) {
      if (!allowed.add) return;
      this.#appendOrder(side, target, now);
      // Quote behind the new top too, so a fast move leaves a ladder rather than a hole.
      if (!best) return;
      const { tick } = this.#units;
      const gapTicks = (side.isBid ? target - best.price : best.price - target) / tick;
      const fills = gapTicks - 1n < maxLadderFill ? gapTicks - 1n : maxLadderFill;
      for (let i = 1n; i <= fills; i++) {
        const offset = ((i * gapTicks) / (fills + 1n)) * tick;
        this.#appendOrder(side, side.isBid ? target - offset : target + offset, now);
      }
      return;
    }
    if (best.price === target) {
      if (allowed.add) this.#addToLevel(side, best, now);
      return;
    }
    if (!allowed.cancel) return;
    for (let i = 0, pulled = 0; i < side.size && pulled < maxPullLevels; ) {
      const level = side.levels[i] as Level;
      if (!side.better(level.price, target)) break;
      const before = side.size;
      this.#clearLevel(side, i, now);
      pulled += 1;
      if (side.size === before) i += 1; // user orders keep the level in place
    }
  }

  /** Adds to, or takes from, the background size of the level at `index`. */
  #resizeLevel(side: BookSide, index: number, allowed: FlowPermissions, now: number): void {
    const draws = this.#draws;
    const level = side.levels[Math.min(index, side.size - 1)];
    const grow = draws.chance(0.55);
    const pick = draws.uniform();
    const keepShare = 0.2 + 0.7 * draws.uniform();
    if (!level) return;
    if (grow) {
      if (allowed.add) this.#addToLevel(side, level, now);
      return;
    }
    const own = level.orders.filter((order) => order.accountId === undefined);
    const order = own[Math.floor(pick * own.length)];
    if (!order || !allowed.cancel) return;
    const lot = this.#units.lot;
    const keep = BigInt(Math.floor(Number(order.remaining / lot) * keepShare)) * lot;
    if (keep <= 0n || draws.chance(0.5)) this.#book.cancel(order.id, now);
    else this.#book.resize(order.id, keep, undefined, true, now);
  }

  /** A new level between the level at `index` and the next one, if they are more than a tick apart. */
  #fillGap(side: BookSide, index: number, allowed: FlowPermissions, now: number): void {
    const upper = side.levels[Math.min(index, side.size - 1)];
    const lower = side.levels[Math.min(index, side.size - 1) + 1];
    const offset = this.#draws.uniform();
    if (!upper || !lower || !allowed.add) return;
    const { tick } = this.#units;
    const gapTicks = (side.isBid ? upper.price - lower.price : lower.price - upper.price) / tick;
    if (gapTicks <= 1n) {
      this.#addToLevel(side, upper, now);
      return;
    }
    const step = 1n + BigInt(Math.floor(offset * Number(gapTicks - 1n)));
    this.#appendOrder(side, side.isBid ? upper.price - step * tick : upper.price + step * tick, now);
  }

  /** Keeps each side near `depthLevels` levels: appends beyond the worst level, or trims it. */
  #balanceDepth(side: BookSide, allowed: FlowPermissions, now: number): void {
    const missing = this.#depth - side.size;
    if (missing > 0 && allowed.add) {
      for (let i = Math.ceil(missing / 8); i > 0; i--) {
        const price = side.size === 0 ? this.#topTarget(side) : this.#nextDeeperPrice(side);
        if (price === undefined) break;
        this.#appendOrder(side, price, now);
      }
    } else if (missing < -10 && allowed.cancel) {
      for (let i = Math.ceil(-missing / 8); i > 0 && side.size > 0; i--)
        this.#clearLevel(side, side.size - 1, now);
    }
  }

  /** Cancels the background orders of the level at `index` (user orders stay). */
  #clearLevel(side: BookSide, index: number, now: number): void {
    const level = side.levels[index];
    if (!level) return;
    for (const order of level.orders.filter((candidate) => candidate.accountId === undefined)) {
      this.#book.cancel(order.id, now);
    }
  }

  /** More size at a level: grows the last order when it is the background's, else queues a new one. */
  #addToLevel(side: BookSide, level: Level, now: number): void {
    const last = level.orders[level.orders.length - 1];
    if (last && last.accountId === undefined && last.peak === undefined) {
      this.#book.resize(last.id, last.remaining + this.#sampleQty(1, 0.04), undefined, true, now);
    } else {
      this.#appendOrder(side, level.price, now);
    }
  }

  #appendOrder(side: BookSide, price: bigint, now: number): void {
    const qty = this.#sampleQty(1, 0.04);
    this.#book.append(
      side,
      price,
      { id: `bg${this.#nextId++}`, accountId: undefined, remaining: qty, visible: qty, peak: undefined },
      now,
    );
  }

  /** Best price a market maker would quote on `side` now: around the fair price, never inside the minimum spread. */
  #topTarget(side: BookSide): bigint | undefined {
    const { tick } = this.#units;
    const halfSpread = Number(this.#spread) / 2;
    let target: bigint;
    if (side.isBid) {
      target = BigInt(Math.floor((this.#fair - halfSpread) / Number(tick))) * tick;
      const ask = this.#book.asks.best()?.price;
      if (ask !== undefined && target > ask - this.#spread) target = ask - this.#spread;
      return target >= tick ? target : undefined;
    }
    target = BigInt(Math.ceil((this.#fair + halfSpread) / Number(tick))) * tick;
    const bid = this.#book.bids.best()?.price;
    if (bid !== undefined && target < bid + this.#spread) target = bid + this.#spread;
    return target;
  }

  /** A price beyond the worst level: one tick near the top, up to a few ticks deeper down. */
  #nextDeeperPrice(side: BookSide): bigint | undefined {
    const worst = side.worst();
    if (!worst) return undefined;
    const gap = side.size < 25 ? 1 : this.#draws.int(1, this.#maxGapTicks);
    const step = BigInt(gap) * this.#units.tick;
    const price = side.isBid ? worst.price - step : worst.price + step;
    return price >= this.#units.tick ? price : undefined;
  }

  /**
   * A quantity in quantity units around `share` × the typical level size (log-normal), with
   * a chance of dust (a few lots) and, often, rounded to a few decimals so wire values carry
   * trailing zeros (`20000.00000000`, `0.50000000`).
   */
  #sampleQty(share: number, dustChance: number): bigint {
    const draws = this.#draws;
    const { lot, qtyPlaces } = this.#units;
    const dust = draws.chance(dustChance);
    const dustLots = BigInt(draws.int(1, 999));
    const size = this.#typicalQty * share * Math.exp(0.7 * draws.normal());
    const roundTo = draws.int(-2, Math.min(4, qtyPlaces));
    if (dust) return dustLots * lot;
    let units = BigInt(Math.max(1, Math.round(size * this.#qtyScale)));
    if (roundTo >= 0) {
      const step = scaleOf(qtyPlaces - roundTo);
      units = units - (units % step);
      if (units === 0n) units = step;
    }
    units -= units % lot;
    return units > 0n ? units : lot;
  }
}
