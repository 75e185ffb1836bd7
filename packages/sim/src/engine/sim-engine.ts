// PLACEHOLDER until the engine module lands: every command fails, queries are empty.
import type { CreateSimEngine, SimEngine } from '../sim-modules.js';

const failed = () => ({ ok: false as const, error: 'EGeneral:Internal error' });

export const createSimEngine: CreateSimEngine = (_context, _market, accounts) => {
  const ids = new Set(accounts.map((account) => account.id));
  const engine: SimEngine = {
    hasAccount: (accountId) => ids.has(accountId),
    addOrder: failed,
    batchAdd: failed,
    amendOrder: failed,
    editOrder: failed,
    cancelOrders: failed,
    cancelAll: failed,
    cancelAllOrdersAfter: failed,
    openOrders: () => [],
    closedOrders: () => ({ orders: [], count: 0 }),
    queryOrders: () => [],
    trades: () => ({ fills: [], count: 0 }),
    recentFills: () => [],
    ledger: () => [],
    balances: () => new Map(),
    rateCounter: () => 0,
    maxRateCount: () => 125,
    adjustBalance: failed,
    stop: () => undefined,
  };
  return engine;
};
