import { unitsToText } from '../market/market-units.js';
import type { Big } from '../sim-decimal.js';
import { RawNumber, wireDecimal } from '../sim-wire.js';

export type NumberFormat = 'padded' | 'trimmed';

/**
 * A price or quantity held in units, as a WS v2 JSON number: the pair's precision
 * (`0.5660`), or trailing zeros dropped in `trimmed` mode. Same output as `wireDecimal`,
 * without building a Big (the book feed writes thousands of these).
 */
export function wireUnits(units: bigint, places: number, format: NumberFormat): RawNumber {
  const text = unitsToText(units, places);
  if (format === 'padded' || places === 0) return new RawNumber(text);
  return new RawNumber(text.replace(/\.?0+$/, ''));
}

/** A Big as a WS number at `places` decimals; `fallback` when undefined (Kraken always sends a number). */
export function wireValue(
  value: Big | undefined,
  fallback: Big,
  places: number,
  format: NumberFormat,
): RawNumber {
  return wireDecimal(value ?? fallback, places, format);
}

/** RFC 3339 with nine fractional digits, as Kraken writes OHLC `interval_begin`. */
export function nanoTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-01-05T10:00:00.123Z
  return `${iso.slice(0, 23)}000000Z`;
}
