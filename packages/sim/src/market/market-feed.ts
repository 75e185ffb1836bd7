import type { SimMarket } from '../sim-modules.js';
import type { PairMarket } from './market-pair.js';

/**
 * What the public feeds read beyond the {@link SimMarket} seam: the pairs' books in units
 * with their change tracking, so a book update is computed from the touched levels only.
 */
export interface MarketFeed {
  pair(symbol: string): PairMarket | undefined;
}

const feeds = new WeakMap<SimMarket, MarketFeed>();

export function registerMarketFeed(market: SimMarket, feed: MarketFeed): void {
  feeds.set(market, feed);
}

/** The feed behind a market made by `createSimMarket` (a wiring error otherwise). */
export function marketFeedOf(market: SimMarket): MarketFeed {
  const feed = feeds.get(market);
  if (!feed) throw new Error('the public feeds need the market made by createSimMarket');
  return feed;
}
