import type { SimPair } from '../sim-pairs.js';
import type { OrderRequest, SimOrder } from '../sim-types.js';
import { describeClose, describeOrder } from './rest-describe.js';
import { type PrivateMethod, type RestDeps, succeed } from './rest-handler.js';
import { parseDeadline, parseOrderFields, requirePair } from './rest-order-params.js';
import { badParam } from './rest-params.js';

/** AddOrderBatch takes 2 to 15 orders (PROTOCOL §3.3). */
const batchSize = { min: 2, max: 15 };

/**
 * `descr` of an AddOrder result: the order text, plus `close` when a close order was
 * attached. Prices are the engine's (a relative limit price shows resolved, as placed);
 * the quantity is the request's (a `viqc` buy shows the quote amount asked for).
 */
function orderDescription(deps: RestDeps, pair: SimPair, request: OrderRequest, placed?: SimOrder) {
  const shown = placed
    ? {
        ...request,
        limitPrice: placed.limitPrice ?? request.limitPrice,
        trigger: placed.trigger ?? request.trigger,
      }
    : request;
  const order = describeOrder(pair, deps.format.catalog.asset(pair.quote), shown);
  const close = describeClose(pair, request.conditional);
  return close === '' ? { order } : { order, close };
}

/**
 * AddOrder and AddOrderBatch (PROTOCOL §3.3). AddOrder answers
 * `{descr: {order, close?}, txid: [id]}` (`txid` an array, absent with `validate`).
 * AddOrderBatch takes one `pair`, 2–15 `orders` (a JSON array, or `orders[i][field]` form
 * fields), a batch-wide `deadline` and `validate`; one malformed order refuses the whole
 * batch, and the engine may still refuse single orders: `{orders: [{txid, descr} | {error}]}`
 * in request order, `txid` a string.
 */
export function tradingMethods(deps: RestDeps): Record<string, PrivateMethod> {
  const { exchange } = deps;
  const { catalog } = deps.format;
  return {
    AddOrder: {
      reads: false,
      handle: ({ accountId, params, now }) => {
        const pair = requirePair(catalog, params);
        const validate = params.boolean('validate');
        const deadline = parseDeadline(params);
        const request = parseOrderFields(params, pair, { now, validate, deadline });
        const result = exchange.addOrder(accountId, request, 'rest');
        if (!result.ok) return result;
        const descr = orderDescription(deps, pair, request, result.value);
        return succeed(validate ? { descr } : { descr, txid: [result.value.id] }, result.warnings);
      },
    },
    AddOrderBatch: {
      reads: false,
      handle: ({ accountId, params, now }) => {
        const pair = requirePair(catalog, params);
        const validate = params.boolean('validate');
        const deadline = parseDeadline(params);
        const entries = params.mapList('orders');
        if (!entries || entries.length < batchSize.min || entries.length > batchSize.max) {
          throw badParam('orders');
        }
        const requests = entries.map((entry) => parseOrderFields(entry, pair, { now, validate, deadline }));
        const result = exchange.batchAdd(
          accountId,
          pair.symbol,
          requests,
          deadline === undefined ? { validate } : { validate, deadline },
          'rest',
        );
        if (!result.ok) return result;
        const orders = result.value.map((outcome, index) => {
          if (!outcome.ok) return { error: outcome.error };
          const request = requests[index] as OrderRequest;
          const descr = orderDescription(deps, pair, request, outcome.value);
          return validate ? { descr } : { txid: outcome.value.id, descr };
        });
        return succeed({ orders }, result.warnings);
      },
    },
  };
}
