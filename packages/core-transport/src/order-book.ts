import { type DecimalString, KrakenkitError } from '@krakenkit/plugin-api';
import { BookSide } from './book-side.js';
import { midpointDecimal, subtractDecimal } from './decimal-math.js';
import type { BookLevel } from './wire-messages.js';

/**
 * Where a symbol's book stands:
 * - `syncing`: tracked, waiting for the first snapshot (or for a new one after `reset`).
 * - `awaiting-instrument`: snapshot applied, but the pair's precisions (from the
 *   `instrument` channel) are unknown, so the checksum cannot be verified yet.
 * - `ready`: the last message's checksum matched; readers see the book.
 * - `resyncing`: a checksum mismatch (or a value finer than the pair's precision)
 *   discarded the book; frames are ignored until a new snapshot.
 */
export type BookState = 'syncing' | 'awaiting-instrument' | 'ready' | 'resyncing';

/** The side of a book. */
export type BookSideName = 'bid' | 'ask';

/** A book's mutable state, owned by `BookStore`; readers only see it through {@link OrderBook}. */
export interface BookRecord {
  readonly symbol: string;
  depth: number;
  state: BookState;
  version: number;
  readonly bids: BookSide;
  readonly asks: BookSide;
  /** The last verified checksum. */
  checksum: number | undefined;
  /** The checksum of the last message while awaiting the instrument. */
  pendingChecksum: number | undefined;
  /** Back-to-back failures (mismatch or precision) without a stable period in between. */
  consecutiveFailures: number;
  /** `clock.monotonic()` when the book last became ready. */
  readySince: number;
  /** `clock.monotonic()` before which the next resync should not start. */
  resyncNotBefore: number;
}

export function createBookRecord(symbol: string, depth: number): BookRecord {
  return {
    symbol,
    depth,
    state: 'syncing',
    version: 0,
    bids: new BookSide(true),
    asks: new BookSide(false),
    checksum: undefined,
    pendingChecksum: undefined,
    consecutiveFailures: 0,
    readySince: 0,
    resyncNotBefore: 0,
  };
}

const noLevels: readonly BookLevel[] = Object.freeze([]);

/**
 * A read view of one symbol's order book. Reads only show a book whose last checksum
 * matched: in any state other than `ready` every read is empty (`undefined` or `[]`), so a
 * known-bad or unverified book can never be read, even through a view kept from before.
 * Levels are `{ price, qty }` with exact decimal text as sent on the wire; they are never
 * mutated (a change replaces the level), so holding one is safe.
 */
export class OrderBook {
  readonly #record: BookRecord;

  /** @internal Created by `BookStore.track`. */
  constructor(record: BookRecord) {
    this.#record = record;
  }

  get symbol(): string {
    return this.#record.symbol;
  }

  /** The subscribed depth the book is truncated to. */
  get depth(): number {
    return this.#record.depth;
  }

  get state(): BookState {
    return this.#record.state;
  }

  /** True when the last message's checksum matched and reads show the book. */
  get isReady(): boolean {
    return this.#record.state === 'ready';
  }

  /** Increases with every message applied and every discard; never goes back. */
  get version(): number {
    return this.#record.version;
  }

  /** The last verified checksum (`undefined` until one matched). */
  get checksum(): number | undefined {
    return this.#record.state === 'ready' ? this.#record.checksum : undefined;
  }

  get bidCount(): number {
    return this.#record.state === 'ready' ? this.#record.bids.levels.length : 0;
  }

  get askCount(): number {
    return this.#record.state === 'ready' ? this.#record.asks.levels.length : 0;
  }

  bestBid(): BookLevel | undefined {
    return this.#record.state === 'ready' ? toLevel(this.#record.bids.levels[0]) : undefined;
  }

  bestAsk(): BookLevel | undefined {
    return this.#record.state === 'ready' ? toLevel(this.#record.asks.levels[0]) : undefined;
  }

  /** Best ask minus best bid, exact; `undefined` if a side is empty or the book is not ready. */
  spread(): DecimalString | undefined {
    const bid = this.bestBid();
    const ask = this.bestAsk();
    return bid === undefined || ask === undefined ? undefined : subtractDecimal(ask.price, bid.price);
  }

  /** (best bid + best ask) / 2, exact; `undefined` if a side is empty or the book is not ready. */
  mid(): DecimalString | undefined {
    const bid = this.bestBid();
    const ask = this.bestAsk();
    return bid === undefined || ask === undefined ? undefined : midpointDecimal(bid.price, ask.price);
  }

  /** The best `limit` bids (all by default), highest price first, as a new array. */
  bids(limit?: number): readonly BookLevel[] {
    return this.#top(this.#record.bids, limit);
  }

  /** The best `limit` asks (all by default), lowest price first, as a new array. */
  asks(limit?: number): readonly BookLevel[] {
    return this.#top(this.#record.asks, limit);
  }

  /**
   * Iterates one side best first without copying. Consume it synchronously: if the book
   * changes while an iteration is suspended (across an `await`), the next step throws
   * `BookChangedError` rather than mixing two versions of the book.
   */
  *levels(side: BookSideName): IterableIterator<BookLevel> {
    const record = this.#record;
    if (record.state !== 'ready') return;
    const version = record.version;
    const levels = side === 'bid' ? record.bids.levels : record.asks.levels;
    for (let i = 0; i < levels.length; i++) {
      yield toLevel(levels[i])!;
      if (record.version !== version) throw new BookChangedError(record.symbol);
    }
  }

  /** A plain copy: `{ symbol, state, version, checksum, bids, asks }`. */
  toJSON(): {
    symbol: string;
    state: BookState;
    version: number;
    checksum: number | undefined;
    bids: readonly BookLevel[];
    asks: readonly BookLevel[];
  } {
    return {
      symbol: this.symbol,
      state: this.state,
      version: this.version,
      checksum: this.checksum,
      bids: this.bids(),
      asks: this.asks(),
    };
  }

  #top(side: BookSide, limit: number | undefined): readonly BookLevel[] {
    if (this.#record.state !== 'ready') return noLevels;
    const levels = side.levels;
    const count = limit === undefined ? levels.length : Math.max(0, Math.min(limit, levels.length));
    const result: BookLevel[] = new Array(count);
    for (let i = 0; i < count; i++) result[i] = toLevel(levels[i])!;
    return result;
  }
}

/** Hands out `{ price, qty }` without the internal sort key. */
function toLevel(level: BookLevel | undefined): BookLevel | undefined {
  return level === undefined ? undefined : { price: level.price, qty: level.qty };
}

/** An `OrderBook.levels()` iteration outlived the book version it started on. */
export class BookChangedError extends KrakenkitError {
  constructor(readonly symbol: string) {
    super(
      'BOOK_CHANGED_DURING_ITERATION',
      `The ${symbol} book changed while OrderBook.levels() was suspended; iterate synchronously or copy with bids()/asks().`,
    );
  }
}
