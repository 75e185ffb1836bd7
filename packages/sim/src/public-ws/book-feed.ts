import type { BookSide, Level } from '../market/book-side.js';
import type { MarketFeed } from '../market/market-feed.js';
import type { PairMarket } from '../market/market-pair.js';
import type { SimContext } from '../sim-context.js';
import { encodeFrame } from '../sim-wire.js';
import type { SimSession } from '../ws/sim-session.js';
import { bookChecksum, checksumLevels } from './book-checksum.js';
import { depthBound, depthDiff, type LevelUpdate } from './book-diff.js';
import { wireUnits } from './public-wire.js';

/** The subscribers of one symbol at one depth, and the worst level each side they hold. */
interface DepthGroup {
  readonly depth: number;
  readonly sessions: Set<SimSession>;
  bidBound: bigint | undefined;
  askBound: bigint | undefined;
}

/**
 * The `book` channel. Every book change is drained once per symbol; the difference for each
 * subscribed depth is computed once from the touched levels and the same encoded frame goes
 * to every subscriber of that depth. Consumes the `corrupt-checksum` and `corrupt-level`
 * faults when it publishes (one message each).
 */
export class BookFeed {
  readonly #groups = new Map<string, Map<number, DepthGroup>>();

  constructor(
    private readonly context: SimContext,
    private readonly feed: MarketFeed,
  ) {
    context.events.on('book-change', ({ symbol }) => this.#publish(symbol));
  }

  subscribe(session: SimSession, symbol: string, depth: number, snapshot: boolean): void {
    const market = this.#market(symbol);
    // Publish what is pending first, so the group's bounds and the snapshot agree.
    this.#publish(symbol);
    let groups = this.#groups.get(symbol);
    if (!groups) {
      groups = new Map();
      this.#groups.set(symbol, groups);
    }
    let group = groups.get(depth);
    if (!group) {
      group = {
        depth,
        sessions: new Set(),
        bidBound: depthBound(market.book.bids, depth),
        askBound: depthBound(market.book.asks, depth),
      };
      groups.set(depth, group);
    }
    group.sessions.add(session);
    if (snapshot) session.sendChannel('book', symbol, this.#snapshotFrame(market, depth));
  }

  unsubscribe(session: SimSession, symbol: string, depth: number): void {
    const groups = this.#groups.get(symbol);
    const group = groups?.get(depth);
    if (!groups || !group) return;
    group.sessions.delete(session);
    if (group.sessions.size === 0) groups.delete(depth);
  }

  #market(symbol: string): PairMarket {
    const market = this.feed.pair(symbol);
    if (!market) throw new Error(`book feed: unknown symbol ${symbol}`);
    return market;
  }

  #publish(symbol: string): void {
    const market = this.feed.pair(symbol);
    if (!market) return;
    const changes = market.book.drainChanges();
    const groups = this.#groups.get(symbol);
    if (!changes || !groups || groups.size === 0) return;
    const { bids, asks } = market.book;
    let checksum: number | undefined;
    let timestamp: string | undefined;
    for (const group of groups.values()) {
      const bidUpdates = depthDiff(bids, changes.bids, group.depth, group.bidBound);
      const askUpdates = depthDiff(asks, changes.asks, group.depth, group.askBound);
      group.bidBound = depthBound(bids, group.depth);
      group.askBound = depthBound(asks, group.depth);
      if (bidUpdates.length === 0 && askUpdates.length === 0) continue;
      checksum ??= bookChecksum(asks, bids);
      timestamp ??= this.context.clock.timestamp();
      const frame = this.#updateFrame(market, bidUpdates, askUpdates, checksum, timestamp);
      for (const session of group.sessions) session.sendChannel('book', symbol, frame);
    }
  }

  #updateFrame(
    market: PairMarket,
    bidUpdates: LevelUpdate[],
    askUpdates: LevelUpdate[],
    checksum: number,
    timestamp: string,
  ): string {
    const { faults, stats } = this.context;
    const symbol = market.symbol;
    let sentChecksum = checksum;
    if (faults.take('corrupt-checksum', (fault) => fault.symbol === symbol)) {
      stats.count('faults.corrupt_checksum');
      sentChecksum = corrupt(checksum);
    }
    // The corrupted level must be one the checksum covers, or no client could notice.
    const { bids, asks } = market.book;
    const corrupted =
      bidUpdates.find((update) => update.qty > 0n && bids.rank(update.price) < checksumLevels) ??
      askUpdates.find((update) => update.qty > 0n && asks.rank(update.price) < checksumLevels);
    const corruptLevel =
      corrupted !== undefined &&
      faults.take('corrupt-level', (fault) => fault.symbol === symbol) !== undefined;
    if (corruptLevel) stats.count('faults.corrupt_level');
    const entries = (updates: LevelUpdate[]) =>
      updates.map((update) =>
        this.#entry(
          market,
          update.price,
          corruptLevel && update === corrupted ? update.qty + market.units.lot : update.qty,
        ),
      );
    return encodeFrame({
      channel: 'book',
      type: 'update',
      data: [
        { symbol, bids: entries(bidUpdates), asks: entries(askUpdates), checksum: sentChecksum, timestamp },
      ],
    });
  }

  #snapshotFrame(market: PairMarket, depth: number): string {
    const { bids, asks } = market.book;
    const symbol = market.symbol;
    let checksum = bookChecksum(asks, bids);
    if (this.context.faults.take('corrupt-checksum', (fault) => fault.symbol === symbol)) {
      this.context.stats.count('faults.corrupt_checksum');
      checksum = corrupt(checksum);
    }
    const entries = (side: BookSide) =>
      side.levels.slice(0, depth).map((level: Level) => this.#entry(market, level.price, level.visible));
    return encodeFrame({
      channel: 'book',
      type: 'snapshot',
      data: [
        {
          symbol,
          bids: entries(bids),
          asks: entries(asks),
          checksum,
          timestamp: this.context.clock.timestamp(),
        },
      ],
    });
  }

  #entry(market: PairMarket, price: bigint, qty: bigint) {
    const { pricePlaces, qtyPlaces } = market.units;
    const format = this.context.numberFormat;
    return { price: wireUnits(price, pricePlaces, format), qty: wireUnits(qty, qtyPlaces, format) };
  }
}

/** A checksum that is certainly wrong. */
function corrupt(checksum: number): number {
  return (checksum ^ 0x5a5a5a5a) >>> 0;
}
