import { type Big, minBig } from '../sim-decimal.js';
import type { SimOrderBook, TakerSpec } from '../sim-modules.js';
import type { Side, StpType } from '../sim-types.js';
import { applyFill } from './engine-fills.js';
import { closeOrder, finishFilled, watchTrigger } from './engine-lifecycle.js';
import { type EngineOrder, isOpenStatus, isTriggerType, remainingOf } from './engine-order.js';
import { closeReasons } from './engine-reasons.js';
import type { EngineState } from './engine-state.js';
import { checkTriggerNow } from './engine-triggers.js';

/** Levels looked at to price a market order. */
const marketDepth = 1000;

const stpModes: Readonly<Record<StpType, 'cancel-newest' | 'cancel-oldest' | 'cancel-both'>> = {
  cancel_newest: 'cancel-newest',
  cancel_oldest: 'cancel-oldest',
  cancel_both: 'cancel-both',
};

/** Order types that execute at market once live (or once triggered). */
export function executesAtMarket(orderType: EngineOrder['view']['orderType']): boolean {
  return (
    orderType === 'market' ||
    orderType === 'stop-loss' ||
    orderType === 'take-profit' ||
    orderType === 'trailing-stop'
  );
}

/**
 * The worst price a market order of `qty` reaches walking the opposite side now; the
 * engine passes it as the taker's price limit so the fills stay within the hold (the
 * sim's market price protection). Undefined when that side is empty.
 */
export function worstPriceFor(book: SimOrderBook, side: Side, qty: Big): Big | undefined {
  // Most market orders are covered by the first levels: look deeper only when needed.
  for (const depth of [16, marketDepth]) {
    const levels = book.levels(side === 'buy' ? 'asks' : 'bids', depth);
    let left = qty;
    let worst: Big | undefined;
    for (const level of levels) {
      worst = level.price;
      left = left.minus(level.qty);
      if (left.lte('0')) return worst;
    }
    if (levels.length < depth) return worst;
    if (depth === marketDepth) return worst;
  }
  return undefined;
}

/** The order goes live: `new`, then watching its trigger or executing. */
export function activate(state: EngineState, order: EngineOrder): void {
  const { view } = order;
  if (view.status !== 'pending') return;
  view.status = 'open';
  state.emitExecution(order, 'new');
  if (isTriggerType(view.orderType) && !view.trigger?.triggered) {
    watchTrigger(state, order);
    checkTriggerNow(state, order);
    return;
  }
  execute(state, order);
}

/**
 * Executes a live order (limit, market, or triggered). While the system status stops
 * matching, an order that would take liquidity waits in the work queue; one that would
 * only rest goes to the book.
 */
export function execute(state: EngineState, order: EngineOrder): void {
  if (!isOpenStatus(order.view.status)) return;
  if (!state.context.status.matching) {
    const { view } = order;
    const crosses =
      order.limitAbs !== undefined && state.market.book(view.symbol).wouldCross(view.side, order.limitAbs);
    // A post-only order is judged now (`post_only` mode accepts exactly these).
    if (view.postOnly && crosses) {
      closeOrder(state, order, 'canceled', closeReasons.postOnly);
      return;
    }
    const restable =
      !executesAtMarket(view.orderType) &&
      order.limitAbs !== undefined &&
      view.timeInForce !== 'ioc' &&
      view.timeInForce !== 'fok' &&
      !crosses;
    if (restable) rest(state, order);
    else state.queue.push(() => execute(state, order));
    return;
  }
  if (executesAtMarket(order.view.orderType)) executeMarket(state, order);
  else executeLimit(state, order);
}

function executeMarket(state: EngineState, order: EngineOrder): void {
  const { view } = order;
  const account = state.accounts.get(view.accountId)!;
  const book = state.market.book(view.symbol);
  let limitPrice: Big | undefined;
  if (view.side === 'buy' && !view.cashQty) {
    limitPrice = worstPriceFor(book, 'buy', remainingOf(view));
    if (limitPrice) {
      // The hold follows the price the order can reach now; short of funds → cancelled.
      const previous = order.reservePrice;
      order.reservePrice = limitPrice;
      const needed = state.reservationOf(order).amount;
      if (needed.gt(account.available(order.holdAsset).plus(order.hold))) {
        order.reservePrice = previous;
        closeOrder(state, order, 'canceled', closeReasons.insufficientFunds);
        return;
      }
      state.refreshHold(order);
    }
  }
  const stopped = take(state, order, {
    ...(view.cashQty ? { cashQty: view.cashQty } : { qty: remainingOf(view) }),
    ...(limitPrice ? { limitPrice } : {}),
    orderType: 'market',
  });
  if (!isOpenStatus(view.status)) return;
  if (view.cashQty && view.filledQty.gt('0') && cashSpent(order)) {
    closeFilledCashOrder(state, order);
    return;
  }
  closeOrder(state, order, 'canceled', stopped ? closeReasons.selfTrade : closeReasons.insufficientLiquidity);
}

/** A cash-sized market buy spent its quote (what is left buys less than one quantity increment). */
function cashSpent(order: EngineOrder): boolean {
  const { view, pair } = order;
  if (!view.cashQty) return false;
  const left = view.cashQty.minus(view.filledCost);
  const last = view.avgPrice;
  return left.lte(last.times(pair.qtyIncrement).times('2'));
}

function closeFilledCashOrder(state: EngineState, order: EngineOrder): void {
  // qty already follows the executed quantity (applyFill): the order is complete.
  order.view.qty = order.view.filledQty;
  finishFilled(state, order);
}

function executeLimit(state: EngineState, order: EngineOrder): void {
  const { view } = order;
  const price = order.limitAbs;
  if (!price) {
    state.context.reportError(new Error(`limit order ${view.id} without a limit price`));
    closeOrder(state, order, 'canceled', closeReasons.insufficientLiquidity);
    return;
  }
  const book = state.market.book(view.symbol);
  if (view.postOnly && book.wouldCross(view.side, price)) {
    closeOrder(state, order, 'canceled', closeReasons.postOnly);
    return;
  }
  if (
    view.timeInForce === 'fok' &&
    book.availableQty(view.side, price, view.accountId).lt(remainingOf(view))
  ) {
    closeOrder(state, order, 'canceled', closeReasons.fillOrKill);
    return;
  }
  let stopped = false;
  if (book.wouldCross(view.side, price)) {
    stopped = take(state, order, { qty: remainingOf(view), limitPrice: price, orderType: 'limit' });
  }
  if (!isOpenStatus(view.status)) return;
  if (stopped) closeOrder(state, order, 'canceled', closeReasons.selfTrade);
  else if (view.timeInForce === 'ioc' || view.timeInForce === 'fok')
    closeOrder(state, order, 'canceled', closeReasons.immediateOrCancel);
  else rest(state, order);
}

/**
 * Takes liquidity for the order (one `executeTaker` call, never re-entered: triggers it
 * causes wait in the work queue). Books the taker's fills, then cancels the resting
 * orders self-trade prevention removed. Returns whether STP stopped the taker.
 */
export function take(
  state: EngineState,
  order: EngineOrder,
  spec: Pick<TakerSpec, 'qty' | 'cashQty' | 'limitPrice' | 'orderType'>,
): boolean {
  const { view } = order;
  state.takerDepth += 1;
  let result: ReturnType<typeof state.market.executeTaker>;
  try {
    result = state.market.executeTaker({
      symbol: view.symbol,
      side: view.side,
      accountId: view.accountId,
      ...spec,
      onSelfTrade: () => stpModes[view.stpType],
    });
  } finally {
    state.takerDepth -= 1;
  }
  for (const fill of result.fills) {
    if (!isOpenStatus(view.status)) {
      state.context.reportError(new Error(`taker fill for closed order ${view.id}`));
      break;
    }
    applyFill(state, order, fill, 't', fill.makerAccountId === undefined);
  }
  for (const makerId of result.cancelledMakerOrderIds) {
    const maker = state.orders.get(makerId);
    if (!maker) continue;
    maker.resting = false;
    closeOrder(state, maker, 'canceled', closeReasons.selfTrade);
  }
  return result.stoppedBySelfTrade;
}

/** Puts the order's rest in the book (icebergs show their display quantity). */
export function rest(state: EngineState, order: EngineOrder): void {
  const { view } = order;
  const remaining = remainingOf(view);
  const display = view.displayQty ? minBig(view.displayQty, remaining) : undefined;
  state.market.rest(view.symbol, {
    orderId: view.id,
    accountId: view.accountId,
    side: view.side,
    price: order.limitAbs!,
    qty: remaining,
    ...(display ? { displayQty: display } : {}),
  });
  order.resting = true;
  order.displayRemain = display;
}
