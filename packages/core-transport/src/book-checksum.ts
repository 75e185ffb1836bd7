import type { BookLevel } from './wire-messages.js';

/** Decimal places the checksum pads prices and quantities to, from the `instrument` channel. */
export interface BookPrecision {
  /** `price_precision` of the pair. */
  readonly pricePrecision: number;
  /** `qty_precision` of the pair. */
  readonly qtyPrecision: number;
}

/** Levels per side the v2 book checksum covers, whatever the subscribed depth. */
export const checksumLevels = 10;

/** CRC-32 (IEEE 802.3, reflected 0xEDB88320) lookup table. */
const crcTable = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  crcTable[n] = c;
}

/** CRC-32 of ASCII text as an unsigned 32-bit integer (what Kraken sends). */
export function crc32(text: string): number {
  let register = -1;
  for (let i = 0; i < text.length; i++) {
    register = crcTable[(register ^ text.charCodeAt(i)) & 0xff]! ^ (register >>> 8);
  }
  return (register ^ -1) >>> 0;
}

/**
 * True when decimal text has no non-zero digit beyond `precision` decimal places.
 * `0.56600` fits precision 4 (the extra zero is dropped for the checksum); `0.56601` does
 * not: the book cannot be checksummed, so it must not be trusted.
 */
export function fitsPrecision(text: string, precision: number): boolean {
  const point = text.indexOf('.');
  if (point < 0) return true;
  for (let i = point + 1 + precision; i < text.length; i++) {
    if (text.charCodeAt(i) !== 48) return false;
  }
  return true;
}

/**
 * The checksum text of one decimal: padded (or zero-trimmed) to `precision` decimal
 * places, the point removed, leading zeros stripped: `0.5660`/`0.566` at 4 → `5660`,
 * `0.00100000` at 8 → `100000`, `0.0` → empty. Assumes {@link fitsPrecision}.
 */
export function checksumDigits(text: string, precision: number): string {
  const point = text.indexOf('.');
  const whole = point < 0 ? text : text.slice(0, point);
  const fraction = point < 0 ? '' : text.slice(point + 1, point + 1 + precision);
  return (whole + fraction.padEnd(precision, '0')).replace(/^0+/, '');
}

/**
 * The full checksum input (top 10 asks best first, then top 10 bids best first, price then
 * quantity digits each). For diagnostics and tests; the store uses {@link bookChecksum},
 * which computes the same CRC without building the string.
 */
export function checksumInput(
  asks: readonly BookLevel[],
  bids: readonly BookLevel[],
  precision: BookPrecision,
): string {
  let text = '';
  for (const side of [asks, bids]) {
    for (const level of side.slice(0, checksumLevels)) {
      text += checksumDigits(level.price, precision.pricePrecision);
      text += checksumDigits(level.qty, precision.qtyPrecision);
    }
  }
  return text;
}

/**
 * The v2 book checksum: CRC-32 over the top 10 asks (ascending) then top 10 bids
 * (descending), each level's price and quantity padded to the pair's precision, point
 * removed, leading zeros stripped. Levels are read best first from the arrays given and
 * must fit the precision ({@link fitsPrecision}). The digits are fed to the CRC directly
 * from the wire text, so checksumming allocates nothing.
 */
export function bookChecksum(
  asks: readonly BookLevel[],
  bids: readonly BookLevel[],
  precision: BookPrecision,
): number {
  const { pricePrecision, qtyPrecision } = precision;
  let register = -1;
  const askCount = Math.min(asks.length, checksumLevels);
  for (let i = 0; i < askCount; i++) {
    const level = asks[i]!;
    register = feedDecimal(register, level.price, pricePrecision);
    register = feedDecimal(register, level.qty, qtyPrecision);
  }
  const bidCount = Math.min(bids.length, checksumLevels);
  for (let i = 0; i < bidCount; i++) {
    const level = bids[i]!;
    register = feedDecimal(register, level.price, pricePrecision);
    register = feedDecimal(register, level.qty, qtyPrecision);
  }
  return (register ^ -1) >>> 0;
}

/**
 * A level that caches its share of the checksum: the CRC register of its digits fed from
 * zero (`checksumPart`), how many digits that was (`checksumLength`, -1 when not computed)
 * and for which precisions (`checksumKey`).
 */
export interface ChecksumCachedLevel extends BookLevel {
  checksumPart: number;
  checksumLength: number;
  checksumKey: number;
}

/**
 * {@link bookChecksum} for stored levels, in about a tenth of the time. CRC-32 is linear:
 * feeding digits D to register R gives `shift(R, |D|) XOR feed(0, D)`, where `shift`
 * advances R over |D| zero bytes. Each level's `feed(0, D)` is computed once and cached on
 * the level (levels are replaced, never edited, so the cache cannot go stale); `shift` is
 * four lookups in a table built once per length. So a checksum costs 20 table steps, not
 * 300 byte steps, and only new levels pay for their digits.
 */
export function cachedBookChecksum(
  asks: readonly ChecksumCachedLevel[],
  bids: readonly ChecksumCachedLevel[],
  precision: BookPrecision,
): number {
  const { pricePrecision, qtyPrecision } = precision;
  const key = pricePrecision * 256 + qtyPrecision;
  let register = -1;
  const askCount = Math.min(asks.length, checksumLevels);
  for (let i = 0; i < askCount; i++)
    register = combineLevel(register, asks[i]!, key, pricePrecision, qtyPrecision);
  const bidCount = Math.min(bids.length, checksumLevels);
  for (let i = 0; i < bidCount; i++)
    register = combineLevel(register, bids[i]!, key, pricePrecision, qtyPrecision);
  return (register ^ -1) >>> 0;
}

function combineLevel(
  register: number,
  level: ChecksumCachedLevel,
  key: number,
  pricePrecision: number,
  qtyPrecision: number,
): number {
  if (level.checksumKey !== key || level.checksumLength < 0) {
    fedCount = 0;
    const part = feedDecimal(feedDecimal(0, level.price, pricePrecision), level.qty, qtyPrecision);
    level.checksumPart = part;
    level.checksumLength = fedCount;
    level.checksumKey = key;
  }
  const table = shiftTable(level.checksumLength);
  return (
    table[register & 0xff]! ^
    table[256 + ((register >>> 8) & 0xff)]! ^
    table[512 + ((register >>> 16) & 0xff)]! ^
    table[768 + (register >>> 24)]! ^
    level.checksumPart
  );
}

/** `shiftTables[n]`: the register after `n` zero bytes, by register byte (4 × 256 entries). */
const shiftTables: Int32Array[] = [];

function shiftTable(length: number): Int32Array {
  let table = shiftTables[length];
  if (table === undefined) {
    table = new Int32Array(1024);
    for (let byte = 0; byte < 4; byte++) {
      for (let value = 0; value < 256; value++) {
        let register = value << (byte * 8);
        for (let n = 0; n < length; n++) register = crcTable[register & 0xff]! ^ (register >>> 8);
        table[byte * 256 + value] = register;
      }
    }
    shiftTables[length] = table;
  }
  return table;
}

/** Digits fed by the last {@link feedDecimal} calls (reset by the caller). */
let fedCount = 0;

/** Feeds {@link checksumDigits}`(text, precision)` into a running CRC register. */
function feedDecimal(register: number, text: string, precision: number): number {
  let started = false;
  let fractionDigits = -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 46) {
      fractionDigits = 0;
      continue;
    }
    if (fractionDigits >= 0) {
      if (fractionDigits === precision) break;
      fractionDigits++;
    }
    if (!started) {
      if (code === 48) continue;
      started = true;
    }
    register = crcTable[(register ^ code) & 0xff]! ^ (register >>> 8);
    fedCount++;
  }
  if (started) {
    for (let pad = precision - Math.max(fractionDigits, 0); pad > 0; pad--) {
      register = crcTable[(register ^ 48) & 0xff]! ^ (register >>> 8);
      fedCount++;
    }
  }
  return register;
}
