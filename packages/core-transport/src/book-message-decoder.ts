import type { ChannelDecodeResult } from './wire-decode-result.js';
import { asObject, readArray, readDecimal, readInteger, readSymbol, readTimestamp } from './wire-fields.js';
import type { BookData, BookLevel, BookMessage, ChannelMessageType } from './wire-messages.js';
import type { WireObject, WireValue } from './wire-parser.js';

/** Most levels one side of a book message may carry: the deepest subscription is 1000. */
export const maxBookLevels = 1000;
/** Kraken sends one book per message; a few more are tolerated, hundreds are hostile. */
export const maxBookEntries = 16;
/** Largest checksum: an unsigned 32-bit CRC. */
export const maxChecksum = 0xffff_ffff;

/**
 * Validates a `book` snapshot or update (hand-written: this is the hottest path). Prices
 * must be positive and quantities non-negative exact decimals; the checksum an unsigned
 * 32-bit integer. Nothing is applied here, so a rejected message never touches a book.
 */
export function decodeBookMessage(
  frame: WireObject,
  type: ChannelMessageType,
): ChannelDecodeResult<BookMessage> {
  const entries = readArray(frame, 'data', maxBookEntries);
  if (entries === undefined || entries.length === 0) return 'data';
  const data: BookData[] = [];
  for (const entry of entries) {
    const object = asObject(entry);
    if (object === undefined) return 'data[]';
    const symbol = readSymbol(object);
    if (symbol === undefined) return 'data[].symbol';
    const bids = decodeLevels(object.bids);
    if (bids === undefined) return 'data[].bids';
    const asks = decodeLevels(object.asks);
    if (asks === undefined) return 'data[].asks';
    const checksum = readInteger(object, 'checksum', 0, maxChecksum);
    if (checksum === undefined) return 'data[].checksum';
    if (object.timestamp === undefined) {
      data.push({ symbol, bids, asks, checksum });
    } else {
      const timestamp = readTimestamp(object);
      if (timestamp === undefined) return 'data[].timestamp';
      data.push({ symbol, bids, asks, checksum, timestamp });
    }
  }
  return { kind: 'book', type, data };
}

function decodeLevels(value: WireValue | undefined): BookLevel[] | undefined {
  if (!Array.isArray(value) || value.length > maxBookLevels) return undefined;
  const levels: BookLevel[] = new Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const level = asObject(value[i]);
    if (level === undefined) return undefined;
    const price = readDecimal(level, 'price', 'positive');
    const qty = readDecimal(level, 'qty', 'non-negative');
    if (price === undefined || qty === undefined) return undefined;
    levels[i] = { price, qty };
  }
  return levels;
}
