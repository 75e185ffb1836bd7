import { Decimal } from '../sim-decimal.js';
import type { AmendRequest, EditRequest, PriceSpec, SimOrder } from '../sim-types.js';
import { describeOrder, describePrices } from './rest-describe.js';
import { type PrivateMethod, type RestDeps, succeed } from './rest-handler.js';
import { optionalAmount, parseDeadline, parseOrderFlags, requirePair } from './rest-order-params.js';
import { badParam, int32, type Params } from './rest-params.js';
import { parseRestPrice, priceRoles } from './rest-prices.js';

/**
 * AmendOrder's `limit_price` / `trigger_price`: absolute, or `+x` / `-x` (optional `%`)
 * relative, as on WS (PROTOCOL §3.3); the engine resolves relative values.
 */
function amendPrice(params: Params, field: string): PriceSpec | undefined {
  const text = params.string(field);
  if (text === undefined) return undefined;
  const match = /^\s*([+-]?)(\d{1,30}(?:\.\d{1,30})?)(%?)$/.exec(text);
  if (!match) throw badParam(field);
  const [, sign = '', digits = '', percent = ''] = match;
  const magnitude = new Decimal(digits);
  if (sign === '') {
    if (percent === '%') throw badParam(field);
    return { value: magnitude, type: 'static' };
  }
  return { value: sign === '-' ? magnitude.neg() : magnitude, type: percent === '%' ? 'pct' : 'quote' };
}

/** The open order an EditOrder `txid` names: an order id, or a userref held by exactly one order. */
function findEdited(deps: RestDeps, accountId: string, txid: string): SimOrder | undefined {
  if (/^-?\d+$/.test(txid)) {
    const matches = deps.exchange.openOrders(accountId, { userref: Number(txid) });
    return matches.length === 1 ? matches[0] : undefined;
  }
  return deps.exchange.queryOrders(accountId, [txid])[0];
}

/**
 * AmendOrder (in place, `{amend_id}`) and EditOrder (legacy cancel-and-replace) of
 * PROTOCOL §3.3. EditOrder reads `price`/`price2` by the edited order's type (limit price,
 * or trigger then limit), takes `oflags` only for `post`, and answers
 * `{descr, txid, originaltxid, status: "Ok", volume, price, price2, orders_cancelled,
 * newuserref?, olduserref?}` (no `txid` and `orders_cancelled: 0` with `validate`).
 */
export function amendMethods(deps: RestDeps): Record<string, PrivateMethod> {
  const { exchange } = deps;
  const { catalog } = deps.format;
  return {
    AmendOrder: {
      reads: false,
      handle: ({ accountId, params }) => {
        const orderId = params.string('txid');
        const clOrdId = params.string('cl_ord_id');
        if ((orderId === undefined) === (clOrdId === undefined)) throw badParam('txid');
        const request: AmendRequest = {};
        if (orderId !== undefined) request.orderId = orderId;
        if (clOrdId !== undefined) request.clOrdId = clOrdId;
        const qty = optionalAmount(params, 'order_qty');
        const displayQty = optionalAmount(params, 'display_qty');
        const limitPrice = amendPrice(params, 'limit_price');
        const triggerPrice = amendPrice(params, 'trigger_price');
        const deadline = parseDeadline(params);
        if (qty !== undefined) request.qty = qty;
        if (displayQty !== undefined) request.displayQty = displayQty;
        if (limitPrice !== undefined) request.limitPrice = limitPrice;
        if (triggerPrice !== undefined) request.triggerPrice = triggerPrice;
        if (params.has('post_only')) request.postOnly = params.boolean('post_only');
        if (deadline !== undefined) request.deadline = deadline;
        params.string('pair');
        const result = exchange.amendOrder(accountId, request, 'rest');
        if (!result.ok) return result;
        return succeed({ amend_id: result.value.amendId }, result.warnings);
      },
    },
    EditOrder: {
      reads: false,
      handle: ({ accountId, params }) => {
        const txid = params.requiredString('txid');
        const pair = requirePair(catalog, params);
        const validate = params.boolean('validate');
        const original = findEdited(deps, accountId, txid);
        const orderType = original?.orderType ?? 'limit';
        const side = original?.side ?? 'buy';
        const roles = priceRoles(orderType);
        const request: EditRequest = { orderId: original?.id ?? txid, symbol: pair.symbol, validate };
        const qty = optionalAmount(params, 'volume');
        const displayQty = optionalAmount(params, 'displayvol');
        const price = params.string('price');
        const price2 = params.string('price2');
        if (price !== undefined) {
          const spec = parseRestPrice(price, 'price', roles.price ?? 'limit', side, orderType);
          if ((roles.price ?? 'limit') === 'limit') request.limitPrice = spec;
          else request.triggerPrice = spec;
        }
        if (price2 !== undefined) {
          if (!roles.price2) throw badParam('price2');
          request.limitPrice = parseRestPrice(price2, 'price2', roles.price2, side, orderType);
        }
        if (params.has('oflags')) request.postOnly = parseOrderFlags(params).postOnly;
        const userref = params.integer('userref', int32.min, int32.max);
        const deadline = parseDeadline(params);
        params.boolean('cancel_response');
        if (qty !== undefined) request.qty = qty;
        if (displayQty !== undefined) request.displayQty = displayQty;
        if (userref !== undefined) request.userref = userref;
        if (deadline !== undefined) request.deadline = deadline;
        const result = exchange.editOrder(accountId, request, 'rest');
        if (!result.ok) return result;
        const { order, original: replaced } = result.value;
        const prices = describePrices(pair, order);
        return succeed(
          {
            descr: { order: describeOrder(pair, catalog.asset(pair.quote), order) },
            ...(validate ? {} : { txid: order.id }),
            originaltxid: replaced.id,
            status: 'Ok',
            volume: order.qty.toFixed(pair.qtyPrecision),
            price: prices.price,
            price2: prices.price2,
            orders_cancelled: validate ? 0 : 1,
            ...(order.userref === undefined ? {} : { newuserref: String(order.userref) }),
            ...(replaced.userref === undefined ? {} : { olduserref: String(replaced.userref) }),
          },
          result.warnings,
        );
      },
    },
  };
}
