import type { CancelRequest } from '../sim-types.js';
import { type PrivateMethod, type RestDeps, succeed } from './rest-handler.js';
import { badParam, int32, isParamMap, type Params, type ParamValue } from './rest-params.js';

/** Most ids one CancelOrderBatch takes (txids, userrefs and cl_ord_ids together). */
const maxBatchIds = 50;

/** RFC 3339 at second resolution, as CancelAllOrdersAfter writes times (`2026-01-05T10:00:05Z`). */
export function rfc3339Seconds(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

/** Adds one CancelOrder/CancelOrderBatch `txid`: a userref when it is an integer, else an order id. */
function addTxid(request: { orderIds: string[]; userrefs: number[] }, text: string, field: string): void {
  if (/^-?\d+$/.test(text)) {
    const userref = Number(text);
    if (userref < int32.min || userref > int32.max) throw badParam(field);
    request.userrefs.push(userref);
  } else {
    request.orderIds.push(text);
  }
}

/** A batch list entry: a scalar, or an object holding it under `key` (both shapes are in use). */
function batchEntry(item: ParamValue, key: string, field: string): string {
  const value = isParamMap(item) ? (Object.hasOwn(item, key) ? item[key] : undefined) : item;
  if (typeof value !== 'string' || value === '') throw badParam(field);
  return value;
}

function batchList(params: Params, field: string, key: string): string[] {
  const raw = params.raw(field);
  if (raw === undefined) return [];
  if (typeof raw === 'string') return params.list(field) ?? [];
  if (!Array.isArray(raw)) throw badParam(field);
  return raw.map((item) => batchEntry(item, key, field));
}

/**
 * CancelOrder, CancelAll, CancelOrderBatch, CancelAllOrdersAfter (PROTOCOL §3.3).
 * CancelOrder's `txid` is an order id or a userref (every open order with that tag), or
 * `cl_ord_id` names the order: `{count}`. CancelOrderBatch takes `orders` (txids/userrefs,
 * as strings, numbers or `{txid}` objects) and `cl_ord_ids`, at most 50 in all: `{count}`.
 * CancelAllOrdersAfter arms (or with 0 disarms) the dead man's switch:
 * `{currentTime, triggerTime}` at second resolution, `triggerTime` `"0"` when disarmed.
 */
export function cancelMethods(deps: RestDeps): Record<string, PrivateMethod> {
  const { exchange } = deps;
  return {
    CancelOrder: {
      reads: false,
      handle: ({ accountId, params }) => {
        const txid = params.string('txid');
        const clOrdId = params.string('cl_ord_id');
        if (txid === undefined && clOrdId === undefined) throw badParam('txid');
        const ids = { orderIds: [] as string[], userrefs: [] as number[] };
        if (txid !== undefined) addTxid(ids, txid, 'txid');
        const request: CancelRequest = {
          ...(ids.orderIds.length > 0 ? { orderIds: ids.orderIds } : {}),
          ...(ids.userrefs.length > 0 ? { userrefs: ids.userrefs } : {}),
          ...(clOrdId === undefined ? {} : { clOrdIds: [clOrdId] }),
        };
        const result = exchange.cancelOrders(accountId, request, 'rest');
        if (!result.ok) return result;
        return succeed({ count: result.value.length }, result.warnings);
      },
    },
    CancelAll: {
      reads: false,
      handle: ({ accountId }) => {
        const result = exchange.cancelAll(accountId, 'rest');
        if (!result.ok) return result;
        return succeed({ count: result.value.count }, result.warnings);
      },
    },
    CancelOrderBatch: {
      reads: false,
      handle: ({ accountId, params }) => {
        const ids = { orderIds: [] as string[], userrefs: [] as number[] };
        for (const text of batchList(params, 'orders', 'txid')) addTxid(ids, text, 'orders');
        const clOrdIds = batchList(params, 'cl_ord_ids', 'cl_ord_id');
        const total = ids.orderIds.length + ids.userrefs.length + clOrdIds.length;
        if (total === 0 || total > maxBatchIds) throw badParam('orders');
        const request: CancelRequest = {
          ...(ids.orderIds.length > 0 ? { orderIds: ids.orderIds } : {}),
          ...(ids.userrefs.length > 0 ? { userrefs: ids.userrefs } : {}),
          ...(clOrdIds.length > 0 ? { clOrdIds } : {}),
          batch: true,
        };
        const result = exchange.cancelOrders(accountId, request, 'rest');
        if (!result.ok) return result;
        return succeed({ count: result.value.length }, result.warnings);
      },
    },
    CancelAllOrdersAfter: {
      reads: false,
      handle: ({ accountId, params }) => {
        const timeout = params.integer('timeout', 0, 86_399);
        if (timeout === undefined) throw badParam('timeout');
        const result = exchange.cancelAllOrdersAfter(accountId, timeout);
        if (!result.ok) return result;
        const { now, triggerAt } = result.value;
        return succeed(
          {
            currentTime: rfc3339Seconds(now),
            triggerTime: triggerAt === 0 ? '0' : rfc3339Seconds(triggerAt),
          },
          result.warnings,
        );
      },
    },
  };
}
