import type { Big } from '../sim-decimal.js';
import type { PublicTrade } from '../sim-types.js';
import { execute, executesAtMarket } from './engine-execution.js';
import { closeOrder, unwatchTrigger } from './engine-lifecycle.js';
import { type EngineOrder, isOpenStatus, isTrailingType } from './engine-order.js';
import { applyOffset, roundToTick, trailingTrigger } from './engine-prices.js';
import { closeReasons } from './engine-reasons.js';
import type { EngineState } from './engine-state.js';

/**
 * Whether `last` reached the trigger: stops (and trailing stops) trigger when the price
 * moves against the position (sells at or below, buys at or above), take-profits when it
 * moves in favour (sells at or above, buys at or below).
 */
export function triggerReached(order: EngineOrder, last: Big): boolean {
  const { view } = order;
  const trigger = view.trigger?.actualPrice;
  if (!trigger) return false;
  const takeProfit = view.orderType === 'take-profit' || view.orderType === 'take-profit-limit';
  const sellSide = view.side === 'sell';
  const below = last.lte(trigger);
  const above = last.gte(trigger);
  return takeProfit ? (sellSide ? above : below) : sellSide ? below : above;
}

/**
 * The price an untriggered order's hold is computed at: its limit price, a
 * trailing-stop-limit's prospective limit (trigger + offset), else the trigger price.
 */
export function updateReservePrice(order: EngineOrder): void {
  const { view } = order;
  const trigger = view.trigger?.actualPrice;
  if (order.limitAbs || !trigger) return;
  if (view.orderType === 'trailing-stop-limit' && view.limitPrice && view.limitPrice.type !== 'static') {
    const prospective = roundToTick(
      applyOffset(trigger, view.limitPrice.value, view.limitPrice.type),
      order.pair,
    );
    order.reservePrice = prospective.gt(trigger) ? prospective : trigger;
    return;
  }
  order.reservePrice = trigger;
}

/** Public trades on a pair: moves trailing stops and triggers what the price reached. */
export function onPublicTrades(state: EngineState, symbol: string, trades: readonly PublicTrade[]): void {
  const watched = state.watching.get(symbol);
  if (!watched || watched.size === 0) return;
  for (const trade of trades) {
    for (const order of [...watched]) evaluate(state, order, trade.price);
  }
}

/** At activation: the last price may already be past the trigger. */
export function checkTriggerNow(state: EngineState, order: EngineOrder): void {
  const last = state.market.lastPrice(order.view.symbol);
  if (last) evaluate(state, order, last);
}

function evaluate(state: EngineState, order: EngineOrder, last: Big): void {
  const { view } = order;
  const trigger = view.trigger;
  if (!trigger || trigger.triggered || !isOpenStatus(view.status)) {
    unwatchTrigger(state, order);
    return;
  }
  if (isTrailingType(view.orderType) && trigger.type !== 'static') {
    const peak = trigger.peakPrice;
    const better = !peak || (view.side === 'sell' ? last.gt(peak) : last.lt(peak));
    if (better) {
      trigger.peakPrice = last;
      const moved = trailingTrigger(view.side, last, trigger.price, trigger.type, order.pair);
      if (!trigger.actualPrice || !moved.eq(trigger.actualPrice)) {
        trigger.actualPrice = moved;
        updateReservePrice(order);
        state.refreshHold(order);
        state.emitExecution(order, 'status');
      }
    }
  }
  if (triggerReached(order, last)) fire(state, order, last);
}

function fire(state: EngineState, order: EngineOrder, last: Big): void {
  const trigger = order.view.trigger!;
  unwatchTrigger(state, order);
  trigger.triggered = true;
  trigger.triggeredAt = state.now();
  trigger.lastPrice = last;
  state.emitExecution(order, 'status');
  // After the matching that moved the price completes: never inside executeTaker.
  state.queue.push(() => runTriggered(state, order));
}

/** A triggered order becomes a market or limit order and executes. */
function runTriggered(state: EngineState, order: EngineOrder): void {
  const { view } = order;
  if (!isOpenStatus(view.status)) return;
  if (!executesAtMarket(view.orderType) && !order.limitAbs) {
    const trigger = view.trigger?.actualPrice;
    const spec = view.limitPrice;
    if (!trigger || !spec) {
      state.context.reportError(new Error(`triggered ${view.id} without trigger or limit`));
      return;
    }
    const limit = roundToTick(
      applyOffset(trigger, spec.value, spec.type === 'static' ? 'quote' : spec.type),
      order.pair,
    );
    if (limit.lte('0')) {
      closeOrder(state, order, 'canceled', closeReasons.insufficientLiquidity);
      return;
    }
    order.limitAbs = limit;
    const account = state.accounts.get(view.accountId)!;
    const needed = state.reservationOf(order).amount;
    if (needed.gt(account.available(order.holdAsset).plus(order.hold))) {
      closeOrder(state, order, 'canceled', closeReasons.insufficientFunds);
      return;
    }
    state.refreshHold(order);
  }
  execute(state, order);
}
