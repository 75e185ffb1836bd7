import type { Big } from './sim-decimal.js';

// The domain contract between the sim's modules: the matching engine and accounts
// (src/engine), the REST API (src/rest) and the private WebSocket API (src/private-ws).
// Protocol layers translate Kraken's REST and WS parameters into these requests and the
// results back into Kraken's wire shapes; the engine knows nothing about either wire.

export type Side = 'buy' | 'sell';
export type OrderType =
  | 'limit'
  | 'market'
  | 'iceberg'
  | 'stop-loss'
  | 'stop-loss-limit'
  | 'take-profit'
  | 'take-profit-limit'
  | 'trailing-stop'
  | 'trailing-stop-limit'
  | 'settle-position';
export type TimeInForce = 'gtc' | 'ioc' | 'fok' | 'gtd';
export type PriceType = 'static' | 'pct' | 'quote';
export type TriggerReference = 'last' | 'index';
export type StpType = 'cancel_newest' | 'cancel_oldest' | 'cancel_both';
export type SystemStatus = 'online' | 'maintenance' | 'cancel_only' | 'post_only';
export type Tier = 'starter' | 'intermediate' | 'pro';
/** Which API a command arrived through (both share the trading rate counter). */
export type Via = 'ws' | 'rest';

/** REST order status; WS `order_status` is derived from it plus fill state. */
export type OrderStatus = 'pending' | 'open' | 'closed' | 'canceled' | 'expired';

export type ExecType =
  | 'pending_new'
  | 'new'
  | 'trade'
  | 'filled'
  | 'iceberg_refill'
  | 'canceled'
  | 'expired'
  | 'amended'
  | 'restated'
  | 'status';

export interface PriceSpec {
  value: Big;
  /** `static` = absolute price; `pct`/`quote` = offset (signed) from the reference price. */
  type: PriceType;
}

export interface TriggerSpec {
  reference: TriggerReference;
  price: Big;
  type: PriceType;
}

export interface ConditionalCloseSpec {
  orderType: OrderType;
  limitPrice?: PriceSpec;
  triggerPrice?: PriceSpec;
}

/** A new order, as the engine sees it (REST AddOrder and WS add_order both map to it). */
export interface OrderRequest {
  symbol: string;
  side: Side;
  orderType: OrderType;
  /** Base quantity. Absent only for market buys sized by `cashQty`. */
  qty?: Big;
  /** Quote-currency quantity (WS cash_order_qty / REST oflags=viqc). */
  cashQty?: Big;
  limitPrice?: PriceSpec;
  trigger?: TriggerSpec;
  timeInForce: TimeInForce;
  /** Scheduled start, epoch ms. */
  effectiveTime?: number;
  /** GTD expiry, epoch ms. */
  expireTime?: number;
  /** Engine must not match after this, epoch ms. */
  deadline?: number;
  postOnly: boolean;
  reduceOnly: boolean;
  margin: boolean;
  clOrdId?: string;
  userref?: number;
  displayQty?: Big;
  feePreference?: 'base' | 'quote';
  stpType: StpType;
  conditional?: ConditionalCloseSpec;
  /** Validate only: nothing is placed, no rate cost beyond the fixed one. */
  validate: boolean;
}

export interface AmendRequest {
  orderId?: string;
  clOrdId?: string;
  qty?: Big;
  displayQty?: Big;
  limitPrice?: PriceSpec;
  triggerPrice?: PriceSpec;
  /** Reject a price amend that would take liquidity. */
  postOnly?: boolean;
  deadline?: number;
}

/** Legacy cancel-and-replace (new order id, queue priority lost). */
export interface EditRequest {
  /** Order id, or a unique userref as decimal text. */
  orderId: string;
  symbol: string;
  qty?: Big;
  displayQty?: Big;
  limitPrice?: PriceSpec;
  triggerPrice?: PriceSpec;
  postOnly?: boolean;
  /** Tag of the new order (the old tag is not kept). */
  userref?: number;
  deadline?: number;
  validate: boolean;
}

export interface CancelRequest {
  orderIds?: readonly string[];
  clOrdIds?: readonly string[];
  userrefs?: readonly number[];
  /**
   * A batch cancel (REST CancelOrderBatch, WS batch_cancel): charged the same per-order age
   * penalties, but accepted even when that takes the rate counter over the threshold
   * (PROTOCOL §4.2); single cancels over the threshold are refused.
   */
  batch?: boolean;
}

/** Every engine command returns either a value or a Kraken error string (`EOrder:...`). */
export type CommandResult<T> = { ok: true; value: T; warnings?: string[] } | { ok: false; error: string };

/** An order's full state. Snapshots handed out are copies; mutate nothing. */
export interface SimOrder {
  /** `OXXXXX-XXXXX-XXXXXX`. */
  id: string;
  accountId: string;
  clOrdId?: string;
  userref?: number;
  symbol: string;
  side: Side;
  orderType: OrderType;
  /** Original base quantity (for cash-sized market buys: the executed quantity once known). */
  qty: Big;
  cashQty?: Big;
  filledQty: Big;
  /** Cumulative quote value of fills. */
  filledCost: Big;
  /** Cumulative fees, in `feeAsset`. */
  fees: Big;
  feeAsset: string;
  /** Average fill price; zero before any fill. */
  avgPrice: Big;
  limitPrice?: PriceSpec;
  /**
   * `actualPrice`: the absolute trigger price now (relative and trailing triggers resolved);
   * `peakPrice`: a trailing stop's best price so far; `lastPrice`: the trade price that triggered it.
   */
  trigger?: TriggerSpec & {
    triggered: boolean;
    triggeredAt?: number;
    actualPrice?: Big;
    peakPrice?: Big;
    lastPrice?: Big;
  };
  timeInForce: TimeInForce;
  postOnly: boolean;
  reduceOnly: boolean;
  margin: boolean;
  displayQty?: Big;
  stpType: StpType;
  feePreference: 'base' | 'quote';
  conditional?: ConditionalCloseSpec;
  status: OrderStatus;
  /** Close/cancel/expiry reason text, when closed. */
  reason?: string;
  amended: boolean;
  /** Epoch ms. */
  openedAt: number;
  startAt?: number;
  expireAt?: number;
  closedAt?: number;
  /** Created or last amended, epoch ms: the age the trading rate penalties use. */
  ageFrom: number;
  /** Ids of this order's fills. */
  tradeIds: string[];
  via: Via;
}

/** One fill of one order (the account's own trade). */
export interface SimFill {
  /** Private trade id `TXXXXX-XXXXX-XXXXXX` (REST TradesHistory key, WS `exec_id`). */
  id: string;
  /** Public trade id of the pair (integer, sequential per pair; WS `trade_id`). */
  publicTradeId: number;
  orderId: string;
  accountId: string;
  symbol: string;
  side: Side;
  orderType: OrderType;
  price: Big;
  qty: Big;
  cost: Big;
  fee: Big;
  feeAsset: string;
  liquidity: 'm' | 't';
  /** Epoch ms. */
  time: number;
  /** Ledger entry ids this fill produced (base and quote legs). */
  ledgerIds: string[];
}

export type LedgerType = 'trade' | 'deposit' | 'withdrawal' | 'adjustment';

/** One balance change (WS `balances` update, REST Ledgers row). */
export interface LedgerEntry {
  /** `LXXXXX-XXXXX-XXXXXX`. */
  id: string;
  /** For trades: the private trade id, shared by both legs. */
  refId: string;
  accountId: string;
  /** Epoch ms. */
  time: number;
  type: LedgerType;
  /** Kraken's `category` (e.g. `trade`). */
  category: string;
  asset: string;
  /** Signed change, fee excluded. */
  amount: Big;
  fee: Big;
  /** Total balance of the asset after this entry. */
  balance: Big;
}

/** An execution event for the private `executions` channel. */
export interface ExecutionEvent {
  accountId: string;
  execType: ExecType;
  /** The order after this event. */
  order: SimOrder;
  /** Present for `trade`. */
  fill?: SimFill;
  /** Present for `amended` / `restated`. */
  amendId?: string;
  reason?: string;
  /** Epoch ms. */
  time: number;
}

export interface BalanceView {
  balance: Big;
  /** Reserved by open orders (REST BalanceEx `hold_trade`). */
  holdTrade: Big;
}

export interface ClosedOrdersFilter {
  clOrdId?: string;
  userref?: number;
  /** Epoch ms or order id; exclusive. */
  start?: number | string;
  /** Epoch ms or order id; inclusive. */
  end?: number | string;
  offset?: number;
  closeTime?: 'open' | 'close' | 'both';
}

export interface TradesFilter {
  start?: number | string;
  end?: number | string;
  offset?: number;
}

/**
 * The exchange as protocol layers use it. Commands are synchronous: matching happens
 * before they return, and their events (executions, ledger entries, public trades, book
 * changes) are emitted on the {@link SimEvents} bus before the call returns. Queries take
 * `asOf` (epoch ms) for the "REST lagging behind WS" fault: the state as it was then.
 */
export interface SimExchange {
  hasAccount(accountId: string): boolean;
  addOrder(accountId: string, request: OrderRequest, via: Via): CommandResult<SimOrder>;
  /** Validated as a whole first; then each order may still fail on its own (e.g. funds). */
  batchAdd(
    accountId: string,
    symbol: string,
    requests: readonly OrderRequest[],
    options: { validate: boolean; deadline?: number },
    via: Via,
  ): CommandResult<CommandResult<SimOrder>[]>;
  amendOrder(
    accountId: string,
    request: AmendRequest,
    via: Via,
  ): CommandResult<{ amendId: string; order: SimOrder }>;
  editOrder(
    accountId: string,
    request: EditRequest,
    via: Via,
  ): CommandResult<{ order: SimOrder; original: SimOrder }>;
  /** Cancels every order matching any given id/cl_ord_id/userref; error if none matched. */
  cancelOrders(accountId: string, request: CancelRequest, via: Via): CommandResult<SimOrder[]>;
  cancelAll(accountId: string, via: Via): CommandResult<{ count: number }>;
  /** Dead man's switch: (re)arms, or disarms with 0. Times are epoch ms; triggerAt 0 = disarmed. */
  cancelAllOrdersAfter(
    accountId: string,
    timeoutSeconds: number,
  ): CommandResult<{ now: number; triggerAt: number }>;

  openOrders(accountId: string, filter?: { clOrdId?: string; userref?: number }, asOf?: number): SimOrder[];
  closedOrders(
    accountId: string,
    filter?: ClosedOrdersFilter,
    asOf?: number,
  ): { orders: SimOrder[]; count: number };
  queryOrders(accountId: string, ids: readonly string[], asOf?: number): SimOrder[];
  trades(accountId: string, filter?: TradesFilter, asOf?: number): { fills: SimFill[]; count: number };
  /** The account's last `limit` fills, newest last (executions `snap_trades`). */
  recentFills(accountId: string, limit: number): SimFill[];
  ledger(accountId: string, asOf?: number): LedgerEntry[];
  balances(accountId: string, asOf?: number): Map<string, BalanceView>;
  /** Current trading rate counter for a pair (executions `ratecounter`). */
  rateCounter(accountId: string, symbol: string): number;
  /** The account tier's trading threshold (executions ack `maxratecount`). */
  maxRateCount(accountId: string): number;
}

/** A public trade on a pair (the `trade` channel, REST Trades). */
export interface PublicTrade {
  symbol: string;
  /** Taker side. */
  side: Side;
  price: Big;
  qty: Big;
  /** Taker order type. */
  orderType: 'limit' | 'market';
  /** Sequential per pair. */
  tradeId: number;
  /** Epoch ms. */
  time: number;
}

/** WebSocket tokens (REST GetWebSocketsToken → private WS `params.token`). */
export interface SimTokenStore {
  /** A new token for the account; valid for 15 minutes until first used. */
  issue(accountId: string): { token: string; expiresInSeconds: number };
  /**
   * Checks a token sent on a private connection. A token used successfully on a connection
   * stays valid there for as long as that connection lives.
   */
  resolve(
    token: string,
    connectionId: string,
  ): { ok: true; accountId: string } | { ok: false; error: string };
  /** The connection closed: tokens bound to it expire unless unused time remains. */
  releaseConnection(connectionId: string): void;
  /** Fault: every token (of one account, or all) stops working at once. */
  invalidate(accountId?: string): void;
}
