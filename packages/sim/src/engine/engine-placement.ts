import { zero } from '../sim-decimal.js';
import { krakenErrors } from '../sim-errors.js';
import type { SimPair } from '../sim-pairs.js';
import type { CommandResult, OrderRequest, SimOrder, Via } from '../sim-types.js';
import type { EngineAccount } from './engine-account.js';
import { chargeFixed, fail, ok, pairAndDeadline, preamble, referencePrice } from './engine-command.js';
import { activate, worstPriceFor } from './engine-execution.js';
import { feeAsset } from './engine-fees.js';
import { invalidField } from './engine-fields.js';
import type { GatedOrder } from './engine-gate.js';
import { scheduleExpiry } from './engine-lifecycle.js';
import { type EngineOrder, hasLimitPrice, snapshotOrder } from './engine-order.js';
import { batchAddCost, fixedCosts, tierLimits } from './engine-rate-counter.js';
import type { EngineState } from './engine-state.js';
import { scheduleAt } from './engine-timers.js';
import { updateReservePrice } from './engine-triggers.js';
import { type ResolvedOrder, validateOrderRequest } from './engine-validation.js';

/** Batch size Kraken accepts (PROTOCOL §3.3 / §10.8). */
export const batchSize = { min: 2, max: 15 } as const;

export function gatedOrder(request: OrderRequest): GatedOrder {
  const limitPrice = hasLimitPrice(request.orderType);
  return { limitPrice, postOnlyLimit: limitPrice && request.postOnly };
}

function buildOrder(
  state: EngineState,
  account: EngineAccount,
  pair: SimPair,
  request: OrderRequest,
  resolved: ResolvedOrder,
  via: Via,
  id: string,
): EngineOrder {
  const now = state.now();
  const view: SimOrder = {
    id,
    accountId: account.id,
    symbol: pair.symbol,
    side: request.side,
    orderType: request.orderType,
    qty: resolved.qty,
    filledQty: zero,
    filledCost: zero,
    fees: zero,
    feeAsset: feeAsset(pair, resolved.feePreference),
    avgPrice: zero,
    timeInForce: request.timeInForce,
    postOnly: request.postOnly,
    reduceOnly: false,
    margin: false,
    stpType: request.stpType,
    feePreference: resolved.feePreference,
    status: 'pending',
    amended: false,
    openedAt: now,
    ageFrom: now,
    tradeIds: [],
    via,
    ...(request.clOrdId !== undefined ? { clOrdId: request.clOrdId } : {}),
    ...(request.userref !== undefined ? { userref: request.userref } : {}),
    ...(resolved.cashQty ? { cashQty: resolved.cashQty } : {}),
    ...(resolved.limitPrice ? { limitPrice: resolved.limitPrice } : {}),
    ...(resolved.trigger ? { trigger: resolved.trigger } : {}),
    ...(resolved.displayQty ? { displayQty: resolved.displayQty } : {}),
    ...(request.conditional ? { conditional: request.conditional } : {}),
    ...(resolved.startAt !== undefined ? { startAt: resolved.startAt } : {}),
    ...(resolved.expireAt !== undefined ? { expireAt: resolved.expireAt } : {}),
  };
  const order: EngineOrder = {
    view,
    pair,
    limitAbs: resolved.limitAbs,
    reservePrice: undefined,
    hold: zero,
    holdAsset: request.side === 'buy' ? pair.quote : pair.base,
    quoteSettled: zero,
    feeExact: zero,
    displayRemain: undefined,
    resting: false,
    timers: [],
    versions: [],
    amends: [],
  };
  if (request.orderType === 'market' && request.side === 'buy' && !resolved.cashQty) {
    order.reservePrice =
      worstPriceFor(state.market.book(pair.symbol), 'buy', resolved.qty) ?? referencePrice(state, pair);
  }
  updateReservePrice(order);
  return order;
}

/**
 * Validates and places one order for an account whose command preamble (status, rate
 * counter, deadline) already passed: limits, cl_ord_id uniqueness, funds; then
 * `pending_new`, the hold, expiry, and activation now or at `effectiveTime`.
 */
export function placeOrder(
  state: EngineState,
  account: EngineAccount,
  pair: SimPair,
  request: OrderRequest,
  via: Via,
  options: { validateOnly: boolean },
): CommandResult<SimOrder> {
  const { catalog, limits } = state.context;
  const resolved = validateOrderRequest(request, {
    pair,
    base: catalog.asset(pair.base)!,
    quote: catalog.asset(pair.quote)!,
    now: state.now(),
    reference: referencePrice(state, pair),
    via,
  });
  if (!resolved.ok) return fail(resolved.error);
  if (limits.tradingCounter && account.openOn(pair.symbol) >= tierLimits[account.tier].maxOpenOrders) {
    return fail(krakenErrors.ordersLimit);
  }
  if (request.clOrdId !== undefined) {
    for (const open of account.open.values()) {
      if (open.view.clOrdId === request.clOrdId) return fail(krakenErrors.duplicateClOrdId);
    }
  }
  const order = buildOrder(
    state,
    account,
    pair,
    request,
    resolved.value,
    via,
    options.validateOnly ? '' : state.nextOrderId(),
  );
  const reservation = state.reservationOf(order);
  order.holdAsset = reservation.asset;
  if (reservation.amount.gt(account.available(reservation.asset)))
    return fail(krakenErrors.insufficientFunds);
  if (options.validateOnly) return ok(snapshotOrder(order.view));

  state.orders.set(order.view.id, order);
  account.orders.set(order.view.id, order);
  account.addOpen(order);
  order.amends.push({
    amendId: order.view.id,
    kind: 'original',
    qty: order.view.qty,
    remaining: order.view.qty,
    postOnly: order.view.postOnly,
    time: order.view.openedAt,
    ...(order.view.displayQty ? { displayQty: order.view.displayQty } : {}),
    ...(order.limitAbs ? { limitPrice: order.limitAbs } : {}),
    ...(order.view.trigger?.actualPrice ? { triggerPrice: order.view.trigger.actualPrice } : {}),
  });
  state.refreshHold(order);
  state.emitExecution(order, 'pending_new');
  scheduleExpiry(state, order);
  const startAt = order.view.startAt;
  if (startAt !== undefined) {
    order.timers.push(
      scheduleAt(state.context.clock, startAt, () => state.queue.command(() => activate(state, order))),
    );
  } else {
    activate(state, order);
  }
  return ok(snapshotOrder(order.view));
}

/** AddOrder / add_order. */
export function addOrder(
  state: EngineState,
  accountId: string,
  request: OrderRequest,
  via: Via,
): CommandResult<SimOrder> {
  return state.queue.command(() => {
    const gated = gatedOrder(request);
    const start = preamble(state, accountId, 'add', request.symbol, gated);
    if (!start.ok) return fail(start.error);
    const { account } = start;
    const pair = start.pair!;
    const refused =
      chargeFixed(state, account, pair.symbol, fixedCosts.add) ??
      pairAndDeadline(state, pair, 'add', gated, request.deadline);
    if (refused) return fail(refused);
    return placeOrder(state, account, pair, request, via, { validateOnly: request.validate });
  });
}

/**
 * AddOrderBatch / batch_add: one pair, 2–15 orders, validated as a whole (one invalid
 * order refuses the batch), then placed one by one — each may still fail on its own
 * (funds, limits, duplicate cl_ord_id). Costs n/2 on the pair's counter.
 */
export function batchAdd(
  state: EngineState,
  accountId: string,
  symbol: string,
  requests: readonly OrderRequest[],
  options: { validate: boolean; deadline?: number },
  via: Via,
): CommandResult<CommandResult<SimOrder>[]> {
  return state.queue.command(() => {
    const gates = requests.map(gatedOrder);
    const allPostOnly = gates.every((gate) => gate.postOnlyLimit);
    const start = preamble(state, accountId, 'add', symbol, {
      postOnlyLimit: allPostOnly,
      limitPrice: gates.every((gate) => gate.limitPrice),
    });
    if (!start.ok) return fail(start.error);
    const { account } = start;
    const pair = start.pair!;
    if (requests.length < batchSize.min || requests.length > batchSize.max)
      return fail(invalidField('orders', via));
    if (requests.some((request) => request.symbol !== pair.symbol)) return fail(invalidField('symbol', via));
    const refused =
      chargeFixed(state, account, pair.symbol, batchAddCost(requests.length)) ??
      gates.map((gate) => pairAndDeadline(state, pair, 'add', gate, options.deadline)).find(Boolean);
    if (refused) return fail(refused);
    // The whole batch is validated first.
    for (const request of requests) {
      const checked = placeOrder(state, account, pair, request, via, { validateOnly: true });
      if (!checked.ok && !isSubmissionError(checked.error)) return fail(checked.error);
    }
    if (options.validate) {
      return ok(
        requests.map((request) => placeOrder(state, account, pair, request, via, { validateOnly: true })),
      );
    }
    return ok(
      requests.map((request) => placeOrder(state, account, pair, request, via, { validateOnly: false })),
    );
  });
}

/** Errors an individual batch order can still get at engine submission (the rest proceed). */
function isSubmissionError(error: string): boolean {
  return (
    error === krakenErrors.insufficientFunds ||
    error === krakenErrors.ordersLimit ||
    error === krakenErrors.duplicateClOrdId
  );
}
