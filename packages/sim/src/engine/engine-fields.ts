import { invalidArguments } from '../sim-errors.js';
import type { Via } from '../sim-types.js';

/**
 * Parameter names for `EGeneral:Invalid arguments:<field>` errors. Kraken's engine is the
 * same behind both APIs; the sim names the field the way the client sent it (WS v2 names
 * over WebSocket, REST names over REST) so the error points at the client's own parameter.
 */
const names = {
  qty: { ws: 'order_qty', rest: 'volume' },
  cashQty: { ws: 'cash_order_qty', rest: 'volume' },
  limitPrice: { ws: 'limit_price', rest: 'price' },
  /** The limit price of a triggered type (REST `price2`). */
  secondaryPrice: { ws: 'limit_price', rest: 'price2' },
  triggerPrice: { ws: 'triggers', rest: 'price' },
  amendTriggerPrice: { ws: 'trigger_price', rest: 'trigger_price' },
  displayQty: { ws: 'display_qty', rest: 'displayvol' },
  timeInForce: { ws: 'time_in_force', rest: 'timeinforce' },
  expireTime: { ws: 'expire_time', rest: 'expiretm' },
  effectiveTime: { ws: 'effective_time', rest: 'starttm' },
  postOnly: { ws: 'post_only', rest: 'oflags' },
  clOrdId: { ws: 'cl_ord_id', rest: 'cl_ord_id' },
  userref: { ws: 'order_userref', rest: 'userref' },
  orderType: { ws: 'order_type', rest: 'ordertype' },
  orderId: { ws: 'order_id', rest: 'txid' },
  conditional: { ws: 'conditional', rest: 'close' },
  orders: { ws: 'orders', rest: 'orders' },
  symbol: { ws: 'symbol', rest: 'pair' },
  timeout: { ws: 'timeout', rest: 'timeout' },
  amount: { ws: 'amount', rest: 'amount' },
} as const;

export type EngineField = keyof typeof names;

/** `EGeneral:Invalid arguments:<name>` with the field named as the client's API names it. */
export function invalidField(field: EngineField, via: Via): string {
  return invalidArguments(names[field][via]);
}
