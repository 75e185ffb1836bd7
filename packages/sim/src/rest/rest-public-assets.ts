import type { SimAsset, SimPair, SimPairCatalog } from '../sim-pairs.js';

/** Kraken's standard volume tiers (30-day USD volume) and how far each lowers the fee, in basis points. */
const feeTiers: readonly { volume: number; takerOff: number; makerOff: number }[] = [
  { volume: 0, takerOff: 0, makerOff: 0 },
  { volume: 10_000, takerOff: 5, makerOff: 5 },
  { volume: 50_000, takerOff: 16, makerOff: 11 },
  { volume: 100_000, takerOff: 18, makerOff: 13 },
  { volume: 250_000, takerOff: 20, makerOff: 15 },
  { volume: 500_000, takerOff: 22, makerOff: 17 },
  { volume: 1_000_000, takerOff: 24, makerOff: 19 },
  { volume: 2_500_000, takerOff: 26, makerOff: 21 },
  { volume: 5_000_000, takerOff: 28, makerOff: 23 },
  { volume: 10_000_000, takerOff: 30, makerOff: 25 },
];

/** `[[volume, percent], ...]`: Kraken's tier ladder applied to the pair's base fee. */
function schedule(baseBps: number, offOf: (tier: (typeof feeTiers)[number]) => number): [number, number][] {
  return feeTiers.map((tier) => [tier.volume, Math.max(0, baseBps - offOf(tier)) / 100]);
}

/** REST `Assets` entry. */
export function restAsset(asset: SimAsset) {
  return {
    aclass: 'currency',
    altname: asset.altname,
    decimals: asset.decimals,
    display_decimals: asset.displayDecimals,
    status: 'enabled',
  };
}

/**
 * REST `AssetPairs` entry for `info` (default), `leverage`, `fees` or `margin`. Asset fields
 * use REST asset ids (`XXBT`, `ZUSD`); `wsname` is the v1 spelling. The sim trades spot
 * only: no leverage levels.
 */
export function restAssetPair(
  pair: SimPair,
  catalog: SimPairCatalog,
  info: 'info' | 'leverage' | 'fees' | 'margin',
): Record<string, unknown> {
  const restId = (asset: string) => catalog.asset(asset)?.restId ?? asset;
  const fees = schedule(pair.takerFeeBps, (tier) => tier.takerOff);
  const feesMaker = schedule(pair.makerFeeBps, (tier) => tier.makerOff);
  const feeVolumeCurrency = catalog.asset('USD')?.restId ?? restId(pair.quote);
  switch (info) {
    case 'leverage':
      return { leverage_buy: [], leverage_sell: [] };
    case 'fees':
      return { fees, fees_maker: feesMaker, fee_volume_currency: feeVolumeCurrency };
    case 'margin':
      return { margin_call: 80, margin_stop: 40 };
    default:
      return {
        altname: pair.altname,
        wsname: pair.wsname,
        aclass_base: 'currency',
        base: restId(pair.base),
        aclass_quote: 'currency',
        quote: restId(pair.quote),
        lot: 'unit',
        cost_decimals: pair.costPrecision,
        pair_decimals: pair.pricePrecision,
        lot_decimals: pair.qtyPrecision,
        lot_multiplier: 1,
        leverage_buy: [],
        leverage_sell: [],
        fees,
        fees_maker: feesMaker,
        fee_volume_currency: feeVolumeCurrency,
        margin_call: 80,
        margin_stop: 40,
        ordermin: pair.qtyMin,
        costmin: pair.costMin,
        tick_size: pair.priceIncrement,
        status: pair.status,
      };
  }
}
