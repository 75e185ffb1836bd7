import type { ClosedOrdersFilter, SimOrder } from '../sim-types.js';
import { type PrivateMethod, pageSize, type RestDeps, succeed } from './rest-handler.js';
import { formatRestOrder } from './rest-order-format.js';
import { badParam, int32, type Params } from './rest-params.js';

/** Kraken ids: `OQCLML-BW3P3-BUCMWZ`, `TCCCTY-WE2O6-P3NB37`, `L4UESK-KG3EQ-UFO4T5`. */
export const krakenIdPattern = /^[A-Z0-9]{6}-[A-Z0-9]{5}-[A-Z0-9]{6}$/;

/** `start` / `end`: a unix timestamp in seconds (→ epoch ms) or an id of the same kind of row. */
export function parseBound(params: Params, field: string): number | string | undefined {
  const text = params.string(field);
  if (text === undefined) return undefined;
  if (/^\d{1,12}(\.\d{1,9})?$/.test(text)) return Math.round(Number(text) * 1000);
  if (krakenIdPattern.test(text)) return text;
  throw badParam(field);
}

/** `ofs`: the page offset. */
export function parseOffset(params: Params): number | undefined {
  return params.integer('ofs', 0, 1_000_000_000);
}

function keyed(deps: RestDeps, orders: readonly SimOrder[], trades: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const order of orders) out[order.id] = formatRestOrder(deps.format, order, { trades });
  return out;
}

/**
 * OpenOrders, ClosedOrders, QueryOrders (PROTOCOL §3.2). ClosedOrders pages by 50, newest
 * first, with `count` the total (left out with `without_count=true`). QueryOrders takes up to
 * 50 comma-separated txids and answers the ones it knows (unknown ids are simply absent:
 * the sim's choice where Kraken's behaviour is unclear, PROTOCOL §12.12).
 */
export function orderQueryMethods(deps: RestDeps): Record<string, PrivateMethod> {
  const { exchange } = deps;
  return {
    OpenOrders: {
      reads: true,
      handle: ({ accountId, params, asOf }) => {
        const userref = params.integer('userref', int32.min, int32.max);
        const clOrdId = params.string('cl_ord_id');
        const orders = exchange.openOrders(
          accountId,
          {
            ...(userref === undefined ? {} : { userref }),
            ...(clOrdId === undefined ? {} : { clOrdId }),
          },
          asOf,
        );
        return succeed({ open: keyed(deps, orders, params.boolean('trades')) });
      },
    },
    ClosedOrders: {
      reads: true,
      handle: ({ accountId, params, asOf }) => {
        const filter: ClosedOrdersFilter = {};
        const userref = params.integer('userref', int32.min, int32.max);
        const clOrdId = params.string('cl_ord_id');
        const start = parseBound(params, 'start');
        const end = parseBound(params, 'end');
        const offset = parseOffset(params);
        const closeTime = params.string('closetime');
        if (
          closeTime !== undefined &&
          closeTime !== 'open' &&
          closeTime !== 'close' &&
          closeTime !== 'both'
        ) {
          throw badParam('closetime');
        }
        params.boolean('consolidate_taker', true);
        if (userref !== undefined) filter.userref = userref;
        if (clOrdId !== undefined) filter.clOrdId = clOrdId;
        if (start !== undefined) filter.start = start;
        if (end !== undefined) filter.end = end;
        if (offset !== undefined) filter.offset = offset;
        if (closeTime !== undefined) filter.closeTime = closeTime;
        const { orders, count } = exchange.closedOrders(accountId, filter, asOf);
        const closed = keyed(deps, orders.slice(0, pageSize), params.boolean('trades'));
        return succeed(params.boolean('without_count') ? { closed } : { closed, count });
      },
    },
    QueryOrders: {
      reads: true,
      handle: ({ accountId, params, asOf }) => {
        const ids = params.list('txid') ?? [];
        if (ids.length === 0 || ids.length > 50) throw badParam('txid');
        const userref = params.integer('userref', int32.min, int32.max);
        params.boolean('consolidate_taker', true);
        const orders = exchange
          .queryOrders(accountId, ids, asOf)
          .filter((order) => userref === undefined || order.userref === userref);
        return succeed(keyed(deps, orders, params.boolean('trades')));
      },
    },
  };
}
