import BigConstructor, { type Big } from 'big.js';

/**
 * The sim's exact decimal type: big.js (the repo-wide decimal library), with its own
 * constructor so its settings never leak into other packages. Divisions keep 30 places and
 * round down; every money value is rounded explicitly to an asset's or pair's decimals.
 */
export const Decimal = BigConstructor();
Decimal.DP = 30;
Decimal.RM = Decimal.roundDown;
Decimal.strict = true;

export type { Big };

export const zero = new Decimal('0');

/** Exact parse of decimal text (plain or exponent form). Returns undefined for anything else. */
export function parseDecimal(text: string): Big | undefined {
  if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d{1,3})?$/.test(text) || text.length > 80) return undefined;
  return new Decimal(text);
}

/** `value` with exactly `places` decimals, rounding half up (Kraken's display rounding). */
export function toFixedPlaces(value: Big, places: number): string {
  return value.toFixed(places, Decimal.roundHalfUp);
}

/** Rounds down to `places` decimals (quantities never round up). */
export function roundDown(value: Big, places: number): Big {
  return value.round(places, Decimal.roundDown);
}

/** Rounds up to `places` decimals (fees and holds are never under-charged). */
export function roundUp(value: Big, places: number): Big {
  return value.round(places, Decimal.roundUp);
}

/** Number of decimals actually written (`"1.50"` → 2), for "too many decimals" checks. */
export function decimalPlaces(text: string): number {
  const point = text.indexOf('.');
  return point < 0 ? 0 : text.length - point - 1;
}

/** True when `value` has no more than `places` significant decimals (`1.50` has 1). */
export function fitsPlaces(value: Big, places: number): boolean {
  return value.round(places, Decimal.roundDown).eq(value);
}

export function minBig(a: Big, b: Big): Big {
  return a.lt(b) ? a : b;
}

export function maxBig(a: Big, b: Big): Big {
  return a.gt(b) ? a : b;
}
