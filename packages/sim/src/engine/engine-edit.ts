import { zero } from '../sim-decimal.js';
import { krakenErrors } from '../sim-errors.js';
import type { CommandResult, EditRequest, OrderRequest, SimOrder, Via } from '../sim-types.js';
import type { EngineAccount } from './engine-account.js';
import { fail, ok, pairAndDeadline, preamble } from './engine-command.js';
import { invalidField } from './engine-fields.js';
import { closeOrder } from './engine-lifecycle.js';
import { type EngineOrder, hasLimitPrice, snapshotOrder } from './engine-order.js';
import { placeOrder } from './engine-placement.js';
import { agePenalty, fixedCosts } from './engine-rate-counter.js';
import { closeReasons } from './engine-reasons.js';
import type { EngineState } from './engine-state.js';

/** The order EditOrder names: an open order id, or a userref (decimal text) unique among open orders. */
function findEditable(account: EngineAccount, idOrUserref: string): EngineOrder | 'ambiguous' | undefined {
  const byId = account.open.get(idOrUserref);
  if (byId) return byId;
  if (!/^-?\d{1,10}$/.test(idOrUserref)) return undefined;
  const userref = Number(idOrUserref);
  const matches = [...account.open.values()].filter((order) => order.view.userref === userref);
  if (matches.length > 1) return 'ambiguous';
  return matches[0];
}

/**
 * The replacement order's request. Its quantity is what is left to trade: the new total
 * (or the original's) minus what the original already executed — fills stay on the
 * original, as Kraken says, so the pair of orders never trades more than asked. Not kept:
 * the old userref (a new one may be given), the cl_ord_id (such orders cannot be edited).
 */
function replacementRequest(order: EngineOrder, request: EditRequest): OrderRequest | undefined {
  const { view } = order;
  const total = request.qty ?? view.qty;
  if (total.lte(view.filledQty)) return undefined;
  const trigger = view.trigger;
  return {
    symbol: view.symbol,
    side: view.side,
    orderType: view.orderType,
    qty: total.minus(view.filledQty),
    timeInForce: view.timeInForce,
    postOnly: request.postOnly ?? view.postOnly,
    reduceOnly: false,
    margin: false,
    stpType: view.stpType,
    feePreference: view.feePreference,
    validate: request.validate,
    ...(request.userref !== undefined ? { userref: request.userref } : {}),
    ...(request.limitPrice
      ? { limitPrice: request.limitPrice }
      : view.limitPrice
        ? { limitPrice: view.limitPrice }
        : {}),
    ...(trigger
      ? {
          trigger: {
            reference: trigger.reference,
            price: request.triggerPrice?.value ?? trigger.price,
            type: request.triggerPrice?.type ?? trigger.type,
          },
        }
      : {}),
    ...(view.orderType === 'iceberg' ? { displayQty: request.displayQty ?? view.displayQty! } : {}),
    ...(view.expireAt !== undefined ? { expireTime: view.expireAt } : {}),
  };
}

/**
 * EditOrder / edit_order (legacy cancel-and-replace): a new order id, queue priority lost.
 * Not for cl_ord_id orders, triggered orders or orders with a conditional close
 * (`EOrder:Invalid order`). Costs +1 plus the edit age penalty. Funds are checked with the
 * original's hold released, before anything changes: a refused edit leaves the original.
 */
export function editOrder(
  state: EngineState,
  accountId: string,
  request: EditRequest,
  via: Via,
): CommandResult<{ order: SimOrder; original: SimOrder }> {
  return state.queue.command(() => {
    const account = state.account(accountId);
    const found = account ? findEditable(account, request.orderId) : undefined;
    const target = found === 'ambiguous' ? undefined : found;
    const postOnly = request.postOnly ?? target?.view.postOnly ?? false;
    const gate = {
      postOnlyLimit: postOnly && target !== undefined && hasLimitPrice(target.view.orderType),
      limitPrice: target !== undefined && hasLimitPrice(target.view.orderType),
    };
    const start = preamble(state, accountId, 'edit', undefined, gate);
    if (!start.ok) return fail(start.error);
    if (found === 'ambiguous') return fail(invalidField('orderId', via));
    if (!target) return fail(krakenErrors.unknownOrder);
    const { view, pair } = target;
    if (request.symbol !== view.symbol) return fail(invalidField('symbol', via));
    const penalty = agePenalty('edit', state.now() - view.ageFrom);
    const exceeded = state.rates.wouldExceed(
      start.account.id,
      pair.symbol,
      start.account.tier,
      fixedCosts.edit + penalty,
    );
    state.rates.add(start.account.id, pair.symbol, start.account.tier, fixedCosts.edit);
    if (exceeded) {
      state.context.stats.count('engine.trading_rate_limited');
      return fail(krakenErrors.tradingRateLimit);
    }
    const refused = pairAndDeadline(state, pair, 'edit', gate, request.deadline);
    if (refused) return fail(refused);
    if (view.clOrdId !== undefined || view.conditional || view.trigger?.triggered)
      return fail(krakenErrors.invalidOrder);
    const replacement = replacementRequest(target, request);
    if (!replacement) return fail(invalidField('qty', via));

    // Validate (funds included) as if the original's hold were already released.
    const heldBefore = target.hold;
    start.account.changeHold(target.holdAsset, heldBefore, zero);
    const checked = placeOrder(state, start.account, pair, { ...replacement, validate: true }, via, {
      validateOnly: true,
    });
    start.account.changeHold(target.holdAsset, zero, heldBefore);
    if (!checked.ok) return fail(checked.error);
    if (request.validate) return ok({ order: checked.value, original: snapshotOrder(view) });

    state.rates.add(start.account.id, pair.symbol, start.account.tier, penalty);
    closeOrder(state, target, 'canceled', closeReasons.replaced);
    const placed = placeOrder(state, start.account, pair, { ...replacement, validate: false }, via, {
      validateOnly: false,
    });
    if (!placed.ok) {
      state.context.reportError(
        new Error(`edit of ${view.id}: replacement failed after validation: ${placed.error}`),
      );
      return fail(placed.error);
    }
    return ok({ order: placed.value, original: snapshotOrder(view) });
  });
}
