import type { EngineOrder } from './engine-order.js';
import { closeReasons } from './engine-reasons.js';
import type { EngineState } from './engine-state.js';
import { cancelTimer, scheduleAt } from './engine-timers.js';

/** Stops watching an order's trigger. */
export function unwatchTrigger(state: EngineState, order: EngineOrder): void {
  state.watching.get(order.view.symbol)?.delete(order);
}

export function watchTrigger(state: EngineState, order: EngineOrder): void {
  let watched = state.watching.get(order.view.symbol);
  if (!watched) {
    watched = new Set();
    state.watching.set(order.view.symbol, watched);
  }
  watched.add(order);
}

function detach(state: EngineState, order: EngineOrder): void {
  const { view } = order;
  if (order.resting) {
    state.market.removeResting(view.symbol, view.id);
    order.resting = false;
  }
  unwatchTrigger(state, order);
  for (const slot of order.timers) cancelTimer(state.context.clock, slot);
  order.timers.length = 0;
  state.accounts.get(view.accountId)?.removeOpen(order);
  view.closedAt = state.now();
}

/** Cancels or expires an open order: off the book, hold released, `canceled`/`expired` emitted. */
export function closeOrder(
  state: EngineState,
  order: EngineOrder,
  status: 'canceled' | 'expired',
  reason: string,
): void {
  const { view } = order;
  if (view.status !== 'pending' && view.status !== 'open') return;
  detach(state, order);
  view.status = status;
  view.reason = reason;
  state.refreshHold(order);
  state.emitExecution(order, status, { reason });
}

/** The order executed completely: closed, hold released, `filled` emitted. */
export function finishFilled(state: EngineState, order: EngineOrder): void {
  const { view } = order;
  if (view.status !== 'pending' && view.status !== 'open') return;
  detach(state, order);
  view.status = 'closed';
  state.refreshHold(order);
  state.emitExecution(order, 'filled');
}

/** GTD: expire the order at `expireAt` (runs as an engine command). */
export function scheduleExpiry(state: EngineState, order: EngineOrder): void {
  const at = order.view.expireAt;
  if (at === undefined) return;
  order.timers.push(
    scheduleAt(state.context.clock, at, () =>
      state.queue.command(() => closeOrder(state, order, 'expired', closeReasons.expired)),
    ),
  );
}
