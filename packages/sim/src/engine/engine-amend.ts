import { type Big, Decimal, minBig } from '../sim-decimal.js';
import { krakenErrors } from '../sim-errors.js';
import type { AmendRequest, CommandResult, PriceSpec, SimOrder, Via } from '../sim-types.js';
import type { EngineAccount } from './engine-account.js';
import { fail, ok, pairAndDeadline, preamble, referencePrice } from './engine-command.js';
import { rest, take } from './engine-execution.js';
import { invalidField } from './engine-fields.js';
import { closeOrder } from './engine-lifecycle.js';
import {
  type EngineOrder,
  hasLimitPrice,
  isOpenStatus,
  isTrailingType,
  isTriggerType,
  remainingOf,
  snapshotOrder,
} from './engine-order.js';
import { checkQuoteOffset, resolvePrice, trailingTrigger } from './engine-prices.js';
import { agePenalty, fixedCosts } from './engine-rate-counter.js';
import { closeReasons } from './engine-reasons.js';
import type { EngineState } from './engine-state.js';
import { checkTriggerNow, updateReservePrice } from './engine-triggers.js';
import { checkQty } from './engine-validation.js';

/** Finds an open order by id or cl_ord_id. */
export function findOpen(
  account: EngineAccount,
  orderId: string | undefined,
  clOrdId: string | undefined,
): EngineOrder | undefined {
  if (orderId !== undefined) return account.open.get(orderId);
  for (const order of account.open.values()) if (order.view.clOrdId === clOrdId) return order;
  return undefined;
}

interface Changes {
  qty: Big;
  displayQty: Big | undefined;
  limitPrice: PriceSpec | undefined;
  limitAbs: Big | undefined;
  trigger: SimOrder['trigger'];
}

/** The order's values after the amend, validated; or the error. */
function resolveChanges(
  state: EngineState,
  order: EngineOrder,
  request: AmendRequest,
  via: Via,
): { ok: true; changes: Changes } | { ok: false; error: string } {
  const { view, pair } = order;
  const failWith = (error: string) => ({ ok: false as const, error });
  if (request.qty === undefined && !request.displayQty && !request.limitPrice && !request.triggerPrice) {
    return failWith(invalidField('qty', via));
  }
  if (request.qty !== undefined && !checkQty(request.qty, pair)) return failWith(invalidField('qty', via));
  const changes: Changes = {
    qty: request.qty ?? view.qty,
    displayQty: view.displayQty,
    limitPrice: view.limitPrice,
    limitAbs: order.limitAbs,
    trigger: view.trigger ? { ...view.trigger } : undefined,
  };
  if (request.displayQty) {
    if (view.orderType !== 'iceberg' || !checkQty(request.displayQty, pair))
      return failWith(invalidField('displayQty', via));
    changes.displayQty = request.displayQty;
  }
  const reference = referencePrice(state, pair);
  if (request.limitPrice) {
    if (!hasLimitPrice(view.orderType)) return failWith(invalidField('limitPrice', via));
    const spec = request.limitPrice;
    if (view.orderType === 'trailing-stop-limit' && spec.type !== 'static' && !view.trigger?.triggered) {
      if (spec.type === 'quote' && checkQuoteOffset(spec.value, pair))
        return failWith(invalidField('limitPrice', via));
      changes.limitPrice = spec;
      changes.limitAbs = undefined;
    } else {
      const resolved = resolvePrice(spec, reference, pair);
      if (!resolved.ok) {
        return failWith(
          resolved.problem === 'decimals'
            ? invalidField('limitPrice', via)
            : resolved.problem === 'tick'
              ? krakenErrors.tickSize
              : krakenErrors.invalidPrice,
        );
      }
      changes.limitPrice = { value: resolved.price, type: 'static' };
      changes.limitAbs = resolved.price;
    }
  }
  if (request.triggerPrice) {
    const trigger = changes.trigger;
    if (!isTriggerType(view.orderType) || !trigger || trigger.triggered)
      return failWith(invalidField('amendTriggerPrice', via));
    const spec = request.triggerPrice;
    if (isTrailingType(view.orderType)) {
      if (spec.type === 'static' || spec.value.lte('0'))
        return failWith(invalidField('amendTriggerPrice', via));
      if (spec.type === 'quote' && checkQuoteOffset(spec.value, pair))
        return failWith(invalidField('amendTriggerPrice', via));
      const peak = trigger.peakPrice ?? reference;
      if (!peak) return failWith(krakenErrors.invalidPrice);
      trigger.price = spec.value;
      trigger.type = spec.type;
      trigger.actualPrice = trailingTrigger(view.side, peak, spec.value, spec.type, pair);
    } else {
      const resolved = resolvePrice(spec, reference, pair);
      if (!resolved.ok) {
        return failWith(
          resolved.problem === 'decimals'
            ? invalidField('amendTriggerPrice', via)
            : resolved.problem === 'tick'
              ? krakenErrors.tickSize
              : krakenErrors.invalidPrice,
        );
      }
      trigger.price = spec.value;
      trigger.type = spec.type;
      trigger.actualPrice = resolved.price;
    }
  }
  const newQty = request.qty;
  if (newQty?.gt(view.filledQty) && newQty.lt(new Decimal(pair.qtyMin))) {
    return failWith(krakenErrors.orderMinimum);
  }
  if (changes.displayQty && changes.qty.gt(view.filledQty)) {
    const remaining = changes.qty.minus(view.filledQty);
    if (changes.displayQty.times('15').lt(remaining)) return failWith(invalidField('displayQty', via));
  }
  return { ok: true, changes };
}

/** Applies changes to the order's fields; returns a function that restores the previous ones. */
function applyChanges(order: EngineOrder, changes: Changes): () => void {
  const { view } = order;
  const saved = {
    qty: view.qty,
    displayQty: view.displayQty,
    limitPrice: view.limitPrice,
    trigger: view.trigger,
    limitAbs: order.limitAbs,
    reservePrice: order.reservePrice,
  };
  const assign = (values: typeof saved) => {
    view.qty = values.qty;
    if (values.displayQty) view.displayQty = values.displayQty;
    if (values.limitPrice) view.limitPrice = values.limitPrice;
    if (values.trigger) view.trigger = values.trigger;
    order.limitAbs = values.limitAbs;
    order.reservePrice = values.reservePrice;
  };
  assign({ ...saved, ...changes, reservePrice: order.reservePrice });
  updateReservePrice(order);
  return () => assign(saved);
}

/**
 * AmendOrder / amend_order: in place, same order id. Costs +1 plus the age penalty
 * (age from creation or the last amend, which resets it). Quantity at or below the filled
 * quantity cancels the rest. A post-only amend (or one of a post-only order) to a price
 * that would take liquidity is refused; without post-only it takes, then rests. Same price
 * and lower quantity keep queue priority (the market decides), anything else loses it.
 */
export function amendOrder(
  state: EngineState,
  accountId: string,
  request: AmendRequest,
  via: Via,
): CommandResult<{ amendId: string; order: SimOrder }> {
  return state.queue.command(() => {
    const account = state.account(accountId);
    const byId = request.orderId !== undefined;
    if (account && byId === (request.clOrdId !== undefined)) return fail(invalidField('orderId', via));
    const order = account ? findOpen(account, request.orderId, request.clOrdId) : undefined;
    const postOnly = request.postOnly === true || order?.view.postOnly === true;
    const gate = {
      postOnlyLimit: postOnly && order !== undefined && hasLimitPrice(order.view.orderType),
      limitPrice: true,
    };
    const start = preamble(state, accountId, 'amend', undefined, gate);
    if (!start.ok) return fail(start.error);
    if (!order) return fail(krakenErrors.unknownOrder);
    const { view, pair } = order;
    const penalty = agePenalty('amend', state.now() - view.ageFrom);
    const exceeded = state.rates.wouldExceed(
      account!.id,
      pair.symbol,
      account!.tier,
      fixedCosts.amend + penalty,
    );
    state.rates.add(account!.id, pair.symbol, account!.tier, fixedCosts.amend);
    if (exceeded) {
      state.context.stats.count('engine.trading_rate_limited');
      return fail(krakenErrors.tradingRateLimit);
    }
    const refused = pairAndDeadline(state, pair, 'amend', gate, request.deadline);
    if (refused) return fail(refused);
    const resolved = resolveChanges(state, order, request, via);
    if (!resolved.ok) return fail(resolved.error);
    const { changes } = resolved;

    const amendId = state.nextTradeId();
    if (changes.qty.lte(view.filledQty)) {
      state.rates.add(account!.id, pair.symbol, account!.tier, penalty);
      closeOrder(state, order, 'canceled', closeReasons.userRequested);
      return ok({ amendId, order: snapshotOrder(view) });
    }
    const book = state.market.book(view.symbol);
    const priceChanged =
      changes.limitAbs !== undefined && (!order.limitAbs || !changes.limitAbs.eq(order.limitAbs));
    const live =
      view.status === 'open' && (!isTriggerType(view.orderType) || view.trigger?.triggered === true);
    const crosses = live && priceChanged && book.wouldCross(view.side, changes.limitAbs!);
    if (crosses && (postOnly || !state.context.status.matching)) return fail(krakenErrors.postOnlyCross);

    const restore = applyChanges(order, changes);
    const needed = state.reservationOf(order).amount;
    if (needed.gt(account!.available(order.holdAsset).plus(order.hold))) {
      restore();
      return fail(krakenErrors.insufficientFunds);
    }
    state.rates.add(account!.id, pair.symbol, account!.tier, penalty);
    view.amended = true;
    view.ageFrom = state.now();
    state.refreshHold(order);
    const remaining = remainingOf(view);
    order.amends.push({
      amendId,
      kind: 'user',
      qty: view.qty,
      remaining,
      postOnly: view.postOnly,
      time: state.now(),
      ...(view.displayQty ? { displayQty: view.displayQty } : {}),
      ...(order.limitAbs ? { limitPrice: order.limitAbs } : {}),
      ...(view.trigger?.actualPrice ? { triggerPrice: view.trigger.actualPrice } : {}),
    });

    if (order.resting && crosses) {
      state.market.removeResting(view.symbol, view.id);
      order.resting = false;
      state.emitExecution(order, 'amended', { amendId, reason: closeReasons.userRequested });
      const stopped = take(state, order, { qty: remaining, limitPrice: order.limitAbs!, orderType: 'limit' });
      if (isOpenStatus(view.status)) {
        if (stopped) closeOrder(state, order, 'canceled', closeReasons.selfTrade);
        else rest(state, order);
      }
    } else {
      if (order.resting) {
        const display = view.displayQty ? minBig(view.displayQty, remaining) : undefined;
        state.market.amendResting(view.symbol, view.id, {
          qty: remaining,
          ...(priceChanged ? { price: order.limitAbs! } : {}),
          ...(display ? { displayQty: display } : {}),
        });
        order.displayRemain = display;
      }
      state.emitExecution(order, 'amended', { amendId, reason: closeReasons.userRequested });
      if (request.triggerPrice && view.status === 'open') checkTriggerNow(state, order);
    }
    return ok({ amendId, order: snapshotOrder(view) });
  });
}
