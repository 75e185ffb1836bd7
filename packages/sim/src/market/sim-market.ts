// PLACEHOLDER until the market module lands: an empty market (no books, no flow).
import type { CreateSimMarket, SimMarket } from '../sim-modules.js';

const missing = (): never => {
  throw new Error('market module not implemented yet');
};

export const createSimMarket: CreateSimMarket = () =>
  ({
    book: missing,
    rest: missing,
    removeResting: missing,
    amendResting: missing,
    executeTaker: missing,
    onUserMakerFill: () => undefined,
    lastPrice: () => undefined,
    ticker: missing,
    recentTrades: () => [],
    tradesSince: missing,
    candles: () => [],
    start: () => undefined,
    stop: () => undefined,
  }) satisfies SimMarket;
