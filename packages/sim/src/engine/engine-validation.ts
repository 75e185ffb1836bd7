import { type Big, Decimal, fitsPlaces } from '../sim-decimal.js';
import { krakenErrors } from '../sim-errors.js';
import type { SimAsset, SimPair } from '../sim-pairs.js';
import type { OrderRequest, OrderType, PriceSpec, SimOrder, Via } from '../sim-types.js';
import { isValidClOrdId, isValidUserref } from './engine-cl-ord-id.js';
import { defaultFeePreference } from './engine-fees.js';
import { type EngineField, invalidField } from './engine-fields.js';
import { hasLimitPrice, isTrailingType, isTriggerType } from './engine-order.js';
import { checkQuoteOffset, type PriceProblem, resolvePrice, trailingTrigger } from './engine-prices.js';

/** Longest GTD / scheduled horizon Kraken accepts ("at most one month ahead"). */
export const maxHorizonMs = 31 * 24 * 3_600_000;

/** Conditional-close order types (PROTOCOL §3.3 / §10.2). */
const conditionalTypes = new Set<OrderType>([
  'limit',
  'iceberg',
  'stop-loss',
  'stop-loss-limit',
  'take-profit',
  'take-profit-limit',
  'trailing-stop',
  'trailing-stop-limit',
]);

export interface ValidationEnv {
  pair: SimPair;
  base: SimAsset;
  quote: SimAsset;
  /** Server time, epoch ms. */
  now: number;
  /** Reference for relative prices and market-order cost checks: last trade price (or mid). */
  reference: Big | undefined;
  via: Via;
}

/** A request that passed validation, with everything the engine computes from it. */
export interface ResolvedOrder {
  /** Base quantity; zero for market buys sized by `cashQty` until they execute. */
  qty: Big;
  cashQty?: Big;
  /** The limit price as the order keeps it: absolute, except trailing-stop-limit offsets. */
  limitPrice?: PriceSpec;
  /** Absolute limit price when known now. */
  limitAbs?: Big;
  trigger?: NonNullable<SimOrder['trigger']>;
  displayQty?: Big;
  startAt?: number;
  expireAt?: number;
  feePreference: 'base' | 'quote';
}

type Result = { ok: true; value: ResolvedOrder } | { ok: false; error: string };

function priceError(problem: PriceProblem, field: EngineField, via: Via): string {
  switch (problem) {
    case 'decimals':
      return invalidField(field, via);
    case 'tick':
      return krakenErrors.tickSize;
    case 'non-positive':
    case 'no-reference':
      return krakenErrors.invalidPrice;
  }
}

/** Checks a quantity's decimals and increment; undefined when fine. */
export function checkQty(qty: Big, pair: SimPair): boolean {
  return qty.gt('0') && fitsPlaces(qty, pair.qtyPrecision) && qty.mod(new Decimal(pair.qtyIncrement)).eq('0');
}

/**
 * Validates a new order against the pair (Kraken's strings; field names per API) and
 * resolves relative prices against the reference. Pure: no account state (funds, open
 * orders, cl_ord_id uniqueness are checked at placement).
 */
export function validateOrderRequest(request: OrderRequest, env: ValidationEnv): Result {
  const { pair, via, now } = env;
  const fail = (error: string): Result => ({ ok: false, error });
  const { orderType } = request;

  // Spot only: the margin features answer with Kraken's margin errors (PROTOCOL §2.5).
  if (orderType === 'settle-position') return fail(krakenErrors.unknownPosition);
  if (request.margin) return fail(krakenErrors.cannotOpenPosition);
  if (request.reduceOnly) return fail(krakenErrors.reduceOnlyNoPosition);

  if (request.clOrdId !== undefined && request.userref !== undefined)
    return fail(invalidField('clOrdId', via));
  if (request.clOrdId !== undefined && !isValidClOrdId(request.clOrdId))
    return fail(invalidField('clOrdId', via));
  if (request.userref !== undefined && !isValidUserref(request.userref))
    return fail(invalidField('userref', via));

  // Quantity: base, or quote for market buys.
  let qty = new Decimal('0');
  let cashQty: Big | undefined;
  if (request.cashQty !== undefined) {
    if (orderType !== 'market' || request.side !== 'buy' || request.qty !== undefined) {
      return fail(invalidField('cashQty', via));
    }
    if (request.cashQty.lte('0') || !fitsPlaces(request.cashQty, pair.costPrecision)) {
      return fail(invalidField('cashQty', via));
    }
    if (request.cashQty.lt(new Decimal(pair.costMin))) return fail(krakenErrors.costMinimum);
    cashQty = request.cashQty;
  } else {
    if (request.qty === undefined || !checkQty(request.qty, pair)) return fail(invalidField('qty', via));
    if (request.qty.lt(new Decimal(pair.qtyMin))) return fail(krakenErrors.orderMinimum);
    qty = request.qty;
  }

  // Time in force, schedule, expiry.
  const tif = request.timeInForce;
  if (tif === 'fok' && orderType !== 'limit') return fail(invalidField('timeInForce', via));
  if ((tif === 'ioc' || tif === 'fok') && request.postOnly) return fail(invalidField('postOnly', via));
  if (tif === 'gtd' && request.expireTime === undefined) return fail(invalidField('expireTime', via));
  if (request.expireTime !== undefined) {
    // REST clients may still send an expiry with GTC (Kraken's older API): it expires all the same.
    if (tif === 'ioc' || tif === 'fok') return fail(invalidField('expireTime', via));
    if (request.expireTime <= now || request.expireTime > now + maxHorizonMs) {
      return fail(invalidField('expireTime', via));
    }
  }
  let startAt: number | undefined;
  if (request.effectiveTime !== undefined) {
    if (request.effectiveTime > now + maxHorizonMs) return fail(invalidField('effectiveTime', via));
    if (request.expireTime !== undefined && request.effectiveTime >= request.expireTime) {
      return fail(invalidField('effectiveTime', via));
    }
    if (request.effectiveTime > now) startAt = request.effectiveTime;
  }

  if (request.postOnly && !hasLimitPrice(orderType)) return fail(invalidField('postOnly', via));

  // Iceberg display quantity: 1/15 of the order at least.
  let displayQty: Big | undefined;
  if (orderType === 'iceberg') {
    const display = request.displayQty;
    if (display === undefined || !checkQty(display, pair)) return fail(invalidField('displayQty', via));
    if (display.gt(qty) || display.times('15').lt(qty)) return fail(invalidField('displayQty', via));
    displayQty = display;
  } else if (request.displayQty !== undefined) {
    return fail(invalidField('displayQty', via));
  }

  // Limit price.
  const limitField: EngineField = isTriggerType(orderType) ? 'secondaryPrice' : 'limitPrice';
  let limitPrice: PriceSpec | undefined;
  let limitAbs: Big | undefined;
  if (hasLimitPrice(orderType)) {
    if (!request.limitPrice) return fail(invalidField(limitField, via));
    if (orderType === 'trailing-stop-limit' && request.limitPrice.type !== 'static') {
      // An offset from the trigger price, applied when it triggers.
      if (request.limitPrice.type === 'quote') {
        const problem = checkQuoteOffset(request.limitPrice.value, pair);
        if (problem) return fail(priceError(problem, limitField, via));
      }
      limitPrice = request.limitPrice;
    } else {
      const resolved = resolvePrice(request.limitPrice, env.reference, pair);
      if (!resolved.ok) return fail(priceError(resolved.problem, limitField, via));
      limitAbs = resolved.price;
      limitPrice = { value: resolved.price, type: 'static' };
    }
  } else if (request.limitPrice) {
    return fail(invalidField(limitField, via));
  }

  // Trigger.
  let trigger: ResolvedOrder['trigger'];
  if (isTriggerType(orderType)) {
    const spec = request.trigger;
    if (!spec) return fail(invalidField('triggerPrice', via));
    if (isTrailingType(orderType)) {
      if (spec.type === 'static' || spec.price.lte('0')) return fail(invalidField('triggerPrice', via));
      if (spec.type === 'quote' && checkQuoteOffset(spec.price, pair))
        return fail(invalidField('triggerPrice', via));
      if (!env.reference) return fail(krakenErrors.invalidPrice);
      const actual = trailingTrigger(request.side, env.reference, spec.price, spec.type, pair);
      if (actual.lte('0')) return fail(krakenErrors.invalidPrice);
      trigger = { ...spec, triggered: false, actualPrice: actual, peakPrice: env.reference };
    } else {
      const resolved = resolvePrice({ value: spec.price, type: spec.type }, env.reference, pair);
      if (!resolved.ok) return fail(priceError(resolved.problem, 'triggerPrice', via));
      trigger = { ...spec, triggered: false, actualPrice: resolved.price };
    }
  } else if (request.trigger) {
    return fail(invalidField('triggerPrice', via));
  }

  // Cost minimum at the price the order would execute at (reference for market orders).
  if (cashQty === undefined) {
    const price = limitAbs ?? trigger?.actualPrice ?? env.reference;
    if (price && qty.times(price).lt(new Decimal(pair.costMin))) return fail(krakenErrors.costMinimum);
  }

  if (request.conditional) {
    const close = request.conditional;
    if (!conditionalTypes.has(close.orderType)) return fail(invalidField('conditional', via));
    if (hasLimitPrice(close.orderType) !== (close.limitPrice !== undefined)) {
      return fail(invalidField('conditional', via));
    }
    if (isTriggerType(close.orderType) !== (close.triggerPrice !== undefined)) {
      return fail(invalidField('conditional', via));
    }
  }

  return {
    ok: true,
    value: {
      qty,
      feePreference: request.feePreference ?? defaultFeePreference,
      ...(cashQty ? { cashQty } : {}),
      ...(limitPrice ? { limitPrice } : {}),
      ...(limitAbs ? { limitAbs } : {}),
      ...(trigger ? { trigger } : {}),
      ...(displayQty ? { displayQty } : {}),
      ...(startAt !== undefined ? { startAt } : {}),
      ...(request.expireTime !== undefined ? { expireAt: request.expireTime } : {}),
    },
  };
}
