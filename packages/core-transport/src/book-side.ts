import { compareDecimal, type DecimalString } from '@krakenkit/plugin-api';
import type { ChecksumCachedLevel } from './book-checksum.js';

/**
 * One stored level. Never edited once stored: a quantity change stores a new level, so
 * the cached checksum share cannot go stale. `sortKey` is `Number(price)`, used only to
 * order levels quickly; ties between different decimals that round to the same double
 * are broken by exact decimal comparison. Readers get copies without the internals.
 */
export class StoredLevel implements ChecksumCachedLevel {
  readonly price: DecimalString;
  readonly qty: DecimalString;
  readonly sortKey: number;
  checksumPart = 0;
  checksumLength = -1;
  checksumKey = -1;

  constructor(price: DecimalString, qty: DecimalString, sortKey: number) {
    this.price = price;
    this.qty = qty;
    this.sortKey = sortKey;
  }
}

/**
 * One side of an order book: levels sorted best first (bids descending, asks ascending)
 * in an array, so the top N and the checksum levels are a prefix and depth-1000 books stay
 * compact. Internal to the package: readers get {@link BookLevel}s through `OrderBook`.
 */
export class BookSide {
  /** Sorted best first. */
  levels: StoredLevel[] = [];
  /** -1 for bids (descending), 1 for asks. */
  readonly #direction: number;

  constructor(descending: boolean) {
    this.#direction = descending ? -1 : 1;
  }

  /**
   * Sets the quantity at a price: replaces, inserts, or (for a zero quantity) deletes.
   * Returns the index touched, or -1 when a delete named an absent price.
   */
  set(price: DecimalString, qty: DecimalString, isZero: boolean): number {
    const sortKey = decimalSortKey(price);
    const levels = this.levels;
    const index = this.#search(price, sortKey);
    if (index >= 0) {
      if (isZero) levels.splice(index, 1);
      else levels[index] = new StoredLevel(price, qty, sortKey);
      return index;
    }
    if (isZero) return -1;
    const at = ~index;
    const level = new StoredLevel(price, qty, sortKey);
    if (at === levels.length) levels.push(level);
    else levels.splice(at, 0, level);
    return at;
  }

  /** Drops levels beyond `depth`: Kraken sends no deletes for levels leaving the subscribed depth. */
  truncate(depth: number): void {
    if (this.levels.length > depth) this.levels.length = depth;
  }

  clear(): void {
    this.levels = [];
  }

  /**
   * Binary search: the index of `price`, or `~insertionPoint` when absent. Starts with a
   * check of the best level, where most updates land.
   */
  #search(price: DecimalString, sortKey: number): number {
    const levels = this.levels;
    let low = 0;
    let high = levels.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const order = this.#compare(levels[middle]!, price, sortKey);
      if (order === 0) return middle;
      if (order < 0) low = middle + 1;
      else high = middle - 1;
    }
    return ~low;
  }

  /** Negative when `level` sorts before (is better than) the price searched for. */
  #compare(level: StoredLevel, price: DecimalString, sortKey: number): number {
    const difference = level.sortKey - sortKey;
    const order =
      difference !== 0 ? difference : level.price === price ? 0 : compareDecimal(level.price, price);
    return order * this.#direction;
  }
}

/** Exact powers of ten up to 10^15. */
const powersOfTen = Array.from({ length: 16 }, (_, exponent) => 10 ** exponent);

/**
 * `Number(text)` for plain decimal text, faster for short prices: up to 15 digits the
 * digits form an exact integer and one IEEE division by an exact power of ten rounds
 * correctly, which is exactly what `Number` returns. Longer text goes through `Number`.
 */
export function decimalSortKey(text: string): number {
  const length = text.length;
  if (length > 15) return +text;
  let units = 0;
  let scale = -1;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code === 46) {
      scale = 0;
      continue;
    }
    units = units * 10 + (code - 48);
    if (scale >= 0) scale++;
  }
  return scale <= 0 ? units : units / powersOfTen[scale]!;
}
