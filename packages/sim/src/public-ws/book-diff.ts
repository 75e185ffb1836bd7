import type { BookSide } from '../market/book-side.js';

/** One level as a book update carries it: absolute quantity, 0 = delete. */
export interface LevelUpdate {
  price: bigint;
  qty: bigint;
}

/**
 * The worst price a client subscribed at `depth` holds on this side, or undefined when the
 * side has fewer levels than that (the client then holds all of it).
 */
export function depthBound(side: BookSide, depth: number): bigint | undefined {
  return side.levels[depth - 1]?.price;
}

/**
 * What a client that holds the top `depth` levels (everything up to `bound`) must receive so
 * that applying the entries and truncating to `depth` gives the book's new top `depth`:
 *
 * - a touched level now inside the depth whose quantity changed, or that the client did not
 *   hold: its new quantity;
 * - a touched level the client held that left the book: a delete (`qty` 0);
 * - a level the client held that is now merely pushed beyond the depth: nothing (Kraken
 *   sends no deletes for those; the client truncates);
 * - an untouched level that moved up into the depth (levels above it left): an insert.
 *
 * `changes` maps each touched price to its visible quantity before the change. Best first.
 */
export function depthDiff(
  side: BookSide,
  changes: ReadonlyMap<bigint, bigint>,
  depth: number,
  bound: bigint | undefined,
): LevelUpdate[] {
  const updates: LevelUpdate[] = [];
  for (const [price, before] of changes) {
    const held = before > 0n && (bound === undefined || !side.better(bound, price));
    const index = side.search(price);
    const level = index >= 0 ? side.levels[index] : undefined;
    if (level && index < depth) {
      if (!held || before !== level.visible) updates.push({ price, qty: level.visible });
    } else if (!level && held) {
      updates.push({ price, qty: 0n });
    }
  }
  if (bound !== undefined) {
    const end = Math.min(depth, side.levels.length);
    for (let i = side.firstWorseThan(bound); i < end; i++) {
      const level = side.levels[i]!;
      if (!changes.has(level.price)) updates.push({ price: level.price, qty: level.visible });
    }
  }
  if (updates.length > 1)
    updates.sort((a, b) => (side.better(a.price, b.price) ? -1 : a.price === b.price ? 0 : 1));
  return updates;
}
