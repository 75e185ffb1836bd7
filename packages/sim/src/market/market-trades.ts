import type { PublicTrade, Side } from '../sim-types.js';
import { type PairUnits, unitsToBig } from './market-units.js';

/** A public trade as the tape stores it (compact; Big values are made on the way out). */
export interface TapeTrade {
  readonly tradeId: number;
  readonly side: Side;
  readonly orderType: 'limit' | 'market';
  readonly price: bigint;
  readonly qty: bigint;
  /** Epoch ms. */
  readonly time: number;
  /**
   * REST `Trades` cursor: nanoseconds since the epoch, strictly increasing per pair (trades
   * in the same millisecond get consecutive nanoseconds), so `since` never skips or repeats.
   */
  readonly cursor: bigint;
}

/** How many trades per pair the sim remembers (REST `Trades` pages within these). */
export const tapeCapacity = 20_000;

/**
 * One pair's public trades: sequential ids, a bounded history (a ring buffer), and
 * Kraken's nanosecond `since` cursor.
 */
export class TradeTape {
  readonly #ring: (TapeTrade | undefined)[] = new Array(tapeCapacity);
  #start = 0;
  #size = 0;
  #nextId = 1;
  #lastCursor = 0n;

  constructor(readonly units: PairUnits) {}

  get count(): number {
    return this.#size;
  }

  last(): TapeTrade | undefined {
    return this.#size === 0 ? undefined : this.#at(this.#size - 1);
  }

  record(side: Side, orderType: 'limit' | 'market', price: bigint, qty: bigint, time: number): TapeTrade {
    const fromTime = BigInt(Math.floor(time)) * 1_000_000n;
    const cursor = fromTime > this.#lastCursor ? fromTime : this.#lastCursor + 1n;
    this.#lastCursor = cursor;
    const trade: TapeTrade = { tradeId: this.#nextId++, side, orderType, price, qty, time, cursor };
    if (this.#size < tapeCapacity) {
      this.#ring[(this.#start + this.#size) % tapeCapacity] = trade;
      this.#size += 1;
    } else {
      this.#ring[this.#start] = trade;
      this.#start = (this.#start + 1) % tapeCapacity;
    }
    return trade;
  }

  /** The newest `count` trades, oldest first. */
  recent(count: number): TapeTrade[] {
    const take = Math.max(0, Math.min(count, this.#size));
    const out: TapeTrade[] = [];
    for (let i = this.#size - take; i < this.#size; i++) out.push(this.#at(i));
    return out;
  }

  /** Up to `count` trades with a cursor after `since`, oldest first. */
  after(since: bigint, count: number): TapeTrade[] {
    // Binary search for the first trade past the cursor.
    let low = 0;
    let high = this.#size;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#at(middle).cursor <= since) low = middle + 1;
      else high = middle;
    }
    const out: TapeTrade[] = [];
    for (let i = low; i < this.#size && out.length < count; i++) out.push(this.#at(i));
    return out;
  }

  toPublic(trade: TapeTrade): PublicTrade {
    return {
      symbol: this.units.pair.symbol,
      side: trade.side,
      price: unitsToBig(trade.price, this.units.pricePlaces),
      qty: unitsToBig(trade.qty, this.units.qtyPlaces),
      orderType: trade.orderType,
      tradeId: trade.tradeId,
      time: trade.time,
    };
  }

  #at(index: number): TapeTrade {
    return this.#ring[(this.#start + index) % tapeCapacity] as TapeTrade;
  }
}
