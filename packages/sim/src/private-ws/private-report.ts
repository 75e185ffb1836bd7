import { wsOrderStatus } from '../engine/engine-order.js';
import type { SimContext } from '../sim-context.js';
import type { Big } from '../sim-decimal.js';
import type { SimPair } from '../sim-pairs.js';
import type { ExecutionEvent, SimFill, SimOrder } from '../sim-types.js';
import { num, type RawNumber, wireDecimal } from '../sim-wire.js';

type Report = Record<string, unknown>;

/** Number writers at the pair's precisions (prices, quantities, quote values). */
export class PairNumbers {
  constructor(
    readonly pair: SimPair,
    private readonly format: 'padded' | 'trimmed',
  ) {}

  price(value: Big): RawNumber {
    return wireDecimal(value, this.pair.pricePrecision, this.format);
  }

  qty(value: Big): RawNumber {
    return wireDecimal(value, this.pair.qtyPrecision, this.format);
  }

  cost(value: Big): RawNumber {
    return wireDecimal(value, this.pair.costPrecision, this.format);
  }

  /** A fee in its asset: quote fees at the cost precision, base fees at the quantity precision. */
  fee(value: Big, asset: string): RawNumber {
    return asset === this.pair.base ? this.qty(value) : this.cost(value);
  }

  /** A price-type value: `pct` as written, absolute and quote offsets at the price precision. */
  priceOfType(value: Big, type: string): RawNumber {
    return type === 'pct' ? num(value) : this.price(value);
  }

  /** Fees in USD: the fee itself, or a base fee valued at `price` on a USD-quoted pair. */
  feeUsd(fee: Big, asset: string, price: Big): RawNumber | undefined {
    if (asset === 'USD') return this.cost(fee);
    if (asset === this.pair.base && this.pair.quote === 'USD') return this.cost(fee.times(price));
    return undefined;
  }
}

/** `cl_ord_id` if the order has one, else `order_userref` (0 when unset, as Kraken sends it). */
function tags(order: SimOrder): Report {
  return order.clOrdId !== undefined ? { cl_ord_id: order.clOrdId } : { order_userref: order.userref ?? 0 };
}

function triggers(order: SimOrder, n: PairNumbers, clock: SimContext['clock']): Report | undefined {
  const trigger = order.trigger;
  if (!trigger) return undefined;
  return {
    reference: trigger.reference,
    price: n.priceOfType(trigger.price, trigger.type),
    price_type: trigger.type,
    ...(trigger.actualPrice ? { actual_price: n.price(trigger.actualPrice) } : {}),
    ...(trigger.peakPrice ? { peak_price: n.price(trigger.peakPrice) } : {}),
    ...(trigger.lastPrice ? { last_price: n.price(trigger.lastPrice) } : {}),
    status: trigger.triggered ? 'triggered' : 'untriggered',
    ...(trigger.triggeredAt !== undefined ? { timestamp: clock.timestamp(trigger.triggeredAt) } : {}),
  };
}

/** The order's full description (pending_new and snapshots). */
function details(order: SimOrder, n: PairNumbers, clock: SimContext['clock']): Report {
  const trigger = triggers(order, n, clock);
  const conditional = order.conditional;
  return {
    symbol: order.symbol,
    side: order.side,
    order_type: order.orderType,
    ...(order.cashQty ? { cash_order_qty: n.cost(order.cashQty) } : { order_qty: n.qty(order.qty) }),
    time_in_force: order.timeInForce.toUpperCase(),
    ...(order.limitPrice
      ? {
          limit_price: n.priceOfType(order.limitPrice.value, order.limitPrice.type),
          limit_price_type: order.limitPrice.type,
        }
      : {}),
    ...(order.postOnly ? { post_only: true } : {}),
    ...(order.displayQty ? { display_qty: n.qty(order.displayQty) } : {}),
    ...(order.startAt !== undefined ? { effective_time: clock.timestamp(order.startAt) } : {}),
    ...(order.expireAt !== undefined ? { expire_time: clock.timestamp(order.expireAt) } : {}),
    ...(trigger ? { triggers: trigger } : {}),
    ...(conditional
      ? {
          contingent: {
            order_type: conditional.orderType,
            ...(conditional.triggerPrice
              ? {
                  trigger_price: n.priceOfType(conditional.triggerPrice.value, conditional.triggerPrice.type),
                  trigger_price_type: conditional.triggerPrice.type,
                }
              : {}),
            ...(conditional.limitPrice
              ? {
                  limit_price: n.priceOfType(conditional.limitPrice.value, conditional.limitPrice.type),
                  limit_price_type: conditional.limitPrice.type,
                }
              : {}),
          },
        }
      : {}),
    fee_ccy_pref: order.feePreference === 'base' ? 'fcib' : 'fciq',
  };
}

/** Cumulative execution state (trade, filled, canceled, expired, snapshots). */
function cumulative(order: SimOrder, n: PairNumbers): Report {
  const usd = n.feeUsd(order.fees, order.feeAsset, order.avgPrice);
  return {
    cum_qty: n.qty(order.filledQty),
    cum_cost: n.cost(order.filledCost),
    avg_price: n.price(order.avgPrice),
    ...(usd ? { fee_usd_equiv: usd } : {}),
  };
}

/** A fill's own fields (trade events and `snap_trades`). */
function fillFields(fill: SimFill, n: PairNumbers): Report {
  const usd = n.feeUsd(fill.fee, fill.feeAsset, fill.price);
  return {
    exec_id: fill.id,
    trade_id: fill.publicTradeId,
    symbol: fill.symbol,
    side: fill.side,
    last_qty: n.qty(fill.qty),
    last_price: n.price(fill.price),
    liquidity_ind: fill.liquidity,
    cost: n.cost(fill.cost),
    order_type: fill.orderType,
    ...(usd ? { fee_usd_equiv: usd } : {}),
    fees: [{ asset: fill.feeAsset, qty: n.fee(fill.fee, fill.feeAsset) }],
  };
}

/**
 * One execution report, sparse per `exec_type` as Kraken sends them (PROTOCOL §9.1 and
 * captured traffic): `pending_new` carries the full order, `new` only ids and status,
 * `trade` the fill plus cumulative state, terminal events the cumulative state (fees are
 * never repeated on `filled`, so nobody counts them twice), `amended`/`restated` the
 * changed values, `status` the trigger state.
 */
export function executionReport(event: ExecutionEvent, n: PairNumbers, clock: SimContext['clock']): Report {
  const { order } = event;
  const head: Report = {
    order_id: order.id,
    exec_type: event.execType,
    order_status: wsOrderStatus(order),
    timestamp: clock.timestamp(event.time),
    ...tags(order),
  };
  switch (event.execType) {
    case 'pending_new':
      return {
        ...head,
        ...details(order, n, clock),
        cum_qty: n.qty(order.filledQty),
        cum_cost: n.cost(order.filledCost),
      };
    case 'new':
      return { ...head, ...(order.postOnly ? { post_only: true } : {}) };
    case 'trade':
      return {
        ...head,
        // The fill's own fee_usd_equiv wins over the order's cumulative one.
        ...cumulative(order, n),
        ...(event.fill ? fillFields(event.fill, n) : {}),
        fee_ccy_pref: order.feePreference === 'base' ? 'fcib' : 'fciq',
      };
    case 'filled':
      return { ...head, ...cumulative(order, n) };
    case 'canceled':
    case 'expired':
      return {
        ...head,
        ...cumulative(order, n),
        ...(event.reason !== undefined ? { reason: event.reason } : {}),
      };
    case 'amended':
    case 'restated': {
      const trigger = triggers(order, n, clock);
      return {
        ...head,
        amended: true,
        ...(event.reason !== undefined ? { reason: event.reason } : {}),
        order_qty: n.qty(order.qty),
        cum_qty: n.qty(order.filledQty),
        ...(order.limitPrice
          ? {
              limit_price: n.priceOfType(order.limitPrice.value, order.limitPrice.type),
              limit_price_type: order.limitPrice.type,
            }
          : {}),
        ...(order.displayQty ? { display_qty: n.qty(order.displayQty) } : {}),
        ...(order.postOnly ? { post_only: true } : {}),
        ...(trigger ? { triggers: trigger } : {}),
      };
    }
    case 'iceberg_refill':
      return {
        ...head,
        ...(order.displayQty ? { display_qty: n.qty(order.displayQty) } : {}),
        cum_qty: n.qty(order.filledQty),
      };
    case 'status': {
      const trigger = triggers(order, n, clock);
      return { ...head, ...(trigger ? { triggers: trigger } : {}) };
    }
  }
}

/** An open order in the `snap_orders` snapshot: full details and cumulative state. */
export function snapshotOrderReport(order: SimOrder, n: PairNumbers, clock: SimContext['clock']): Report {
  return {
    order_id: order.id,
    exec_type: order.status === 'pending' ? 'pending_new' : 'new',
    order_status: wsOrderStatus(order),
    timestamp: clock.timestamp(order.openedAt),
    ...tags(order),
    ...details(order, n, clock),
    ...cumulative(order, n),
    ...(order.amended ? { amended: true } : {}),
  };
}

/** A fill in the `snap_trades` snapshot (with its order's current status). */
export function snapshotTradeReport(
  fill: SimFill,
  order: SimOrder | undefined,
  n: PairNumbers,
  clock: SimContext['clock'],
): Report {
  return {
    order_id: fill.orderId,
    ...(order ? tags(order) : {}),
    exec_type: 'trade',
    ...(order ? { order_status: wsOrderStatus(order) } : {}),
    timestamp: clock.timestamp(fill.time),
    ...fillFields(fill, n),
  };
}
