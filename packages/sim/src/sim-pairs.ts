import { z } from 'zod';

/** An asset as the sim lists it: v2 name (`BTC`), REST id (`XXBT`), altname (`XBT`). */
export interface SimAsset {
  /** v2 / WebSocket name, e.g. `BTC`. */
  id: string;
  /** REST asset id, e.g. `XXBT`. */
  restId: string;
  /** REST altname, e.g. `XBT`. */
  altname: string;
  /** Decimals balances are kept in. */
  decimals: number;
  displayDecimals: number;
}

/** A tradable pair: every name Kraken uses for it, its precisions, limits, fees and market model. */
export interface SimPair {
  /** v2 symbol, e.g. `BTC/USD`. */
  symbol: string;
  /** REST pair id, e.g. `XXBTZUSD` (the key in REST responses). */
  restId: string;
  /** REST altname, e.g. `XBTUSD`. */
  altname: string;
  /** WebSocket v1 name, e.g. `XBT/USD` (REST AssetPairs `wsname`). */
  wsname: string;
  base: string;
  quote: string;
  pricePrecision: number;
  qtyPrecision: number;
  costPrecision: number;
  priceIncrement: string;
  qtyIncrement: string;
  qtyMin: string;
  costMin: string;
  /** Maker and taker fees in basis points. */
  makerFeeBps: number;
  takerFeeBps: number;
  status: 'online' | 'cancel_only' | 'post_only' | 'limit_only' | 'reduce_only';
  /** Seeded market model for this pair. */
  market: SimMarketModel;
}

export interface SimMarketModel {
  /** Starting mid price. */
  initialPrice: string;
  /** Price levels kept on each side of the background book. */
  depthLevels: number;
  /** Typical size of one background level, in base units (quantities vary around it). */
  typicalLevelQty: string;
  /** Spread in ticks between the best bid and ask at rest. */
  spreadTicks: number;
  /** Standard deviation of the mid price per simulated second, in basis points. */
  volatilityBps: number;
  /** Background book events per second (level changes), before the market-speed factor. */
  eventsPerSecond: number;
  /** Background trades per second, before the market-speed factor. */
  tradesPerSecond: number;
}

export const simAssetSchema = z
  .object({
    id: z.string().min(1),
    restId: z.string().min(1),
    altname: z.string().min(1),
    decimals: z.number().int().min(0).max(18),
    displayDecimals: z.number().int().min(0).max(18),
  })
  .strict();

const decimalText = z.string().regex(/^(0|[1-9]\d*)(\.\d+)?$/, 'plain decimal text, e.g. "0.1"');

export const simPairSchema = z
  .object({
    symbol: z.string().regex(/^[A-Za-z0-9]+\/[A-Za-z0-9]+$/),
    restId: z.string().min(1),
    altname: z.string().min(1),
    wsname: z.string().min(1),
    base: z.string().min(1),
    quote: z.string().min(1),
    pricePrecision: z.number().int().min(0).max(12),
    qtyPrecision: z.number().int().min(0).max(12),
    costPrecision: z.number().int().min(0).max(12),
    priceIncrement: decimalText,
    qtyIncrement: decimalText,
    qtyMin: decimalText,
    costMin: decimalText,
    makerFeeBps: z.number().min(0).max(1000),
    takerFeeBps: z.number().min(0).max(1000),
    status: z.enum(['online', 'cancel_only', 'post_only', 'limit_only', 'reduce_only']),
    market: z
      .object({
        initialPrice: decimalText,
        depthLevels: z.number().int().min(10).max(5000),
        typicalLevelQty: decimalText,
        spreadTicks: z.number().int().min(1),
        volatilityBps: z.number().min(0),
        eventsPerSecond: z.number().min(0),
        tradesPerSecond: z.number().min(0),
      })
      .strict(),
  })
  .strict();

export const defaultAssets: readonly SimAsset[] = [
  { id: 'BTC', restId: 'XXBT', altname: 'XBT', decimals: 10, displayDecimals: 5 },
  { id: 'ETH', restId: 'XETH', altname: 'ETH', decimals: 10, displayDecimals: 5 },
  { id: 'USD', restId: 'ZUSD', altname: 'USD', decimals: 4, displayDecimals: 2 },
  { id: 'POL', restId: 'POL', altname: 'POL', decimals: 10, displayDecimals: 5 },
  { id: 'PEPE', restId: 'PEPE', altname: 'PEPE', decimals: 10, displayDecimals: 5 },
];

/**
 * Pairs shipped by default, chosen to exercise every precision case: BTC/USD (1 price
 * decimal, large prices), ETH/USD (2), POL/USD (4 decimals: `0.5660` loses its trailing zero
 * through a float, the checksum trap), and PEPE/USD (sub-cent, 8 price decimals, quantities
 * down to 0.00000001).
 */
export const defaultPairs: readonly SimPair[] = [
  {
    symbol: 'BTC/USD',
    restId: 'XXBTZUSD',
    altname: 'XBTUSD',
    wsname: 'XBT/USD',
    base: 'BTC',
    quote: 'USD',
    pricePrecision: 1,
    qtyPrecision: 8,
    costPrecision: 5,
    priceIncrement: '0.1',
    qtyIncrement: '0.00000001',
    qtyMin: '0.0001',
    costMin: '0.5',
    makerFeeBps: 25,
    takerFeeBps: 40,
    status: 'online',
    market: {
      initialPrice: '64000.0',
      depthLevels: 1000,
      typicalLevelQty: '0.75',
      spreadTicks: 1,
      volatilityBps: 1,
      eventsPerSecond: 80,
      tradesPerSecond: 4,
    },
  },
  {
    symbol: 'ETH/USD',
    restId: 'XETHZUSD',
    altname: 'ETHUSD',
    wsname: 'ETH/USD',
    base: 'ETH',
    quote: 'USD',
    pricePrecision: 2,
    qtyPrecision: 8,
    costPrecision: 5,
    priceIncrement: '0.01',
    qtyIncrement: '0.00000001',
    qtyMin: '0.002',
    costMin: '0.5',
    makerFeeBps: 25,
    takerFeeBps: 40,
    status: 'online',
    market: {
      initialPrice: '3200.00',
      depthLevels: 1000,
      typicalLevelQty: '8',
      spreadTicks: 2,
      volatilityBps: 1.5,
      eventsPerSecond: 30,
      tradesPerSecond: 3,
    },
  },
  {
    symbol: 'POL/USD',
    restId: 'POLUSD',
    altname: 'POLUSD',
    wsname: 'POL/USD',
    base: 'POL',
    quote: 'USD',
    pricePrecision: 4,
    qtyPrecision: 8,
    costPrecision: 5,
    priceIncrement: '0.0001',
    qtyIncrement: '0.00000001',
    qtyMin: '10',
    costMin: '0.5',
    makerFeeBps: 25,
    takerFeeBps: 40,
    status: 'online',
    market: {
      initialPrice: '0.5660',
      depthLevels: 1000,
      typicalLevelQty: '20000',
      spreadTicks: 1,
      volatilityBps: 3,
      eventsPerSecond: 15,
      tradesPerSecond: 1.5,
    },
  },
  {
    symbol: 'PEPE/USD',
    restId: 'PEPEUSD',
    altname: 'PEPEUSD',
    wsname: 'PEPE/USD',
    base: 'PEPE',
    quote: 'USD',
    pricePrecision: 8,
    qtyPrecision: 8,
    costPrecision: 5,
    priceIncrement: '0.00000001',
    qtyIncrement: '0.00000001',
    qtyMin: '0.00000001',
    costMin: '0.00001',
    makerFeeBps: 25,
    takerFeeBps: 40,
    status: 'online',
    market: {
      initialPrice: '0.00001234',
      depthLevels: 1000,
      typicalLevelQty: '50000000',
      spreadTicks: 1,
      volatilityBps: 4,
      eventsPerSecond: 10,
      tradesPerSecond: 1,
    },
  },
];

/** Looks pairs up by any of their names, as REST and WS clients send them. */
export class SimPairCatalog {
  readonly #pairs: SimPair[];
  readonly #byName = new Map<string, SimPair>();
  readonly #assets = new Map<string, SimAsset>();
  readonly #assetsByName = new Map<string, SimAsset>();

  constructor(pairs: readonly SimPair[], assets: readonly SimAsset[]) {
    this.#pairs = [...pairs];
    for (const asset of assets) {
      this.#assets.set(asset.id, asset);
      for (const name of [asset.id, asset.restId, asset.altname]) this.#assetsByName.set(name, asset);
    }
    for (const pair of pairs) {
      for (const asset of [pair.base, pair.quote]) {
        if (!this.#assets.has(asset)) throw new Error(`Pair ${pair.symbol} uses unknown asset ${asset}`);
      }
      // REST accepts the id, the altname and the slash names (v2 and v1 spellings).
      for (const name of [pair.symbol, pair.restId, pair.altname, pair.wsname]) this.#byName.set(name, pair);
    }
  }

  get pairs(): readonly SimPair[] {
    return this.#pairs;
  }

  get assets(): readonly SimAsset[] {
    return [...this.#assets.values()];
  }

  /** By v2 symbol only (WebSocket v2 is strict: `XBT/USD` is not `BTC/USD`). */
  bySymbol(symbol: string): SimPair | undefined {
    const pair = this.#byName.get(symbol);
    return pair?.symbol === symbol ? pair : undefined;
  }

  /** By any REST spelling: id, altname, or slash name. */
  byRestName(name: string): SimPair | undefined {
    return this.#byName.get(name);
  }

  asset(id: string): SimAsset | undefined {
    return this.#assets.get(id);
  }

  /** By v2 name, REST id or altname. */
  assetByName(name: string): SimAsset | undefined {
    return this.#assetsByName.get(name);
  }
}
