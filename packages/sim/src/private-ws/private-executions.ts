import type { SimContext } from '../sim-context.js';
import type { SimEngine } from '../sim-modules.js';
import type { ExecutionEvent } from '../sim-types.js';
import type { SimSession } from '../ws/sim-session.js';
import type { PrivateOutbox } from './private-outbox.js';
import type { Params } from './private-params.js';
import { executionReport, PairNumbers, snapshotOrderReport, snapshotTradeReport } from './private-report.js';
import { PrivateStream } from './private-stream.js';

/** Fills in the `snap_trades` snapshot. */
export const snapshotTradeCount = 50;

export const executionsFields = [
  'channel',
  'token',
  'snap_orders',
  'snap_trades',
  'order_status',
  'ratecounter',
  'rebased',
  'users',
  'snapshot',
  'snapshot_trades',
] as const;

/** Exec types `order_status: false` leaves out: only open/close transitions (and fills) remain. */
const statusOnly = new Set(['pending_new', 'status', 'iceberg_refill', 'amended', 'restated']);

interface Subscription {
  stream: PrivateStream;
  orderStatus: boolean;
  rateCounter: boolean;
}

/**
 * The `executions` channel (PROTOCOL §9.1): snapshot of open orders (`snap_orders`,
 * default true) and of the last 50 fills (`snap_trades`, default false; newest first),
 * then one update message per execution event with its own `sequence`. With
 * `ratecounter: true` every report carries `ratecount`, the pair's trading counter after
 * the event (Kraken's field name is unconfirmed, §12.3: the sim's choice).
 */
export class ExecutionsChannel {
  readonly #byAccount = new Map<string, Set<Subscription>>();
  readonly #byConnection = new Map<string, Subscription>();

  constructor(
    private readonly context: SimContext,
    private readonly engine: SimEngine,
    private readonly outbox: PrivateOutbox,
  ) {
    context.events.on('execution', (event) => this.#onExecution(event));
  }

  isSubscribed(session: SimSession): boolean {
    return this.#byConnection.has(session.connectionId);
  }

  /** Reads the options, registers, and returns the ack result plus the snapshot to send after it. */
  subscribe(
    session: SimSession,
    accountId: string,
    params: Params,
  ): { result: Record<string, unknown>; sendSnapshot: () => void } {
    const warnings: string[] = [];
    const snapshot = params.boolean('snapshot');
    const snapshotTrades = params.boolean('snapshot_trades');
    if (snapshot !== undefined) warnings.push('snapshot is deprecated, use snap_orders');
    if (snapshotTrades !== undefined) warnings.push('snapshot_trades is deprecated, use snap_trades');
    const snapOrders = params.boolean('snap_orders') ?? snapshot ?? true;
    const snapTrades = params.boolean('snap_trades') ?? snapshotTrades ?? false;
    const orderStatus = params.boolean('order_status') ?? true;
    const rateCounter = params.boolean('ratecounter') ?? false;
    params.boolean('rebased');
    params.string('users');
    const subscription: Subscription = {
      stream: new PrivateStream(session, accountId, 'executions', this.context),
      orderStatus,
      rateCounter,
    };
    this.#byConnection.set(session.connectionId, subscription);
    let set = this.#byAccount.get(accountId);
    if (!set) {
      set = new Set();
      this.#byAccount.set(accountId, set);
    }
    set.add(subscription);
    return {
      result: {
        channel: 'executions',
        snap_orders: snapOrders,
        snap_trades: snapTrades,
        maxratecount: this.engine.maxRateCount(accountId),
        ...(warnings.length > 0 ? { warnings } : {}),
      },
      sendSnapshot: () => subscription.stream.snapshot(this.#snapshot(accountId, snapOrders, snapTrades)),
    };
  }

  unsubscribe(session: SimSession): boolean {
    const subscription = this.#byConnection.get(session.connectionId);
    if (!subscription) return false;
    subscription.stream.close();
    this.#byConnection.delete(session.connectionId);
    this.#byAccount.get(subscription.stream.accountId)?.delete(subscription);
    return true;
  }

  #numbers(symbol: string): PairNumbers | undefined {
    const pair = this.context.catalog.bySymbol(symbol);
    return pair ? new PairNumbers(pair, this.context.numberFormat) : undefined;
  }

  #snapshot(accountId: string, orders: boolean, trades: boolean): unknown[] {
    const { clock } = this.context;
    const data: unknown[] = [];
    if (orders) {
      for (const order of this.engine.openOrders(accountId)) {
        const numbers = this.#numbers(order.symbol);
        if (numbers) data.push(snapshotOrderReport(order, numbers, clock));
      }
    }
    if (trades) {
      const fills = this.engine.recentFills(accountId, snapshotTradeCount).reverse();
      const orderIds = [...new Set(fills.map((fill) => fill.orderId))];
      const ordersById = new Map(
        this.engine.queryOrders(accountId, orderIds).map((order) => [order.id, order]),
      );
      for (const fill of fills) {
        const numbers = this.#numbers(fill.symbol);
        if (numbers) data.push(snapshotTradeReport(fill, ordersById.get(fill.orderId), numbers, clock));
      }
    }
    return data;
  }

  #onExecution(event: ExecutionEvent): void {
    const subscriptions = this.#byAccount.get(event.accountId);
    if (!subscriptions || subscriptions.size === 0) return;
    const numbers = this.#numbers(event.order.symbol);
    if (!numbers) return;
    const report = executionReport(event, numbers, this.context.clock);
    for (const subscription of subscriptions) {
      if (!subscription.orderStatus && statusOnly.has(event.execType)) continue;
      const data = subscription.rateCounter
        ? {
            ...report,
            ratecount: Math.round(this.engine.rateCounter(event.accountId, event.order.symbol) * 100) / 100,
          }
        : report;
      this.outbox.send(() => subscription.stream.update([data]));
    }
  }
}
