import type { Big } from '../sim-decimal.js';
import { toFixedPlaces, zero } from '../sim-decimal.js';
import type { SimAsset, SimPair } from '../sim-pairs.js';
import type { ConditionalCloseSpec, OrderType, PriceSpec, Side } from '../sim-types.js';

/** The fields of an order (request or state) that its REST description shows. */
export interface DescribableOrder {
  side: Side;
  orderType: OrderType;
  qty?: Big | undefined;
  cashQty?: Big | undefined;
  limitPrice?: PriceSpec | undefined;
  trigger?: { price: Big; type: PriceSpec['type'] } | undefined;
  conditional?: ConditionalCloseSpec | undefined;
}

const triggerPhrase: Partial<Record<OrderType, string>> = {
  'stop-loss': 'stop loss',
  'stop-loss-limit': 'stop loss',
  'take-profit': 'take profit',
  'take-profit-limit': 'take profit',
  'trailing-stop': 'trailing stop',
  'trailing-stop-limit': 'trailing stop',
};

/** Whether the type's `price` is a trigger (its limit, if any, is `price2`). */
export function isTriggerType(orderType: OrderType): boolean {
  return triggerPhrase[orderType] !== undefined;
}

/**
 * A price as REST writes it: absolute with the pair's decimals (`37500.0`), a quote offset
 * signed (`+50.0`, `-50.0`), a percentage signed with `%` (`+2.5%`) — how it was given.
 */
export function formatPrice(pair: SimPair, spec: PriceSpec | undefined): string {
  if (!spec) return '0';
  if (spec.type === 'static') return toFixedPlaces(spec.value, pair.pricePrecision);
  const sign = spec.value.lt(zero) ? '-' : '+';
  const magnitude = spec.value.abs();
  return spec.type === 'pct'
    ? `${sign}${magnitude.toFixed()}%`
    : `${sign}${toFixedPlaces(magnitude, pair.pricePrecision)}`;
}

/** `descr.price` / `descr.price2`: the trigger then the limit for trigger types, else the limit. */
export function describePrices(
  pair: SimPair,
  order: Pick<DescribableOrder, 'orderType' | 'limitPrice' | 'trigger'>,
): { price: string; price2: string } {
  if (isTriggerType(order.orderType)) {
    const trigger = order.trigger ? { value: order.trigger.price, type: order.trigger.type } : undefined;
    return { price: formatPrice(pair, trigger), price2: formatPrice(pair, order.limitPrice) };
  }
  return { price: formatPrice(pair, order.limitPrice), price2: '0' };
}

function typePhrase(orderType: OrderType, price: string, price2: string): string {
  const trigger = triggerPhrase[orderType];
  if (trigger !== undefined) {
    return orderType.endsWith('-limit') ? `${trigger} ${price} -> limit ${price2}` : `${trigger} ${price}`;
  }
  switch (orderType) {
    case 'market':
      return 'market';
    case 'settle-position':
      return 'settle position';
    case 'iceberg':
      return `iceberg ${price}`;
    default:
      return `limit ${price}`;
  }
}

/**
 * Kraken's human-readable order text (`descr.order`): `buy 1.25000000 XBTUSD @ limit 37500.0`,
 * `sell 1.00000000 XBTUSD @ stop loss 30000.0 -> limit 29900.0`. Quantities have the pair's
 * lot decimals, prices its price decimals. A quote-sized market buy (`viqc`) reads
 * `buy 100.00000 USD of XBTUSD @ market` (sim wording; Kraken documents none).
 */
export function describeOrder(pair: SimPair, quote: SimAsset | undefined, order: DescribableOrder): string {
  const { price, price2 } = describePrices(pair, order);
  const amount =
    order.cashQty !== undefined && (order.qty === undefined || order.qty.eq(zero))
      ? `${toFixedPlaces(order.cashQty, pair.costPrecision)} ${quote?.altname ?? pair.quote} of`
      : ((order.qty ?? order.cashQty)?.toFixed(pair.qtyPrecision) ?? '0');
  return `${order.side} ${amount} ${pair.altname} @ ${typePhrase(order.orderType, price, price2)}`;
}

/** `descr.close`: `close position @ stop loss 38000.0 -> limit 36000.0`, or empty without one. */
export function describeClose(pair: SimPair, conditional: ConditionalCloseSpec | undefined): string {
  if (!conditional) return '';
  const { price, price2 } = describePrices(pair, {
    orderType: conditional.orderType,
    limitPrice: conditional.limitPrice,
    trigger: conditional.triggerPrice
      ? { price: conditional.triggerPrice.value, type: conditional.triggerPrice.type }
      : undefined,
  });
  return `close position @ ${typePhrase(conditional.orderType, price, price2)}`;
}
