import { type Big, Decimal } from '../sim-decimal.js';
import type { SimPair } from '../sim-pairs.js';
import type { Side } from '../sim-types.js';

// Inside the market every price and quantity is a bigint count of the pair's smallest unit
// (price: 10^-pricePrecision, quantity: 10^-qtyPrecision). Integer arithmetic is exact and
// an order of magnitude faster than decimal objects on the hot paths (matching, the
// background flow, book diffs); Big values appear only at the seam.

const powers: bigint[] = [];

/** 10^places as a bigint (cached). */
export function scaleOf(places: number): bigint {
  let power = powers[places];
  if (power === undefined) {
    power = 10n ** BigInt(places);
    powers[places] = power;
  }
  return power;
}

/** Fixed-point text of `units` with `places` decimals (`5660n, 4` → `0.5660`). */
export function unitsToText(units: bigint, places: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString();
  if (places === 0) return negative ? `-${digits}` : digits;
  const padded = digits.length > places ? digits : digits.padStart(places + 1, '0');
  const cut = padded.length - places;
  return `${negative ? '-' : ''}${padded.slice(0, cut)}.${padded.slice(cut)}`;
}

export function unitsToBig(units: bigint, places: number): Big {
  return new Decimal(unitsToText(units, places));
}

/**
 * Exact units of a decimal value, or undefined when it has more decimals than `places`
 * (the caller decides whether that is a bug or a rounding case).
 */
export function bigToUnits(value: Big, places: number): bigint | undefined {
  const scaled = value.times(scaleOf(places).toString());
  if (!scaled.round(0, Decimal.roundDown).eq(scaled)) return undefined;
  return BigInt(scaled.toFixed(0));
}

/** Units of `value`, rounded down to the grid (quantities never round up). */
export function bigToUnitsDown(value: Big, places: number): bigint {
  return BigInt(value.times(scaleOf(places).toString()).round(0, Decimal.roundDown).toFixed(0));
}

/** Units of a plain decimal text at `places` (must fit; used for pair metadata). */
export function textToUnits(text: string, places: number): bigint {
  const units = bigToUnits(new Decimal(text), places);
  if (units === undefined) throw new Error(`${text} has more than ${places} decimals`);
  return units;
}

/** The unit scales of one pair. */
export interface PairUnits {
  readonly pair: SimPair;
  readonly pricePlaces: number;
  readonly qtyPlaces: number;
  /** Smallest price step, in price units. */
  readonly tick: bigint;
  /** Smallest quantity step, in quantity units. */
  readonly lot: bigint;
}

export function pairUnits(pair: SimPair): PairUnits {
  return {
    pair,
    pricePlaces: pair.pricePrecision,
    qtyPlaces: pair.qtyPrecision,
    tick: textToUnits(pair.priceIncrement, pair.pricePrecision),
    lot: textToUnits(pair.qtyIncrement, pair.qtyPrecision),
  };
}

/** Quote value of `qty` at `price`, as a Big (exact: price units × qty units). */
export function costOf(price: bigint, qty: bigint, units: PairUnits): Big {
  return unitsToBig(price * qty, units.pricePlaces + units.qtyPlaces);
}

/**
 * A taker's limit price in price units. Off-grid limits (more decimals than the pair's) are
 * rounded toward the taker, so a buy at 100.05 on a 1-decimal pair can take 100.0.
 */
export function limitToUnits(takerSide: Side, price: Big, places: number): bigint {
  const exact = bigToUnits(price, places);
  if (exact !== undefined) return exact;
  const scaled = price.times(scaleOf(places).toString());
  return BigInt(scaled.round(0, takerSide === 'buy' ? Decimal.roundDown : Decimal.roundUp).toFixed(0));
}
