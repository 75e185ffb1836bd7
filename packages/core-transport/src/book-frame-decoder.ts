import { maxBookLevels, maxChecksum } from './book-message-decoder.js';
import { isSymbol, isTimestamp, maxDecimalLength } from './wire-fields.js';
import type { BookData, BookLevel, BookMessage, ChannelMessageType } from './wire-messages.js';

/** Every book frame the fast path reads starts with exactly this text. */
export const bookFramePrefix = '{"channel":"book",';

// The fast path for the hottest frames: a schema-directed scanner that reads a compact
// `book` frame straight into a BookMessage in one pass, without building a generic JSON
// tree first. It accepts only a strict subset of valid JSON (no whitespace, no escapes,
// numbers without exponent, one book per frame, known keys only) and answers `undefined`
// ("not mine") for anything else. The caller then runs the general parser and validator,
// which accept or reject it. So the fast path can only speed things up: a property test
// checks that whenever it answers, the general path gives the same message.

let source = '';
let position = 0;

/**
 * Reads a compact Kraken `book` frame, or returns `undefined` when the frame falls outside
 * the fast path's subset (then use the general path, which also classifies bad frames).
 */
export function decodeBookFrame(text: string): BookMessage | undefined {
  if (!text.startsWith(bookFramePrefix)) return undefined;
  source = text;
  position = bookFramePrefix.length;
  let message: BookMessage | undefined;
  try {
    message = readFrameRest();
  } catch {
    message = undefined;
  }
  source = '';
  return message;
}

function readFrameRest(): BookMessage | undefined {
  let type: ChannelMessageType | undefined;
  let data: BookData | undefined;
  for (;;) {
    // Dispatch on the key's first letter, then confirm the whole key.
    const letter = source.charCodeAt(position + 1);
    if (letter === 116) {
      if (type !== undefined) return undefined;
      if (matchHere(typeUpdateKey)) {
        type = 'update';
        position += 15;
      } else if (matchHere(typeSnapshotKey)) {
        type = 'snapshot';
        position += 17;
      } else {
        return undefined;
      }
    } else if (letter === 100 && matchHere(dataKey)) {
      if (data !== undefined) return undefined;
      position += 8;
      data = readData();
      if (data === undefined || source.charCodeAt(position) !== 93) return undefined;
      position++;
    } else {
      return undefined;
    }
    const code = source.charCodeAt(position++);
    if (code === 44) continue;
    if (code !== 125 || position !== source.length) return undefined;
    if (type === undefined || data === undefined) return undefined;
    return { kind: 'book', type, data: [data] };
  }
}

/** A key's character codes: comparing against a typed array is cheaper than `text.charCodeAt`. */
function codes(text: string): Uint8Array {
  return Uint8Array.from(text, (character) => character.charCodeAt(0));
}

const typeUpdateKey = codes('"type":"update"');
const typeSnapshotKey = codes('"type":"snapshot"');
const dataKey = codes('"data":[{');
const bidsKey = codes('"bids":[');
const asksKey = codes('"asks":[');
const symbolKey = codes('"symbol":"');
const checksumKey = codes('"checksum":');
const timestampKey = codes('"timestamp":"');

/** True when the source continues with `key` at the current position. */
function matchHere(key: Uint8Array): boolean {
  const length = key.length;
  for (let i = 0; i < length; i++) {
    if (source.charCodeAt(position + i) !== key[i]) return false;
  }
  return true;
}

/** True when the source continues with the text of `text` (a string) at the current position. */
function matchTextHere(text: string): boolean {
  return source.startsWith(text, position);
}

function readData(): BookData | undefined {
  // position is at `{`.
  position++;
  let symbol: string | undefined;
  let bids: BookLevel[] | undefined;
  let asks: BookLevel[] | undefined;
  let checksum: number | undefined;
  let timestamp: string | undefined;
  for (;;) {
    const letter = source.charCodeAt(position + 1);
    if (letter === 98 && matchHere(bidsKey)) {
      if (bids !== undefined) return undefined;
      position += 8;
      bids = readLevels();
      if (bids === undefined) return undefined;
    } else if (letter === 97 && matchHere(asksKey)) {
      if (asks !== undefined) return undefined;
      position += 8;
      asks = readLevels();
      if (asks === undefined) return undefined;
    } else if (letter === 115 && matchHere(symbolKey)) {
      if (symbol !== undefined) return undefined;
      position += 10;
      symbol = readSymbol();
      if (symbol === undefined) return undefined;
    } else if (letter === 99 && matchHere(checksumKey)) {
      if (checksum !== undefined) return undefined;
      position += 11;
      checksum = readChecksum();
      if (checksum === undefined) return undefined;
    } else if (letter === 116 && matchHere(timestampKey)) {
      if (timestamp !== undefined) return undefined;
      position += 13;
      timestamp = readPlainString();
      if (timestamp === undefined || !isTimestamp(timestamp)) return undefined;
    } else {
      return undefined;
    }
    const code = source.charCodeAt(position++);
    if (code === 44) continue;
    if (code !== 125) return undefined;
    if (symbol === undefined || bids === undefined || asks === undefined || checksum === undefined) {
      return undefined;
    }
    return timestamp === undefined
      ? { symbol, bids, asks, checksum }
      : { symbol, bids, asks, checksum, timestamp };
  }
}

/** The last symbol read: a stream repeats the same few symbols, so most are reused as is. */
let lastSymbol = '';

/** Reads and validates a symbol, reusing the previous string when the text is the same. */
function readSymbol(): string | undefined {
  const length = lastSymbol.length;
  if (length > 0 && source.charCodeAt(position + length) === 34 && matchTextHere(lastSymbol)) {
    position += length + 1;
    return lastSymbol;
  }
  const symbol = readPlainString();
  if (symbol === undefined || !isSymbol(symbol)) return undefined;
  lastSymbol = symbol;
  return symbol;
}

/** Reads string content up to the closing quote; `undefined` on escapes or control characters. */
function readPlainString(): string | undefined {
  const start = position;
  let code = source.charCodeAt(position);
  while (code !== 34) {
    if (code === 92 || code < 32 || Number.isNaN(code)) return undefined;
    code = source.charCodeAt(++position);
  }
  return source.slice(start, position++);
}

function readLevels(): BookLevel[] | undefined {
  // position is just after `[`.
  const levels: BookLevel[] = [];
  if (source.charCodeAt(position) === 93) {
    position++;
    return levels;
  }
  for (;;) {
    if (!isPriceKeyHere()) return undefined;
    position += 9;
    const price = readDecimal(true);
    if (price === undefined || !isQtyKeyHere()) return undefined;
    position += 7;
    const qty = readDecimal(false);
    if (qty === undefined || source.charCodeAt(position) !== 125) return undefined;
    levels.push({ price, qty });
    if (levels.length > maxBookLevels) return undefined;
    const code = source.charCodeAt(++position);
    position++;
    if (code === 44) continue;
    if (code === 93) return levels;
    return undefined;
  }
}

// The two keys every level repeats, compared with constant character codes: a loop over a
// key string costs about twice as much on this path (measured).

/** `{"price":` at the current position. */
function isPriceKeyHere(): boolean {
  const at = position;
  return (
    source.charCodeAt(at) === 123 &&
    source.charCodeAt(at + 1) === 34 &&
    source.charCodeAt(at + 2) === 112 &&
    source.charCodeAt(at + 3) === 114 &&
    source.charCodeAt(at + 4) === 105 &&
    source.charCodeAt(at + 5) === 99 &&
    source.charCodeAt(at + 6) === 101 &&
    source.charCodeAt(at + 7) === 34 &&
    source.charCodeAt(at + 8) === 58
  );
}

/** `,"qty":` at the current position. */
function isQtyKeyHere(): boolean {
  const at = position;
  return (
    source.charCodeAt(at) === 44 &&
    source.charCodeAt(at + 1) === 34 &&
    source.charCodeAt(at + 2) === 113 &&
    source.charCodeAt(at + 3) === 116 &&
    source.charCodeAt(at + 4) === 121 &&
    source.charCodeAt(at + 5) === 34 &&
    source.charCodeAt(at + 6) === 58
  );
}

/**
 * Reads a non-negative JSON number without exponent as its exact text (`0.5660`). Anything
 * the general validator would treat differently (a sign, an exponent, over-long text, a
 * zero price) answers `undefined`.
 */
function readDecimal(mustBePositive: boolean): string | undefined {
  const start = position;
  let code = source.charCodeAt(position);
  let nonZero = false;
  if (code === 48) {
    code = source.charCodeAt(++position);
  } else if (code >= 49 && code <= 57) {
    nonZero = true;
    do code = source.charCodeAt(++position);
    while (code >= 48 && code <= 57);
  } else {
    return undefined;
  }
  if (code === 46) {
    code = source.charCodeAt(++position);
    if (!(code >= 48 && code <= 57)) return undefined;
    do {
      if (code !== 48) nonZero = true;
      code = source.charCodeAt(++position);
    } while (code >= 48 && code <= 57);
  }
  if (code === 101 || code === 69) return undefined;
  if (position - start > maxDecimalLength || (mustBePositive && !nonZero)) return undefined;
  return source.slice(start, position);
}

function readChecksum(): number | undefined {
  const start = position;
  let code = source.charCodeAt(position);
  let value = 0;
  if (code === 48) {
    code = source.charCodeAt(++position);
  } else if (code >= 49 && code <= 57) {
    do {
      value = value * 10 + (code - 48);
      code = source.charCodeAt(++position);
    } while (code >= 48 && code <= 57);
  } else {
    return undefined;
  }
  // At most 10 digits, so `value` stays an exact integer.
  if (code === 46 || code === 101 || code === 69 || position - start > 10) return undefined;
  return value <= maxChecksum ? value : undefined;
}
