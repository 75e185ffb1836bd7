import type { Big } from '../sim-decimal.js';
import { Decimal } from '../sim-decimal.js';
import type { SimPair } from '../sim-pairs.js';

/**
 * Fee currency when the client states no preference. Kraken documents `fciq` for buys and
 * `fcib` for sells (PROTOCOL §3.3/§10.2), but its executions channel says fees are
 * "currently always in quote currency" (§9.1), captured sell reports carry
 * `fee_ccy_pref: "fciq"`, and the documented sell ledger example charges the fee on the
 * USD leg (§9.2). The sim follows the observed behaviour: quote for both sides; base only
 * when asked for.
 */
export const defaultFeePreference = 'quote' as const;

const basisPointsPerUnit = new Decimal('10000');

/** The pair's fee rates as fractions (25 bps → 0.0025). */
export interface FeeRates {
  maker: Big;
  taker: Big;
  /** The higher of the two: what a reservation must cover before it is known how the order fills. */
  max: Big;
}

export function feeRates(pair: SimPair): FeeRates {
  const maker = new Decimal(String(pair.makerFeeBps)).div(basisPointsPerUnit);
  const taker = new Decimal(String(pair.takerFeeBps)).div(basisPointsPerUnit);
  return { maker, taker, max: maker.gt(taker) ? maker : taker };
}

/** The asset a fee is charged in. */
export function feeAsset(pair: SimPair, preference: 'base' | 'quote'): string {
  return preference === 'base' ? pair.base : pair.quote;
}
