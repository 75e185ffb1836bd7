import { crc32 } from 'node:zlib';
import type { BookSide, Level } from '../market/book-side.js';

/** Levels per side the checksum covers, whatever the subscribed depth. */
export const checksumLevels = 10;

/**
 * Kraken's v2 book checksum (PROTOCOL §8): CRC-32 of the top 10 asks then the top 10 bids,
 * each level as its price then its quantity with the pair's decimals, point and leading
 * zeros removed. With prices and quantities held as integer units at the pair's
 * precision, that text is exactly the units' decimal digits (`0.5660` → `5660`,
 * `0.00100000` → `100000`).
 */
export function bookChecksum(asks: BookSide, bids: BookSide): number {
  let text = '';
  text += sideText(asks.levels);
  text += sideText(bids.levels);
  return crc32(text) >>> 0;
}

function sideText(levels: readonly Level[]): string {
  let text = '';
  const count = Math.min(checksumLevels, levels.length);
  for (let i = 0; i < count; i++) {
    const level = levels[i] as Level;
    text += `${level.price}${level.visible}`;
  }
  return text;
}
