import { invalidArguments } from '../sim-errors.js';
import type {
  AmendRequest,
  ConditionalCloseSpec,
  EditRequest,
  OrderRequest,
  OrderType,
  PriceSpec,
  PriceType,
  StpType,
  TimeInForce,
  TriggerSpec,
} from '../sim-types.js';
import { ParamError, type Params } from './private-params.js';

/** Every `order_type` Kraken lists for add_order. */
export const orderTypes: readonly OrderType[] = [
  'limit',
  'market',
  'iceberg',
  'stop-loss',
  'stop-loss-limit',
  'take-profit',
  'take-profit-limit',
  'trailing-stop',
  'trailing-stop-limit',
  'settle-position',
];
const priceTypes: readonly PriceType[] = ['static', 'pct', 'quote'];
const timesInForce: readonly TimeInForce[] = ['gtc', 'gtd', 'ioc', 'fok'];
const stpTypes: readonly StpType[] = ['cancel_newest', 'cancel_oldest', 'cancel_both'];

/** Order fields of add_order (and of each batch_add order, which has no `symbol`/`validate`/`deadline`/`token`). */
const orderFields = [
  'order_type',
  'side',
  'order_qty',
  'limit_price',
  'limit_price_type',
  'triggers',
  'time_in_force',
  'margin',
  'post_only',
  'reduce_only',
  'effective_time',
  'expire_time',
  'cl_ord_id',
  'order_userref',
  'conditional',
  'display_qty',
  'fee_preference',
  'no_mpp',
  'stp_type',
  'cash_order_qty',
  'sender_sub_id',
  'stop_price',
  'trigger',
] as const;

export const addOrderFields = [...orderFields, 'symbol', 'validate', 'deadline', 'token'] as const;
export const batchOrderFields = orderFields;

/** Deprecation notices Kraken sends in `warnings` (texts as captured from Kraken). */
const deprecated = {
  stopPrice: 'stop_price is deprecated, use triggers.price',
  trigger: 'trigger is deprecated use triggers.reference',
} as const;

/** `deadline`: Kraken accepts at most 60 s ahead (a past deadline is the engine's `Deadline elapsed`). */
export function readDeadline(params: Params, now: number): number | undefined {
  const deadline = params.time('deadline');
  if (deadline !== undefined && deadline > now + 60_000) throw new ParamError(invalidArguments('deadline'));
  return deadline;
}

function readTriggers(params: Params, warnings: string[]): TriggerSpec | undefined {
  const triggers = params.object('triggers', ['reference', 'price', 'price_type']);
  const stopPrice = params.decimal('stop_price');
  const reference = params.enumOf('trigger', ['last', 'index'] as const);
  if (stopPrice !== undefined) warnings.push(deprecated.stopPrice);
  if (reference !== undefined) warnings.push(deprecated.trigger);
  if (!triggers) {
    return stopPrice === undefined
      ? undefined
      : { reference: reference ?? 'last', price: stopPrice, type: 'static' };
  }
  return {
    reference: triggers.enumOf('reference', ['last', 'index'] as const) ?? reference ?? 'last',
    price: triggers.requiredDecimal('price'),
    type: triggers.enumOf('price_type', priceTypes) ?? 'static',
  };
}

function readConditional(params: Params): ConditionalCloseSpec | undefined {
  const close = params.object('conditional', [
    'order_type',
    'limit_price',
    'limit_price_type',
    'trigger_price',
    'trigger_price_type',
    'stop_price',
  ]);
  if (!close) return undefined;
  const orderType = close.requiredEnum('order_type', orderTypes);
  const limit = close.decimal('limit_price');
  const trigger = close.decimal('trigger_price') ?? close.decimal('stop_price');
  return {
    orderType,
    ...(limit !== undefined
      ? { limitPrice: { value: limit, type: close.enumOf('limit_price_type', priceTypes) ?? 'static' } }
      : {}),
    ...(trigger !== undefined
      ? { triggerPrice: { value: trigger, type: close.enumOf('trigger_price_type', priceTypes) ?? 'static' } }
      : {}),
  };
}

/**
 * One order of add_order or batch_add, WS v2 names → the engine's request (PROTOCOL §10.1):
 * `order_qty`/`cash_order_qty` numbers, `time_in_force` lower case, `stp_type` with
 * underscores, `triggers` object (deprecated `stop_price`/`trigger` still understood, with
 * Kraken's warnings), `limit_price_type` defaulting to `quote` for trailing-stop-limit.
 */
export function readOrder(
  params: Params,
  common: { symbol: string; validate: boolean; deadline: number | undefined },
  warnings: string[],
): OrderRequest {
  const orderType = params.requiredEnum('order_type', orderTypes);
  const side = params.requiredEnum('side', ['buy', 'sell'] as const);
  const qty = params.decimal('order_qty');
  const cashQty = params.decimal('cash_order_qty');
  if (qty === undefined && cashQty === undefined) throw new ParamError(invalidArguments('order_qty'));
  const limit = params.decimal('limit_price');
  const limitType =
    params.enumOf('limit_price_type', priceTypes) ??
    (orderType === 'trailing-stop-limit' ? 'quote' : 'static');
  const limitPrice: PriceSpec | undefined =
    limit === undefined ? undefined : { value: limit, type: limitType };
  const trigger = readTriggers(params, warnings);
  const conditional = readConditional(params);
  const effectiveTime = params.time('effective_time');
  const expireTime = params.time('expire_time');
  const clOrdId = params.string('cl_ord_id');
  const userref = params.integer('order_userref');
  const displayQty = params.decimal('display_qty');
  const feePreference = params.enumOf('fee_preference', ['base', 'quote'] as const);
  params.boolean('no_mpp');
  params.string('sender_sub_id');
  return {
    symbol: common.symbol,
    side,
    orderType,
    timeInForce: params.enumOf('time_in_force', timesInForce) ?? 'gtc',
    postOnly: params.boolean('post_only') ?? false,
    reduceOnly: params.boolean('reduce_only') ?? false,
    margin: params.boolean('margin') ?? false,
    stpType: params.enumOf('stp_type', stpTypes) ?? 'cancel_newest',
    validate: common.validate,
    ...(qty !== undefined ? { qty } : {}),
    ...(cashQty !== undefined ? { cashQty } : {}),
    ...(limitPrice ? { limitPrice } : {}),
    ...(trigger ? { trigger } : {}),
    ...(conditional ? { conditional } : {}),
    ...(effectiveTime !== undefined ? { effectiveTime } : {}),
    ...(expireTime !== undefined ? { expireTime } : {}),
    ...(common.deadline !== undefined ? { deadline: common.deadline } : {}),
    ...(clOrdId !== undefined ? { clOrdId } : {}),
    ...(userref !== undefined ? { userref } : {}),
    ...(displayQty !== undefined ? { displayQty } : {}),
    ...(feePreference ? { feePreference } : {}),
  };
}

export const amendFields = [
  'order_id',
  'cl_ord_id',
  'order_qty',
  'display_qty',
  'limit_price',
  'limit_price_type',
  'post_only',
  'trigger_price',
  'trigger_price_type',
  'deadline',
  'symbol',
  'token',
] as const;

/** amend_order (flat `trigger_price` keys, not the `triggers` object). */
export function readAmend(params: Params, now: number): AmendRequest {
  const orderId = params.string('order_id');
  const clOrdId = params.string('cl_ord_id');
  if ((orderId === undefined) === (clOrdId === undefined)) throw new ParamError(invalidArguments('order_id'));
  params.string('symbol');
  const qty = params.decimal('order_qty');
  const displayQty = params.decimal('display_qty');
  const limit = params.decimal('limit_price');
  const trigger = params.decimal('trigger_price');
  const postOnly = params.boolean('post_only');
  const deadline = readDeadline(params, now);
  return {
    ...(orderId !== undefined ? { orderId } : {}),
    ...(clOrdId !== undefined ? { clOrdId } : {}),
    ...(qty !== undefined ? { qty } : {}),
    ...(displayQty !== undefined ? { displayQty } : {}),
    ...(limit !== undefined
      ? { limitPrice: { value: limit, type: params.enumOf('limit_price_type', priceTypes) ?? 'static' } }
      : {}),
    ...(trigger !== undefined
      ? {
          triggerPrice: { value: trigger, type: params.enumOf('trigger_price_type', priceTypes) ?? 'static' },
        }
      : {}),
    ...(postOnly !== undefined ? { postOnly } : {}),
    ...(deadline !== undefined ? { deadline } : {}),
  };
}

export const editFields = [
  'order_id',
  'symbol',
  'order_qty',
  'limit_price',
  'display_qty',
  'fee_preference',
  'post_only',
  'reduce_only',
  'triggers',
  'order_userref',
  'deadline',
  'validate',
  'no_mpp',
  'price',
  'trigger',
  'stop_price',
  'token',
] as const;

/** edit_order. `reduce_only: true` is reported by the caller (margin); `fee_preference` cannot change and is ignored. */
export function readEdit(
  params: Params,
  now: number,
  warnings: string[],
): EditRequest & { reduceOnly: boolean } {
  const orderId = params.requiredString('order_id');
  const symbol = params.requiredString('symbol');
  const qty = params.decimal('order_qty');
  const limit = params.decimal('limit_price') ?? params.decimal('price');
  const displayQty = params.decimal('display_qty');
  params.enumOf('fee_preference', ['base', 'quote'] as const);
  params.boolean('no_mpp');
  const postOnly = params.boolean('post_only');
  const reduceOnly = params.boolean('reduce_only') ?? false;
  const trigger = readTriggers(params, warnings);
  const userref = params.integer('order_userref');
  const deadline = readDeadline(params, now);
  return {
    orderId,
    symbol,
    validate: params.boolean('validate') ?? false,
    reduceOnly,
    ...(qty !== undefined ? { qty } : {}),
    ...(limit !== undefined ? { limitPrice: { value: limit, type: 'static' as const } } : {}),
    ...(displayQty !== undefined ? { displayQty } : {}),
    ...(postOnly !== undefined ? { postOnly } : {}),
    ...(trigger ? { triggerPrice: { value: trigger.price, type: trigger.type } } : {}),
    ...(userref !== undefined ? { userref } : {}),
    ...(deadline !== undefined ? { deadline } : {}),
  };
}
