import { krakenErrors } from '../sim-errors.js';
import type { CancelRequest, CommandResult, SimOrder, Via } from '../sim-types.js';
import type { EngineAccount } from './engine-account.js';
import { fail, ok, preamble } from './engine-command.js';
import { closeOrder } from './engine-lifecycle.js';
import { type EngineOrder, snapshotOrder } from './engine-order.js';
import { agePenalty } from './engine-rate-counter.js';
import { closeReasons } from './engine-reasons.js';
import type { EngineState } from './engine-state.js';

/** The open orders a cancel request names (by id, cl_ord_id, or every order with a userref). */
export function cancelTargets(account: EngineAccount, request: CancelRequest): EngineOrder[] {
  const found = new Set<EngineOrder>();
  for (const id of request.orderIds ?? []) {
    const order = account.open.get(id);
    if (order) found.add(order);
  }
  const clOrdIds = new Set(request.clOrdIds ?? []);
  const userrefs = new Set(request.userrefs ?? []);
  if (clOrdIds.size > 0 || userrefs.size > 0) {
    for (const order of account.open.values()) {
      const { clOrdId, userref } = order.view;
      if (
        (clOrdId !== undefined && clOrdIds.has(clOrdId)) ||
        (userref !== undefined && userrefs.has(userref))
      ) {
        found.add(order);
      }
    }
  }
  return [...found];
}

/** Per-pair age penalties of cancelling these orders now. */
function penaltiesByPair(state: EngineState, orders: readonly EngineOrder[]): Map<string, number> {
  const now = state.now();
  const byPair = new Map<string, number>();
  for (const order of orders) {
    const { symbol, ageFrom } = order.view;
    byPair.set(symbol, (byPair.get(symbol) ?? 0) + agePenalty('cancel', now - ageFrom));
  }
  return byPair;
}

/**
 * Cancels the named open orders (reason `User requested`). Nothing matched →
 * `EOrder:Unknown order` (Kraken uses it for never-existed and already-closed alike).
 * Cancels cost only their age penalty; a single cancel that would exceed the threshold is
 * refused, a batch cancel is accepted anyway (PROTOCOL §4.2).
 */
export function cancelOrders(
  state: EngineState,
  accountId: string,
  request: CancelRequest,
  _via: Via,
): CommandResult<SimOrder[]> {
  return state.queue.command(() => {
    const start = preamble(state, accountId, 'cancel', undefined);
    if (!start.ok) return fail(start.error);
    const { account } = start;
    const targets = cancelTargets(account, request);
    if (targets.length === 0) return fail(krakenErrors.unknownOrder);
    const penalties = penaltiesByPair(state, targets);
    if (!request.batch) {
      for (const [symbol, cost] of penalties) {
        if (state.rates.wouldExceed(account.id, symbol, account.tier, cost)) {
          state.context.stats.count('engine.trading_rate_limited');
          return fail(krakenErrors.tradingRateLimit);
        }
      }
    }
    for (const [symbol, cost] of penalties) state.rates.add(account.id, symbol, account.tier, cost);
    for (const order of targets) closeOrder(state, order, 'canceled', closeReasons.userRequested);
    return ok(targets.map((order) => snapshotOrder(order.view)));
  });
}

/**
 * Cancels every open order of the account, untriggered and scheduled ones included.
 * Kraken's table has no cost for cancel-all; the sim charges the per-order age penalties
 * like a batch cancel (accepted whatever the counter), so cancel-all is no way around them.
 */
export function cancelEverything(
  state: EngineState,
  account: EngineAccount,
  reason: string,
  charge: boolean,
): number {
  const targets = [...account.open.values()];
  if (charge) {
    for (const [symbol, cost] of penaltiesByPair(state, targets))
      state.rates.add(account.id, symbol, account.tier, cost);
  }
  for (const order of targets) closeOrder(state, order, 'canceled', reason);
  return targets.length;
}

/** CancelAll / cancel_all. */
export function cancelAll(
  state: EngineState,
  accountId: string,
  _via: Via,
): CommandResult<{ count: number }> {
  return state.queue.command(() => {
    const start = preamble(state, accountId, 'cancel', undefined);
    if (!start.ok) return fail(start.error);
    return ok({ count: cancelEverything(state, start.account, closeReasons.userRequested, true) });
  });
}
