import { type Big, zero } from '../sim-decimal.js';
import type {
  BalanceView,
  ClosedOrdersFilter,
  LedgerEntry,
  SimFill,
  SimOrder,
  TradesFilter,
} from '../sim-types.js';
import type { EngineAccount } from './engine-account.js';
import { type EngineOrder, isOpenStatus, snapshotOrder } from './engine-order.js';
import type { EngineState } from './engine-state.js';

/** Kraken's REST history page size. */
export const historyPageSize = 50;

/** The order as it was at `asOf` (undefined: now), with its hold then. */
function orderAt(order: EngineOrder, asOf: number | undefined): { order: SimOrder; hold: Big } | undefined {
  if (asOf === undefined) return { order: snapshotOrder(order.view), hold: order.hold };
  const { versions } = order;
  let low = 0;
  let high = versions.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (versions[middle]!.time <= asOf) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  const version = versions[found];
  return version ? { order: snapshotOrder(version.order), hold: version.hold } : undefined;
}

function ordersAt(account: EngineAccount, asOf: number | undefined, open: boolean): SimOrder[] {
  const source = asOf === undefined && open ? account.open.values() : account.orders.values();
  const result: SimOrder[] = [];
  for (const order of source) {
    const then = orderAt(order, asOf);
    if (then && isOpenStatus(then.order.status) === open) result.push(then.order);
  }
  return result;
}

function matchesTags(order: SimOrder, filter: { clOrdId?: string; userref?: number } | undefined): boolean {
  if (filter?.clOrdId !== undefined && order.clOrdId !== filter.clOrdId) return false;
  if (filter?.userref !== undefined && order.userref !== filter.userref) return false;
  return true;
}

export function openOrders(
  state: EngineState,
  accountId: string,
  filter?: { clOrdId?: string; userref?: number },
  asOf?: number,
): SimOrder[] {
  const account = state.account(accountId);
  if (!account) return [];
  return ordersAt(account, asOf, true).filter((order) => matchesTags(order, filter));
}

/** A `start`/`end` bound: epoch ms, or an id whose time is used. */
function boundTime(
  bound: number | string | undefined,
  timeOf: (id: string) => number | undefined,
): number | undefined {
  if (bound === undefined || typeof bound === 'number') return bound;
  return timeOf(bound);
}

/** Closed orders newest first (by close time), 50 per page from `offset`; `count` is the total. */
export function closedOrders(
  state: EngineState,
  accountId: string,
  filter: ClosedOrdersFilter = {},
  asOf?: number,
): { orders: SimOrder[]; count: number } {
  const account = state.account(accountId);
  if (!account) return { orders: [], count: 0 };
  const mode = filter.closeTime ?? 'both';
  const timeOf = (id: string) => {
    const order = account.orders.get(id)?.view;
    if (!order) return undefined;
    return mode === 'close' ? (order.closedAt ?? order.openedAt) : order.openedAt;
  };
  const start = boundTime(filter.start, timeOf);
  const end = boundTime(filter.end, timeOf);
  const inRange = (time: number | undefined) =>
    time !== undefined && (start === undefined || time > start) && (end === undefined || time <= end);
  const matching = ordersAt(account, asOf, false).filter((order) => {
    if (!matchesTags(order, filter)) return false;
    if (start === undefined && end === undefined) return true;
    if (mode === 'open') return inRange(order.openedAt);
    if (mode === 'close') return inRange(order.closedAt);
    return inRange(order.openedAt) || inRange(order.closedAt);
  });
  matching.sort((a, b) => (b.closedAt ?? 0) - (a.closedAt ?? 0) || b.openedAt - a.openedAt);
  const offset = filter.offset ?? 0;
  return { orders: matching.slice(offset, offset + historyPageSize), count: matching.length };
}

export function queryOrders(
  state: EngineState,
  accountId: string,
  ids: readonly string[],
  asOf?: number,
): SimOrder[] {
  const account = state.account(accountId);
  if (!account) return [];
  const result: SimOrder[] = [];
  for (const id of ids) {
    const order = account.orders.get(id);
    const then = order ? orderAt(order, asOf) : undefined;
    if (then) result.push(then.order);
  }
  return result;
}

/** The account's fills newest first, 50 per page; `count` is the total. */
export function trades(
  state: EngineState,
  accountId: string,
  filter: TradesFilter = {},
  asOf?: number,
): { fills: SimFill[]; count: number } {
  const account = state.account(accountId);
  if (!account) return { fills: [], count: 0 };
  const timeOf = (id: string) => account.fills.find((fill) => fill.id === id)?.time;
  const start = boundTime(filter.start, timeOf);
  const end = boundTime(filter.end, timeOf);
  const matching = account.fills.filter(
    (fill) =>
      (asOf === undefined || fill.time <= asOf) &&
      (start === undefined || fill.time > start) &&
      (end === undefined || fill.time <= end),
  );
  matching.reverse();
  const offset = filter.offset ?? 0;
  return {
    fills: matching.slice(offset, offset + historyPageSize).map((fill) => ({ ...fill })),
    count: matching.length,
  };
}

/** The last `limit` fills, newest last. */
export function recentFills(state: EngineState, accountId: string, limit: number): SimFill[] {
  const account = state.account(accountId);
  if (!account || limit <= 0) return [];
  return account.fills.slice(-limit).map((fill) => ({ ...fill }));
}

export function ledger(state: EngineState, accountId: string, asOf?: number): LedgerEntry[] {
  const account = state.account(accountId);
  if (!account) return [];
  return account.ledger
    .filter((entry) => asOf === undefined || entry.time <= asOf)
    .map((entry) => ({ ...entry }));
}

/**
 * Balances and holds per asset. Now: the live values. `asOf`: each asset's balance after
 * its last ledger entry by then (or the starting balance), holds from the open orders'
 * recorded versions then.
 */
export function balances(state: EngineState, accountId: string, asOf?: number): Map<string, BalanceView> {
  const account = state.account(accountId);
  const result = new Map<string, BalanceView>();
  if (!account) return result;
  if (asOf === undefined) {
    for (const [asset, balance] of account.balances)
      result.set(asset, { balance, holdTrade: account.held(asset) });
    return result;
  }
  const balanceThen = new Map(account.initial);
  for (const entry of account.ledger) {
    if (entry.time > asOf) break;
    balanceThen.set(entry.asset, entry.balance);
  }
  const holdsThen = new Map<string, Big>();
  for (const order of account.orders.values()) {
    const then = orderAt(order, asOf);
    if (!then || !isOpenStatus(then.order.status)) continue;
    holdsThen.set(order.holdAsset, (holdsThen.get(order.holdAsset) ?? zero).plus(then.hold));
  }
  for (const asset of account.balances.keys()) {
    result.set(asset, { balance: balanceThen.get(asset) ?? zero, holdTrade: holdsThen.get(asset) ?? zero });
  }
  return result;
}
