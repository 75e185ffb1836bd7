import { type Big, zero } from '../sim-decimal.js';
import type { SimPair } from '../sim-pairs.js';
import type { OrderStatus, SimOrder } from '../sim-types.js';
import type { TimerSlot } from './engine-timers.js';

/** WS v2 `order_status` values. */
export type WsOrderStatus = 'pending_new' | 'new' | 'partially_filled' | 'filled' | 'canceled' | 'expired';

/** One recorded state of an order (queries `asOf`: the "REST lagging behind WS" fault). */
export interface OrderVersion {
  /** Epoch ms. */
  time: number;
  order: SimOrder;
  /** The order's hold at that time (in `holdAsset`). */
  hold: Big;
}

/** One entry of an order's amend history (REST OrderAmends shape). */
export interface AmendRecord {
  amendId: string;
  kind: 'original' | 'user' | 'restated';
  qty: Big;
  displayQty?: Big;
  remaining: Big;
  limitPrice?: Big;
  triggerPrice?: Big;
  postOnly: boolean;
  reason?: string;
  /** Epoch ms. */
  time: number;
}

/**
 * The engine's mutable record of an order. `view` is the contract's {@link SimOrder},
 * mutated in place by the engine only; everything handed out is a {@link snapshotOrder} copy.
 */
export interface EngineOrder {
  readonly view: SimOrder;
  readonly pair: SimPair;
  /** Absolute limit price once known (limit types; trailing-stop-limit after trigger). */
  limitAbs: Big | undefined;
  /** Buys without a limit price: the price the hold is computed at. */
  reservePrice: Big | undefined;
  /** Current hold and its asset. */
  hold: Big;
  holdAsset: string;
  /** Quote booked so far (rounded), see engine-settlement.ts. */
  quoteSettled: Big;
  /** Exact cumulative fee. */
  feeExact: Big;
  /** Iceberg: visible quantity left before the next refill. */
  displayRemain: Big | undefined;
  /** In the market's book right now. */
  resting: boolean;
  /** Expiry and start timers. */
  timers: TimerSlot[];
  versions: OrderVersion[];
  amends: AmendRecord[];
}

/** `order_status` on WS, derived from the REST status and the fill state. */
export function wsOrderStatus(order: Pick<SimOrder, 'status' | 'filledQty'>): WsOrderStatus {
  switch (order.status) {
    case 'pending':
      return 'pending_new';
    case 'open':
      return order.filledQty.gt('0') ? 'partially_filled' : 'new';
    case 'closed':
      return 'filled';
    case 'canceled':
      return 'canceled';
    case 'expired':
      return 'expired';
  }
}

const statusRank: Readonly<Record<WsOrderStatus, number>> = {
  pending_new: 0,
  new: 1,
  partially_filled: 2,
  filled: 3,
  canceled: 3,
  expired: 3,
};

/** Whether moving from `from` to `to` keeps the state machine monotonic. */
export function isForward(from: WsOrderStatus, to: WsOrderStatus): boolean {
  if (statusRank[from] === 3) return from === to;
  return statusRank[to] >= statusRank[from];
}

export function isOpenStatus(status: OrderStatus): boolean {
  return status === 'pending' || status === 'open';
}

/** Base quantity still to execute. */
export function remainingOf(order: SimOrder): Big {
  const rest = order.qty.minus(order.filledQty);
  return rest.gt('0') ? rest : zero;
}

/** Whether the order is a triggered type (stop-loss, take-profit, trailing, with or without limit). */
export function isTriggerType(orderType: SimOrder['orderType']): boolean {
  return (
    orderType === 'stop-loss' ||
    orderType === 'stop-loss-limit' ||
    orderType === 'take-profit' ||
    orderType === 'take-profit-limit' ||
    orderType === 'trailing-stop' ||
    orderType === 'trailing-stop-limit'
  );
}

export function isTrailingType(orderType: SimOrder['orderType']): boolean {
  return orderType === 'trailing-stop' || orderType === 'trailing-stop-limit';
}

/** Types that carry a limit price (the rest execute at market). */
export function hasLimitPrice(orderType: SimOrder['orderType']): boolean {
  return (
    orderType === 'limit' ||
    orderType === 'iceberg' ||
    orderType === 'stop-loss-limit' ||
    orderType === 'take-profit-limit' ||
    orderType === 'trailing-stop-limit'
  );
}

/** A copy safe to hand out (Big values are immutable; arrays and nested objects are copied). */
export function snapshotOrder(order: SimOrder): SimOrder {
  return {
    ...order,
    tradeIds: [...order.tradeIds],
    ...(order.trigger ? { trigger: { ...order.trigger } } : {}),
    ...(order.limitPrice ? { limitPrice: { ...order.limitPrice } } : {}),
    ...(order.conditional ? { conditional: { ...order.conditional } } : {}),
  };
}
