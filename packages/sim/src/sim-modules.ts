import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimAccountSpec } from './sim-accounts.js';
import type { SimContext } from './sim-context.js';
import type { Big } from './sim-decimal.js';
import type { CommandResult, PublicTrade, Side, SimExchange, SimTokenStore } from './sim-types.js';
import type { SessionHandler } from './ws/sim-session.js';

// The seams between the sim's modules. `src/sim.ts` wires them:
//   market  = createSimMarket(context)                       src/market/
//   engine  = createSimEngine(context, market, accounts)     src/engine/
//   auth    = createSimAuth(context, accounts)               src/auth/
//   rest    = createRestApi(context, { auth, exchange: engine, publicApi: createPublicRest(context, market) })
//   public WS handler  = createPublicEndpoint(context, market)            src/public-ws/
//   private WS handler = createPrivateEndpoint(context, engine, auth.tokens)  src/private-ws/

/** A fill of a resting order, produced when a taker matched it. */
export interface MakerFill {
  symbol: string;
  makerOrderId: string;
  /** Undefined for the background market's own liquidity. */
  makerAccountId: string | undefined;
  takerSide: Side;
  price: Big;
  qty: Big;
  /** Quantity the maker order has left after this fill (hidden iceberg part included). */
  makerRemaining: Big;
  publicTradeId: number;
  /** Epoch ms. */
  time: number;
}

/** An iceberg showed its next part after its visible part was filled. */
export interface IcebergRefill {
  symbol: string;
  orderId: string;
  accountId: string;
  price: Big;
  /** The part now displayed. */
  visibleQty: Big;
  /** Everything the order has left, hidden part included. */
  remaining: Big;
  /** Epoch ms. */
  time: number;
}

export interface TakerSpec {
  symbol: string;
  side: Side;
  /** Base quantity to take; absent when sized by `cashQty`. */
  qty?: Big;
  /** Market buys sized in quote currency: take until this much quote is spent. */
  cashQty?: Big;
  /** Worst acceptable price; absent = market order. */
  limitPrice?: Big;
  /** The taker's account; absent for the background market's own flow. */
  accountId?: string;
  orderType: 'limit' | 'market';
  /**
   * Self-trade prevention: called before matching against a resting order of the same
   * account. `cancel-newest` stops the taker; `cancel-oldest` removes the maker and goes on;
   * `cancel-both` does both.
   */
  onSelfTrade?: (makerOrderId: string) => 'cancel-newest' | 'cancel-oldest' | 'cancel-both';
}

export interface TakerResult {
  /** In execution order; the taker's fills are these, from its side. */
  fills: MakerFill[];
  filledQty: Big;
  filledCost: Big;
  /** Matching stopped because of self-trade prevention (the taker's rest must be cancelled). */
  stoppedBySelfTrade: boolean;
  /** Resting orders removed by self-trade prevention. */
  cancelledMakerOrderIds: string[];
}

export interface BookLevel {
  price: Big;
  qty: Big;
  /** Epoch ms of the level's last change. */
  updatedAt: number;
}

/** Read access to one pair's book (background liquidity and resting user orders together). */
export interface SimOrderBook {
  readonly symbol: string;
  bestBid(): Big | undefined;
  bestAsk(): Big | undefined;
  /** Visible levels, best first. */
  levels(side: 'bids' | 'asks', depth: number): BookLevel[];
  /** Quantity a taker on `takerSide` could fill up to `limitPrice`, not counting `excludeAccountId`'s orders. */
  availableQty(takerSide: Side, limitPrice: Big | undefined, excludeAccountId?: string): Big;
  /** Whether a limit order on `side` at `price` would take liquidity now. */
  wouldCross(side: Side, price: Big): boolean;
}

export interface TickerStats {
  bid: Big | undefined;
  bidQty: Big | undefined;
  ask: Big | undefined;
  askQty: Big | undefined;
  last: Big | undefined;
  /** Rolling 24 h. */
  volume: Big;
  vwap: Big | undefined;
  low: Big | undefined;
  high: Big | undefined;
  open: Big | undefined;
  change: Big;
  changePct: Big;
  tradeCount: number;
  /** Since 00:00 UTC. */
  today: {
    volume: Big;
    vwap: Big | undefined;
    low: Big | undefined;
    high: Big | undefined;
    tradeCount: number;
  };
}

export interface Candle {
  symbol: string;
  intervalMinutes: number;
  /** Epoch ms of the interval start. */
  intervalBegin: number;
  open: Big;
  high: Big;
  low: Big;
  close: Big;
  vwap: Big;
  volume: Big;
  trades: number;
}

/** The market: books, matching mechanics, public trade records, and the seeded background flow. */
export interface SimMarket {
  book(symbol: string): SimOrderBook;
  /** Rests a user order at the back of its price level (visible part `displayQty` for icebergs). */
  rest(
    symbol: string,
    order: { orderId: string; accountId: string; side: Side; price: Big; qty: Big; displayQty?: Big },
  ): void;
  /** Removes a resting user order; returns its remaining quantity, or undefined if not resting. */
  removeResting(symbol: string, orderId: string): Big | undefined;
  /** Changes a resting order: same price and lower quantity keep queue priority; anything else loses it. */
  amendResting(
    symbol: string,
    orderId: string,
    change: { price?: Big; qty?: Big; displayQty?: Big },
  ): boolean;
  /**
   * Matches a taker against the book in price-time order. Records public trades (ids,
   * ticker, OHLC), emits `public-trades` and `book-change`, and hands each fill of a
   * resting user order to the {@link SimMarket.onUserMakerFill} handler before returning.
   */
  executeTaker(spec: TakerSpec): TakerResult;
  /** The engine's handler for fills of resting user orders, whoever the taker was. */
  onUserMakerFill(handler: (fill: MakerFill) => void): void;
  /**
   * The engine's handler for iceberg refills of user orders (Kraken's `iceberg_refill`):
   * called right after the fill that used up the visible part. The next part went to the
   * back of its price level's queue. Optional member (added by the market module).
   */
  onIcebergRefill?(handler: (refill: IcebergRefill) => void): void;
  lastPrice(symbol: string): Big | undefined;
  ticker(symbol: string): TickerStats;
  /** Newest last. */
  recentTrades(symbol: string, count: number): PublicTrade[];
  /** REST Trades paging: `since` is the opaque cursor (ns text) from a previous `last`. */
  tradesSince(
    symbol: string,
    since: string | undefined,
    count: number,
  ): { trades: PublicTrade[]; last: string };
  candles(symbol: string, intervalMinutes: number, since?: number): Candle[];
  /** Starts the background market's timers. */
  start(): void;
  stop(): void;
}

/** Public REST methods by name (`Time`, `AssetPairs`, ...): query params in, result or Kraken error out. */
export type PublicRestApi = Record<
  string,
  (params: Readonly<Record<string, string>>) => CommandResult<unknown>
>;

export interface SimEngine extends SimExchange {
  /** Control: credit or debit a balance (a ledger `adjustment`). */
  adjustBalance(accountId: string, asset: string, amount: Big): CommandResult<void>;
  stop(): void;
}

/** A private REST request as received, handed to {@link SimAuth.authorizeRest}. */
export interface RestAuthRequest {
  /** Private method name (`Balance`, `AddOrder`, ...): decides the permission and the call-counter cost. */
  method: string;
  /** The URI path exactly as requested, query string removed (the path that was signed). */
  path: string;
  /** `API-Key` header; undefined when missing. */
  apiKey: string | undefined;
  /** `API-Sign` header; undefined when missing. */
  apiSign: string | undefined;
  /**
   * The body's `nonce` exactly as written (form field value, JSON string or JSON number
   * digits), found even in a body that is otherwise malformed; undefined when there is none.
   */
  nonce: string | undefined;
  /** The body bytes exactly as received (the signed payload). */
  body: Buffer;
  /** The client's address: failures with unknown keys are counted per IP. */
  remoteAddress: string;
}

export type RestAuthResult = { ok: true; accountId: string } | { ok: false; error: string };

export interface SimAuth {
  readonly tokens: SimTokenStore;
  /**
   * Authenticates and authorizes one private REST call: API key, lockout, API-Sign over the
   * exact body, nonce (with the key's window), permission, REST API call counter. On success
   * the nonce is consumed and the counter charged.
   */
  authorizeRest(request: RestAuthRequest): RestAuthResult;
}

export interface RestApi {
  handle(request: IncomingMessage, response: ServerResponse): void;
}

export type CreateSimMarket = (context: SimContext) => SimMarket;
export type CreateSimEngine = (
  context: SimContext,
  market: SimMarket,
  accounts: readonly SimAccountSpec[],
) => SimEngine;
export type CreateSimAuth = (context: SimContext, accounts: readonly SimAccountSpec[]) => SimAuth;
export type CreatePublicRest = (context: SimContext, market: SimMarket) => PublicRestApi;
export type CreateRestApi = (
  context: SimContext,
  deps: { auth: SimAuth; exchange: SimExchange; publicApi: PublicRestApi },
) => RestApi;
export type CreatePublicEndpoint = (context: SimContext, market: SimMarket) => SessionHandler;
export type CreatePrivateEndpoint = (
  context: SimContext,
  engine: SimEngine,
  tokens: SimTokenStore,
) => SessionHandler;
