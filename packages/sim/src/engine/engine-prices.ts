import { type Big, Decimal, fitsPlaces } from '../sim-decimal.js';
import type { SimPair } from '../sim-pairs.js';
import type { PriceSpec, Side } from '../sim-types.js';

const hundred = new Decimal('100');

/** Why a price was refused. */
export type PriceProblem = 'decimals' | 'tick' | 'non-positive' | 'no-reference';

/** Rounds a computed price to the pair's tick (half up), as Kraken does with relative prices. */
export function roundToTick(price: Big, pair: SimPair): Big {
  const increment = new Decimal(pair.priceIncrement);
  return price.div(increment).round(0, Decimal.roundHalfUp).times(increment);
}

/** Checks a client-given absolute price: decimals, tick, positive. */
export function checkStaticPrice(price: Big, pair: SimPair): PriceProblem | undefined {
  if (!fitsPlaces(price, pair.pricePrecision)) return 'decimals';
  if (price.lte('0')) return 'non-positive';
  if (!price.mod(new Decimal(pair.priceIncrement)).eq('0')) return 'tick';
  return undefined;
}

/** Checks a signed offset given in quote currency (decimals only). */
export function checkQuoteOffset(offset: Big, pair: SimPair): PriceProblem | undefined {
  return fitsPlaces(offset, pair.pricePrecision) ? undefined : 'decimals';
}

/** `reference` moved by a signed offset: `quote` adds it, `pct` scales by it. */
export function applyOffset(reference: Big, offset: Big, type: 'pct' | 'quote'): Big {
  return type === 'quote' ? reference.plus(offset) : reference.times(hundred.plus(offset)).div(hundred);
}

/**
 * Resolves a price given statically or relative to `reference` (the last trade price):
 * relative prices are computed, rounded to the tick, and must come out positive.
 */
export function resolvePrice(
  spec: PriceSpec,
  reference: Big | undefined,
  pair: SimPair,
): { ok: true; price: Big } | { ok: false; problem: PriceProblem } {
  if (spec.type === 'static') {
    const problem = checkStaticPrice(spec.value, pair);
    return problem ? { ok: false, problem } : { ok: true, price: spec.value };
  }
  if (spec.type === 'quote') {
    const problem = checkQuoteOffset(spec.value, pair);
    if (problem) return { ok: false, problem };
  }
  if (!reference) return { ok: false, problem: 'no-reference' };
  const price = roundToTick(applyOffset(reference, spec.value, spec.type), pair);
  return price.gt('0') ? { ok: true, price } : { ok: false, problem: 'non-positive' };
}

/**
 * A trailing stop's trigger: `distance` (positive, quote or pct) behind the best price seen
 * since placement — below the peak for sells, above the trough for buys — on the tick.
 */
export function trailingTrigger(
  side: Side,
  peak: Big,
  distance: Big,
  type: 'pct' | 'quote',
  pair: SimPair,
): Big {
  const signed = side === 'sell' ? distance.neg() : distance;
  return roundToTick(applyOffset(peak, signed, type), pair);
}
