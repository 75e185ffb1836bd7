import type { SimClock } from '../sim-clock.js';
import { type Big, toFixedPlaces, zero } from '../sim-decimal.js';
import type { SimPair, SimPairCatalog } from '../sim-pairs.js';
import type { SimOrder } from '../sim-types.js';
import { describeClose, describeOrder, describePrices, isTriggerType } from './rest-describe.js';

/** What formatting needs from the sim: pair lookups and the clock's REST time format. */
export interface RestFormatContext {
  readonly catalog: SimPairCatalog;
  readonly clock: SimClock;
}

/** A fee in quote currency (REST `fee` is quote terms): a base-currency fee is valued at `price`. */
export function quoteFee(pair: SimPair, fee: Big, feeAsset: string, price: Big): Big {
  return feeAsset === pair.base ? fee.times(price) : fee;
}

/** `oflags` as Kraken echoes them: the implicit fee flag included (`post,fciq`). */
export function orderFlags(order: Pick<SimOrder, 'postOnly' | 'feePreference' | 'cashQty'>): string {
  const flags: string[] = [];
  if (order.postOnly) flags.push('post');
  flags.push(order.feePreference === 'base' ? 'fcib' : 'fciq');
  if (order.cashQty !== undefined) flags.push('viqc');
  return flags.join(',');
}

/** `misc`: `stopped` / `touched` once a trigger fired, `partial` for a partial fill, `amended`. */
function orderMisc(order: SimOrder): string {
  const misc: string[] = [];
  if (order.trigger?.triggered) misc.push(order.orderType.startsWith('take-profit') ? 'touched' : 'stopped');
  if (order.filledQty.gt(zero) && order.filledQty.lt(order.qty)) misc.push('partial');
  if (order.amended) misc.push('amended');
  return misc.join(',');
}

/**
 * One order in Kraken's REST shape (PROTOCOL §3.2; OpenOrders, ClosedOrders, QueryOrders).
 * Amounts are strings with the pair's decimals (`vol` lot decimals, `cost`/`fee` cost
 * decimals, prices price decimals), times float seconds (`0` when unset); `closetm` and
 * `reason` only on closed orders; `trades` only when asked for and the order has fills.
 */
export function formatRestOrder(
  format: RestFormatContext,
  order: SimOrder,
  options: { trades: boolean },
): Record<string, unknown> {
  const pair = format.catalog.bySymbol(order.symbol);
  if (!pair) throw new Error(`order ${order.id} on unknown pair ${order.symbol}`);
  const { clock } = format;
  const closed = order.status !== 'open' && order.status !== 'pending';
  const { price, price2 } = describePrices(pair, order);
  const trigger = order.trigger;
  const stopPrice = trigger?.actualPrice ?? (trigger?.type === 'static' ? trigger.price : undefined);
  const limitPrice =
    isTriggerType(order.orderType) && trigger?.triggered && order.limitPrice?.type === 'static'
      ? order.limitPrice.value
      : undefined;
  return {
    refid: null,
    userref: order.userref ?? null,
    cl_ord_id: order.clOrdId ?? null,
    status: order.status,
    ...(closed ? { reason: order.reason ?? null } : {}),
    opentm: clock.unixSeconds(order.openedAt),
    ...(closed && order.closedAt !== undefined ? { closetm: clock.unixSeconds(order.closedAt) } : {}),
    starttm: order.startAt === undefined ? 0 : clock.unixSeconds(order.startAt),
    expiretm: order.expireAt === undefined ? 0 : clock.unixSeconds(order.expireAt),
    descr: {
      pair: pair.altname,
      aclass: 'forex',
      type: order.side,
      ordertype: order.orderType,
      price,
      price2,
      leverage: 'none',
      order: describeOrder(pair, format.catalog.asset(pair.quote), order),
      close: describeClose(pair, order.conditional),
    },
    vol: order.qty.toFixed(pair.qtyPrecision),
    vol_exec: order.filledQty.toFixed(pair.qtyPrecision),
    cost: toFixedPlaces(order.filledCost, pair.costPrecision),
    fee: toFixedPlaces(quoteFee(pair, order.fees, order.feeAsset, order.avgPrice), pair.costPrecision),
    price: toFixedPlaces(order.avgPrice, pair.pricePrecision),
    stopprice: toFixedPlaces(stopPrice ?? zero, pair.pricePrecision),
    limitprice: toFixedPlaces(limitPrice ?? zero, pair.pricePrecision),
    ...(trigger ? { trigger: trigger.reference } : {}),
    misc: orderMisc(order),
    oflags: orderFlags(order),
    margin: order.margin,
    ...(options.trades && order.tradeIds.length > 0 ? { trades: [...order.tradeIds] } : {}),
  };
}
