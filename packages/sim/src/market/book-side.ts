/** A resting order inside a price level's queue. */
export interface RestingOrder {
  readonly id: string;
  /** Undefined for the background market's own liquidity. */
  readonly accountId: string | undefined;
  /** Everything still unfilled, hidden iceberg part included (quantity units). */
  remaining: bigint;
  /** The part shown in the book (quantity units); equals `remaining` unless iceberg. */
  visible: bigint;
  /** Iceberg display size (quantity units); undefined for ordinary orders. */
  peak: bigint | undefined;
}

/** One price level: a FIFO queue of orders (index 0 has priority). */
export interface Level {
  readonly price: bigint;
  readonly orders: RestingOrder[];
  /** Sum of the orders' visible parts. */
  visible: bigint;
  /** Epoch ms of the last change. */
  updatedAt: number;
}

/**
 * One side of a book: levels sorted best first (bids descending, asks ascending), found by
 * binary search. Inserting or removing a level shifts the array (a memmove), which stays
 * cheap for the 1000-level books the sim keeps.
 */
export class BookSide {
  readonly levels: Level[] = [];

  constructor(readonly isBid: boolean) {}

  /** Whether price `a` is better than `b` on this side. */
  better(a: bigint, b: bigint): boolean {
    return this.isBid ? a > b : a < b;
  }

  /** Index of the level at `price`, or `-(insertionPoint) - 1` when absent. */
  search(price: bigint): number {
    const { levels, isBid } = this;
    let low = 0;
    let high = levels.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const candidate = (levels[middle] as Level).price;
      if (candidate === price) return middle;
      if (isBid ? candidate > price : candidate < price) low = middle + 1;
      else high = middle - 1;
    }
    return -low - 1;
  }

  get(price: bigint): Level | undefined {
    const index = this.search(price);
    return index >= 0 ? this.levels[index] : undefined;
  }

  /** Number of levels better than `price` (its rank if present, its insertion point if not). */
  rank(price: bigint): number {
    const index = this.search(price);
    return index >= 0 ? index : -index - 1;
  }

  /** Index of the first level strictly worse than `price`. */
  firstWorseThan(price: bigint): number {
    const index = this.search(price);
    return index >= 0 ? index + 1 : -index - 1;
  }

  getOrCreate(price: bigint, now: number): Level {
    const index = this.search(price);
    if (index >= 0) return this.levels[index] as Level;
    const level: Level = { price, orders: [], visible: 0n, updatedAt: now };
    this.levels.splice(-index - 1, 0, level);
    return level;
  }

  removeLevel(price: bigint): void {
    const index = this.search(price);
    if (index >= 0) this.levels.splice(index, 1);
  }

  best(): Level | undefined {
    return this.levels[0];
  }

  worst(): Level | undefined {
    return this.levels[this.levels.length - 1];
  }

  get size(): number {
    return this.levels.length;
  }
}
