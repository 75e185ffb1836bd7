import type { SimContext } from '../sim-context.js';
import { invalidArguments, krakenErrors } from '../sim-errors.js';
import type { SimEngine } from '../sim-modules.js';
import type { CommandResult, OrderRequest, SimOrder } from '../sim-types.js';
import type { ClientRequest, SimSession } from '../ws/sim-session.js';
import {
  addOrderFields,
  amendFields,
  batchOrderFields,
  editFields,
  readAmend,
  readDeadline,
  readEdit,
  readOrder,
} from './private-order-params.js';
import type { PrivateOutbox } from './private-outbox.js';
import { ParamError, Params } from './private-params.js';

/** What a trading method handler needs. */
export interface TradingContext {
  context: SimContext;
  engine: SimEngine;
  outbox: PrivateOutbox;
}

export type TradingHandler = (
  trading: TradingContext,
  session: SimSession,
  request: ClientRequest,
  accountId: string,
) => void;

/** Ids per batch_cancel (PROTOCOL §10.9). */
const batchCancelSize = { min: 2, max: 50 } as const;

/** `currentTime` / `triggerTime` of cancel_all_orders_after: RFC 3339 at second resolution. */
function seconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function tagsOf(order: SimOrder): Record<string, unknown> {
  return {
    ...(order.clOrdId !== undefined ? { cl_ord_id: order.clOrdId } : {}),
    ...(order.userref !== undefined ? { order_userref: order.userref } : {}),
  };
}

function withWarnings(result: Record<string, unknown>, warnings: readonly string[]): Record<string, unknown> {
  return warnings.length > 0 ? { ...result, warnings } : result;
}

const addOrder: TradingHandler = ({ context, engine, outbox }, session, request, accountId) => {
  const params = new Params(request.params, addOrderFields);
  const warnings: string[] = [];
  const symbol = params.requiredString('symbol');
  const validate = params.boolean('validate') ?? false;
  const deadline = readDeadline(params, context.clock.now());
  params.requiredString('token');
  const order = readOrder(params, { symbol, validate, deadline }, warnings);
  outbox.hold(() => {
    const placed = engine.addOrder(accountId, order, 'ws');
    if (!placed.ok) {
      session.respond(request, { error: placed.error });
      return;
    }
    session.respond(request, {
      result: withWarnings({ order_id: validate ? '' : placed.value.id, ...tagsOf(placed.value) }, warnings),
    });
  });
};

const batchAdd: TradingHandler = ({ context, engine, outbox }, session, request, accountId) => {
  const params = new Params(request.params, ['symbol', 'orders', 'deadline', 'validate', 'token']);
  const warnings: string[] = [];
  const symbol = params.requiredString('symbol');
  const validate = params.boolean('validate') ?? false;
  const deadline = readDeadline(params, context.clock.now());
  const rows = params.array('orders');
  if (!rows) throw new ParamError(invalidArguments('orders'));
  const orders: OrderRequest[] = rows.map((row) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row))
      throw new ParamError(invalidArguments('orders'));
    return readOrder(
      new Params(row as Record<string, unknown>, batchOrderFields),
      { symbol, validate, deadline },
      warnings,
    );
  });
  outbox.hold(() => {
    const placed = engine.batchAdd(
      accountId,
      symbol,
      orders,
      { validate, ...(deadline !== undefined ? { deadline } : {}) },
      'ws',
    );
    if (!placed.ok) {
      session.respond(request, { error: placed.error });
      return;
    }
    const result = placed.value.map((row: CommandResult<SimOrder>) =>
      row.ok ? { order_id: validate ? '' : row.value.id, ...tagsOf(row.value) } : { error: row.error },
    );
    const failed = placed.value.find((row): row is { ok: false; error: string } => !row.ok);
    // Rows are authoritative: siblings of a failed row are live. The first failure names the response.
    const extra = warnings.length > 0 ? { warnings } : {};
    if (failed) session.respond(request, { error: failed.error }, { result, ...extra });
    else session.respond(request, { result }, extra);
  });
};

const amendOrder: TradingHandler = ({ context, engine, outbox }, session, request, accountId) => {
  const params = new Params(request.params, amendFields);
  params.requiredString('token');
  const amend = readAmend(params, context.clock.now());
  outbox.hold(() => {
    const amended = engine.amendOrder(accountId, amend, 'ws');
    if (!amended.ok) {
      session.respond(request, { error: amended.error });
      return;
    }
    const { order, amendId } = amended.value;
    session.respond(request, {
      result: {
        amend_id: amendId,
        order_id: order.id,
        ...(order.clOrdId !== undefined ? { cl_ord_id: order.clOrdId } : {}),
      },
    });
  });
};

const editOrder: TradingHandler = ({ context, engine, outbox }, session, request, accountId) => {
  const params = new Params(request.params, editFields);
  params.requiredString('token');
  const warnings: string[] = [];
  const { reduceOnly, ...edit } = readEdit(params, context.clock.now(), warnings);
  if (reduceOnly) throw new ParamError(krakenErrors.reduceOnlyNoPosition);
  outbox.hold(() => {
    const edited = engine.editOrder(accountId, edit, 'ws');
    if (!edited.ok) {
      session.respond(request, { error: edited.error });
      return;
    }
    session.respond(request, {
      result: withWarnings(
        { order_id: edit.validate ? '' : edited.value.order.id, original_order_id: edited.value.original.id },
        warnings,
      ),
    });
  });
};

/**
 * One response per cancelled order, all with the request's `req_id` (PROTOCOL §10.5); an
 * id or cl_ord_id that matches no open order gets its own `EOrder:Unknown order` response.
 * A userref may cancel several orders (one response each) or none (one error).
 */
const cancelOrder: TradingHandler = ({ engine, outbox }, session, request, accountId) => {
  const params = new Params(request.params, ['order_id', 'cl_ord_id', 'order_userref', 'token']);
  params.requiredString('token');
  const orderIds = params.stringArray('order_id') ?? [];
  const clOrdIds = params.stringArray('cl_ord_id') ?? [];
  const userrefs = params.integerArray('order_userref') ?? [];
  if (orderIds.length + clOrdIds.length + userrefs.length === 0)
    throw new ParamError(invalidArguments('order_id'));
  outbox.hold(() => {
    const targets = [
      ...orderIds.map((id) => ({ orderIds: [id] })),
      ...clOrdIds.map((id) => ({ clOrdIds: [id] })),
      ...userrefs.map((userref) => ({ userrefs: [userref] })),
    ];
    for (const target of targets) {
      const cancelled = engine.cancelOrders(accountId, target, 'ws');
      if (!cancelled.ok) {
        session.respond(request, { error: cancelled.error });
        continue;
      }
      for (const order of cancelled.value) {
        session.respond(request, {
          result: {
            order_id: order.id,
            ...(order.clOrdId !== undefined ? { cl_ord_id: order.clOrdId } : {}),
          },
        });
      }
    }
  });
};

const cancelAll: TradingHandler = ({ engine, outbox }, session, request, accountId) => {
  const params = new Params(request.params, ['token']);
  params.requiredString('token');
  outbox.hold(() => {
    const cancelled = engine.cancelAll(accountId, 'ws');
    session.respond(
      request,
      cancelled.ok ? { result: { count: cancelled.value.count } } : { error: cancelled.error },
    );
  });
};

const cancelAllOrdersAfter: TradingHandler = ({ engine, outbox }, session, request, accountId) => {
  const params = new Params(request.params, ['timeout', 'token']);
  params.requiredString('token');
  const timeout = params.integer('timeout');
  if (timeout === undefined) throw new ParamError(invalidArguments('timeout'));
  outbox.hold(() => {
    const armed = engine.cancelAllOrdersAfter(accountId, timeout);
    if (!armed.ok) {
      session.respond(request, { error: armed.error });
      return;
    }
    const { now, triggerAt } = armed.value;
    // Disarmed: "0", as Kraken's REST answer and its SDK read it.
    session.respond(request, {
      result: { currentTime: seconds(now), triggerTime: triggerAt === 0 ? '0' : seconds(triggerAt) },
    });
  });
};

const batchCancel: TradingHandler = ({ engine, outbox }, session, request, accountId) => {
  const params = new Params(request.params, ['orders', 'cl_ord_id', 'token']);
  params.requiredString('token');
  const ids = params.stringArray('orders') ?? [];
  const clOrdIds = params.stringArray('cl_ord_id') ?? [];
  const total = ids.length + clOrdIds.length;
  if (total < batchCancelSize.min || total > batchCancelSize.max)
    throw new ParamError(invalidArguments('orders'));
  const userrefs = ids.filter((id) => /^-?\d{1,10}$/.test(id)).map(Number);
  const orderIds = ids.filter((id) => !/^-?\d{1,10}$/.test(id));
  outbox.hold(() => {
    const cancelled = engine.cancelOrders(accountId, { orderIds, clOrdIds, userrefs, batch: true }, 'ws');
    session.respond(
      request,
      cancelled.ok ? { result: { count: cancelled.value.length } } : { error: cancelled.error },
    );
  });
};

/** The trading methods of the private endpoint (PROTOCOL §10). */
export const tradingHandlers: Readonly<Record<string, TradingHandler>> = {
  add_order: addOrder,
  batch_add: batchAdd,
  amend_order: amendOrder,
  edit_order: editOrder,
  cancel_order: cancelOrder,
  cancel_all: cancelAll,
  cancel_all_orders_after: cancelAllOrdersAfter,
  batch_cancel: batchCancel,
};
