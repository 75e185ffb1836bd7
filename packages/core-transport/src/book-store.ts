import type { Clock } from '@krakenkit/plugin-api';
import { type BookPrecision, cachedBookChecksum, fitsPrecision } from './book-checksum.js';
import { defaultResyncBackoff, type ResyncBackoffOptions, resyncDelayMs } from './book-resync-backoff.js';
import type { BookSide } from './book-side.js';
import { type BookRecord, type BookState, createBookRecord, OrderBook } from './order-book.js';
import { type ListenerErrorHandler, TypedEmitter } from './typed-emitter.js';
import { isZeroDecimal } from './wire-fields.js';
import type { BookData, BookLevel, BookMessage, ChannelMessageType } from './wire-messages.js';

/** Where the store reads a pair's precisions (an `InstrumentStore` is one). */
export interface PrecisionSource {
  bookPrecision(symbol: string): BookPrecision | undefined;
}

/** Why a symbol's book was discarded and needs a fresh snapshot. */
export type ResyncReason = 'checksum-mismatch' | 'precision-exceeded';

/** Depths Kraken's `book` channel accepts. */
export const bookDepths: readonly number[] = [10, 25, 100, 500, 1000];

export interface BookStoreOptions {
  /** Time source for the resync backoff and the stability window. */
  clock: Clock;
  /** Pair precisions for the checksum; without them books wait in `awaiting-instrument`. */
  precision?: PrecisionSource;
  /**
   * Verify the checksum of every snapshot and update. Default true. Turning it off makes
   * books `ready` unverified; meant for replaying recorded frames, not for trading.
   */
  verifyChecksum?: boolean;
  resyncBackoff?: ResyncBackoffOptions;
  /** Consecutive failures of one symbol at which `resync-alert` fires. Default 3. */
  alertAfter?: number;
  /** Verified time after which a symbol's failure count resets. Default 60 000 ms. */
  stableAfterMs?: number;
  onListenerError?: ListenerErrorHandler;
}

export interface BookStateChangeEvent {
  readonly symbol: string;
  readonly from: BookState;
  readonly to: BookState;
}

export interface ChecksumMismatchEvent {
  readonly symbol: string;
  readonly type: ChannelMessageType;
  /** The checksum Kraken sent. */
  readonly expected: number;
  /** The checksum of the local book after applying the message. */
  readonly computed: number;
  readonly consecutive: number;
}

/**
 * The socket layer should unsubscribe and resubscribe this symbol (only this one) at
 * `depth`, not before `notBefore` on the store's clock (`clock.monotonic()`).
 */
export interface ResyncNeededEvent {
  readonly symbol: string;
  readonly depth: number;
  readonly reason: ResyncReason;
  /** Back-to-back failures of this symbol, this one included. */
  readonly consecutive: number;
  readonly delayMs: number;
  readonly notBefore: number;
}

/** A symbol keeps failing: `consecutive` ≥ `alertAfter`. Resyncs continue, backed off. */
export interface ResyncAlertEvent {
  readonly symbol: string;
  readonly reason: ResyncReason;
  readonly consecutive: number;
}

export interface BookStoreEvents {
  [event: string]: unknown;
  /** A verified message was applied; the payload is the book's read view. */
  'book-change': OrderBook;
  'book-state-change': BookStateChangeEvent;
  'checksum-mismatch': ChecksumMismatchEvent;
  'resync-needed': ResyncNeededEvent;
  'resync-alert': ResyncAlertEvent;
}

export interface BookStoreStats {
  /** Messages applied to a book. */
  readonly applied: number;
  /** Updates ignored because the symbol waits for a snapshot (`syncing`/`resyncing`). */
  readonly ignoredAwaitingSnapshot: number;
  /** Book data for a symbol nobody tracks. */
  readonly ignoredUntracked: number;
  readonly checksumMismatches: number;
  readonly precisionExceeded: number;
  readonly resyncsRequested: number;
  readonly alerts: number;
}

/**
 * Order books for many symbols, maintained from `book` snapshots and updates: entries
 * applied in wire order, quantity 0 deletes, each side truncated to the subscribed depth
 * after every message, and the CRC-32 checksum verified after every snapshot and update.
 * A failure discards only that symbol's book (`resyncing`: reads are empty, frames
 * ignored until a new snapshot), emits `resync-needed` with a backoff the store computes
 * on the injected clock, and `resync-alert` after repeated failures. Pure and synchronous:
 * no I/O, no timers.
 */
export class BookStore extends TypedEmitter<BookStoreEvents> {
  readonly #clock: Clock;
  readonly #precision: PrecisionSource | undefined;
  readonly #verify: boolean;
  readonly #backoff: Required<ResyncBackoffOptions>;
  readonly #alertAfter: number;
  readonly #stableAfterMs: number;
  readonly #records = new Map<string, BookRecord>();
  readonly #views = new Map<string, OrderBook>();
  #applied = 0;
  #ignoredAwaitingSnapshot = 0;
  #ignoredUntracked = 0;
  #checksumMismatches = 0;
  #precisionExceeded = 0;
  #resyncsRequested = 0;
  #alerts = 0;

  constructor(options: BookStoreOptions) {
    super(options.onListenerError);
    this.#clock = options.clock;
    this.#precision = options.precision;
    this.#verify = options.verifyChecksum ?? true;
    this.#backoff = { ...defaultResyncBackoff, ...stripUndefined(options.resyncBackoff ?? {}) };
    this.#alertAfter = options.alertAfter ?? 3;
    this.#stableAfterMs = options.stableAfterMs ?? 60_000;
  }

  /**
   * Starts keeping the book of `symbol` at `depth` (call it when subscribing). State
   * `syncing` until the snapshot. Tracking an already tracked symbol changes its depth
   * and discards its book, as a resubscribe does. Returns the book's read view.
   */
  track(symbol: string, depth: number): OrderBook {
    if (!Number.isSafeInteger(depth) || depth < 1)
      throw new RangeError(`Book depth must be a positive integer, got ${depth}.`);
    const existing = this.#records.get(symbol);
    if (existing !== undefined) {
      existing.depth = depth;
      this.#discard(existing, 'syncing');
      return this.#views.get(symbol)!;
    }
    const record = createBookRecord(symbol, depth);
    const view = new OrderBook(record);
    this.#records.set(symbol, record);
    this.#views.set(symbol, view);
    return view;
  }

  /** Stops keeping the book (after unsubscribing); views kept from before read empty. */
  untrack(symbol: string): boolean {
    const record = this.#records.get(symbol);
    if (record === undefined) return false;
    this.#discard(record, 'syncing');
    this.#records.delete(symbol);
    this.#views.delete(symbol);
    return true;
  }

  /**
   * Discards the book(s) and waits for a new snapshot, without counting a failure: call it
   * when the connection carrying the subscription is lost. All symbols when none is given.
   */
  reset(symbol?: string): void {
    if (symbol === undefined) {
      for (const record of this.#records.values()) this.#discard(record, 'syncing');
      return;
    }
    const record = this.#records.get(symbol);
    if (record !== undefined) this.#discard(record, 'syncing');
  }

  /**
   * Re-reads the precision of `symbol` (or of every book awaiting it) and verifies the
   * books in `awaiting-instrument` right away. Call it on `instrument-change`; without the
   * call, the next book message does the same.
   */
  refreshPrecision(symbol?: string): void {
    for (const record of this.#records.values()) {
      if (record.state !== 'awaiting-instrument' || (symbol !== undefined && record.symbol !== symbol))
        continue;
      const precision = this.#precision?.bookPrecision(record.symbol);
      if (precision === undefined || record.pendingChecksum === undefined) continue;
      if (!sideFits(record.bids, precision) || !sideFits(record.asks, precision)) {
        this.#fail(record, 'precision-exceeded');
        continue;
      }
      this.#verifyRecord(record, precision, record.pendingChecksum, 'update');
    }
  }

  /** Applies every book in a decoded `book` message. Never throws on content. */
  apply(message: BookMessage): void {
    const data = message.data;
    for (let i = 0; i < data.length; i++) this.#applyEntry(message.type, data[i]!);
  }

  /** The read view of a ready book, or `undefined` (not tracked, or not ready). */
  book(symbol: string): OrderBook | undefined {
    const view = this.#views.get(symbol);
    return view?.isReady ? view : undefined;
  }

  /** The read view of a tracked book in any state (reads stay empty until it is ready). */
  view(symbol: string): OrderBook | undefined {
    return this.#views.get(symbol);
  }

  state(symbol: string): BookState | undefined {
    return this.#records.get(symbol)?.state;
  }

  /** The tracked depth of `symbol`. */
  depth(symbol: string): number | undefined {
    return this.#records.get(symbol)?.depth;
  }

  /**
   * When the next resync of `symbol` may start (`clock.monotonic()` time), or `undefined`
   * if it is not resyncing. Already due when it is ≤ `clock.monotonic()`.
   */
  nextResyncAt(symbol: string): number | undefined {
    const record = this.#records.get(symbol);
    return record?.state === 'resyncing' ? record.resyncNotBefore : undefined;
  }

  /** Back-to-back failures of `symbol` (0 once it has been stable for `stableAfterMs`). */
  consecutiveFailures(symbol: string): number {
    return this.#records.get(symbol)?.consecutiveFailures ?? 0;
  }

  /** Tracked symbols. */
  symbols(): string[] {
    return [...this.#records.keys()];
  }

  stats(): BookStoreStats {
    return {
      applied: this.#applied,
      ignoredAwaitingSnapshot: this.#ignoredAwaitingSnapshot,
      ignoredUntracked: this.#ignoredUntracked,
      checksumMismatches: this.#checksumMismatches,
      precisionExceeded: this.#precisionExceeded,
      resyncsRequested: this.#resyncsRequested,
      alerts: this.#alerts,
    };
  }

  #applyEntry(type: ChannelMessageType, entry: BookData): void {
    const record = this.#records.get(entry.symbol);
    if (record === undefined) {
      this.#ignoredUntracked++;
      return;
    }
    const state = record.state;
    if (type === 'update' && (state === 'syncing' || state === 'resyncing')) {
      this.#ignoredAwaitingSnapshot++;
      return;
    }
    const precision = this.#verify ? this.#precision?.bookPrecision(record.symbol) : undefined;
    // Checked before anything is applied: a value finer than the pair's precision cannot
    // be checksummed, so the book could silently diverge. Treated like a mismatch.
    if (precision !== undefined && (!levelsFit(entry.bids, precision) || !levelsFit(entry.asks, precision))) {
      this.#fail(record, 'precision-exceeded');
      return;
    }
    if (type === 'snapshot') {
      record.bids.clear();
      record.asks.clear();
    }
    applyLevels(record.bids, entry.bids);
    applyLevels(record.asks, entry.asks);
    record.bids.truncate(record.depth);
    record.asks.truncate(record.depth);
    record.version++;
    this.#applied++;
    if (!this.#verify) {
      this.#setState(record, 'ready');
      if (this.listenerCount('book-change') > 0) this.emit('book-change', this.#views.get(record.symbol)!);
      return;
    }
    if (precision === undefined) {
      // An earlier awaiting-instrument book may have been partly out of precision.
      record.pendingChecksum = entry.checksum;
      this.#setState(record, 'awaiting-instrument');
      return;
    }
    if (
      state === 'awaiting-instrument' &&
      (!sideFits(record.bids, precision) || !sideFits(record.asks, precision))
    ) {
      this.#fail(record, 'precision-exceeded');
      return;
    }
    this.#verifyRecord(record, precision, entry.checksum, type);
  }

  #verifyRecord(
    record: BookRecord,
    precision: BookPrecision,
    expected: number,
    type: ChannelMessageType,
  ): void {
    const computed = cachedBookChecksum(record.asks.levels, record.bids.levels, precision);
    if (computed !== expected) {
      this.#checksumMismatches++;
      const consecutive = record.consecutiveFailures + 1;
      if (this.listenerCount('checksum-mismatch') > 0) {
        this.emit('checksum-mismatch', { symbol: record.symbol, type, expected, computed, consecutive });
      }
      this.#fail(record, 'checksum-mismatch');
      return;
    }
    record.checksum = computed;
    record.pendingChecksum = undefined;
    // The clock is read only when it matters, not on every verified update.
    if (record.state !== 'ready') {
      record.readySince = this.#clock.monotonic();
      this.#setState(record, 'ready');
    } else if (
      record.consecutiveFailures > 0 &&
      this.#clock.monotonic() - record.readySince >= this.#stableAfterMs
    ) {
      record.consecutiveFailures = 0;
    }
    if (this.listenerCount('book-change') > 0) this.emit('book-change', this.#views.get(record.symbol)!);
  }

  /** Discards the book, counts the failure, and asks for a backed-off resync. */
  #fail(record: BookRecord, reason: ResyncReason): void {
    if (reason === 'precision-exceeded') this.#precisionExceeded++;
    record.consecutiveFailures++;
    const consecutive = record.consecutiveFailures;
    const delayMs = resyncDelayMs(consecutive, this.#backoff);
    record.resyncNotBefore = this.#clock.monotonic() + delayMs;
    this.#discard(record, 'resyncing');
    this.#resyncsRequested++;
    this.emit('resync-needed', {
      symbol: record.symbol,
      depth: record.depth,
      reason,
      consecutive,
      delayMs,
      notBefore: record.resyncNotBefore,
    });
    if (consecutive >= this.#alertAfter) {
      this.#alerts++;
      this.emit('resync-alert', { symbol: record.symbol, reason, consecutive });
    }
  }

  #discard(record: BookRecord, state: BookState): void {
    record.bids.clear();
    record.asks.clear();
    record.checksum = undefined;
    record.pendingChecksum = undefined;
    record.version++;
    this.#setState(record, state);
  }

  #setState(record: BookRecord, to: BookState): void {
    const from = record.state;
    if (from === to) return;
    record.state = to;
    if (this.listenerCount('book-state-change') > 0) {
      this.emit('book-state-change', { symbol: record.symbol, from, to });
    }
  }
}

function applyLevels(side: BookSide, levels: readonly BookLevel[]): void {
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    const qty = level.qty;
    side.set(level.price, qty, qty.charCodeAt(0) === 48 && isZeroDecimal(qty));
  }
}

function levelsFit(levels: readonly BookLevel[], precision: BookPrecision): boolean {
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    if (
      !fitsPrecision(level.price, precision.pricePrecision) ||
      !fitsPrecision(level.qty, precision.qtyPrecision)
    ) {
      return false;
    }
  }
  return true;
}

function sideFits(side: BookSide, precision: BookPrecision): boolean {
  return levelsFit(side.levels, precision);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}
