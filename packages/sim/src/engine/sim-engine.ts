import type { SimAccountSpec } from '../sim-accounts.js';
import type { SimContext } from '../sim-context.js';
import { type Big, Decimal, roundDown } from '../sim-decimal.js';
import { krakenErrors } from '../sim-errors.js';
import type { CreateSimEngine, SimEngine, SimMarket } from '../sim-modules.js';
import type { CommandResult } from '../sim-types.js';
import { EngineAccount } from './engine-account.js';
import { adjustBalance } from './engine-adjust.js';
import { amendOrder } from './engine-amend.js';
import { cancelAll, cancelOrders } from './engine-cancel.js';
import { cancelAllOrdersAfter, deadManAfterStatusChange, stopDeadMen } from './engine-dead-man.js';
import { editOrder } from './engine-edit.js';
import { onIcebergRefill, onMakerFill } from './engine-fills.js';
import { addOrder, batchAdd } from './engine-placement.js';
import {
  balances,
  closedOrders,
  ledger,
  openOrders,
  queryOrders,
  recentFills,
  trades,
} from './engine-queries.js';
import { tierLimits } from './engine-rate-counter.js';
import { EngineState } from './engine-state.js';
import { cancelTimer } from './engine-timers.js';
import { onPublicTrades } from './engine-triggers.js';

/** The engine and its internal state (tests inspect the state: conservation tallies, holds). */
export interface EngineHandle {
  engine: SimEngine;
  state: EngineState;
}

/**
 * Builds the engine: accounts with their starting balances (rounded down to each asset's
 * decimals), the market's maker-fill handler, and the listeners for triggers (public
 * trades) and status changes (parked work, dead man's switches that fired in maintenance).
 */
export function createEngine(
  context: SimContext,
  market: SimMarket,
  accounts: readonly SimAccountSpec[],
): EngineHandle {
  const state = new EngineState(context, market);
  for (const spec of accounts) {
    const starting = new Map<string, Big>();
    for (const [asset, text] of Object.entries(spec.balances)) {
      const known = context.catalog.assetByName(asset);
      starting.set(known?.id ?? asset, roundDown(new Decimal(text), known?.decimals ?? 10));
    }
    state.accounts.set(spec.id, new EngineAccount(spec, starting));
  }

  const guard = (run: () => void) => {
    try {
      run();
    } catch (error) {
      context.reportError(error);
    }
  };
  market.onUserMakerFill((fill) => guard(() => onMakerFill(state, fill)));
  if (market.onIcebergRefill) {
    state.marketReportsRefills = true;
    market.onIcebergRefill((refill) =>
      guard(() => onIcebergRefill(state, refill.orderId, refill.visibleQty)),
    );
  }
  const onTrades = ({
    symbol,
    trades: list,
  }: {
    symbol: string;
    trades: Parameters<typeof onPublicTrades>[2];
  }) => guard(() => onPublicTrades(state, symbol, list));
  const onStatus = () =>
    guard(() => {
      deadManAfterStatusChange(state);
      state.queue.resume();
    });
  context.events.on('public-trades', onTrades);
  context.events.on('status-change', onStatus);

  // A bug must not escape to a protocol handler: recorded, answered like Kraken's internal error.
  const command = <T>(run: () => CommandResult<T>): CommandResult<T> => {
    try {
      return run();
    } catch (error) {
      context.reportError(error);
      return { ok: false, error: krakenErrors.internalError };
    }
  };

  const engine: SimEngine = {
    hasAccount: (accountId) => state.accounts.has(accountId),
    addOrder: (accountId, request, via) => command(() => addOrder(state, accountId, request, via)),
    batchAdd: (accountId, symbol, requests, options, via) =>
      command(() => batchAdd(state, accountId, symbol, requests, options, via)),
    amendOrder: (accountId, request, via) => command(() => amendOrder(state, accountId, request, via)),
    editOrder: (accountId, request, via) => command(() => editOrder(state, accountId, request, via)),
    cancelOrders: (accountId, request, via) => command(() => cancelOrders(state, accountId, request, via)),
    cancelAll: (accountId, via) => command(() => cancelAll(state, accountId, via)),
    cancelAllOrdersAfter: (accountId, timeoutSeconds) =>
      command(() => cancelAllOrdersAfter(state, accountId, timeoutSeconds)),
    openOrders: (accountId, filter, asOf) => openOrders(state, accountId, filter, asOf),
    closedOrders: (accountId, filter, asOf) => closedOrders(state, accountId, filter, asOf),
    queryOrders: (accountId, ids, asOf) => queryOrders(state, accountId, ids, asOf),
    trades: (accountId, filter, asOf) => trades(state, accountId, filter, asOf),
    recentFills: (accountId, limit) => recentFills(state, accountId, limit),
    ledger: (accountId, asOf) => ledger(state, accountId, asOf),
    balances: (accountId, asOf) => balances(state, accountId, asOf),
    rateCounter: (accountId, symbol) => {
      const account = state.account(accountId);
      return account ? state.rates.value(accountId, symbol, account.tier) : 0;
    },
    maxRateCount: (accountId) => tierLimits[state.account(accountId)?.tier ?? 'intermediate'].threshold,
    adjustBalance: (accountId, asset, amount) =>
      command(() => state.queue.command(() => adjustBalance(state, accountId, asset, amount))),
    stop: () => {
      context.events.off('public-trades', onTrades);
      context.events.off('status-change', onStatus);
      stopDeadMen(state);
      for (const order of state.orders.values()) {
        for (const slot of order.timers) cancelTimer(context.clock, slot);
      }
      state.queue.stop();
    },
  };
  return { engine, state };
}

/** The seam factory (`src/sim.ts`). */
export const createSimEngine: CreateSimEngine = (context, market, accounts) =>
  createEngine(context, market, accounts).engine;
