import type { VirtualClock } from '@krakenkit/host/testing';
import { createMarketTestContext } from '../../../test/support/market-context.js';
import { createSimMarket } from '../../market/sim-market.js';
import { parseAccounts, type SimAccountInput } from '../../sim-accounts.js';
import type { SimContext, SimLimits } from '../../sim-context.js';
import { type Big, Decimal } from '../../sim-decimal.js';
import type { SimEngine, SimMarket } from '../../sim-modules.js';
import type { SimPair } from '../../sim-pairs.js';
import type { ExecutionEvent, LedgerEntry, OrderRequest } from '../../sim-types.js';
import type { EngineState } from '../engine-state.js';
import { createEngine } from '../sim-engine.js';

const secret = Buffer.alloc(64, 7).toString('base64');

/** Test accounts: one per tier, plus one without trade permission. */
export const harnessAccounts: SimAccountInput[] = [
  {
    id: 'alice',
    apiKey: 'alice-key-0000000000',
    apiSecret: secret,
    tier: 'intermediate',
    balances: { USD: '100000', BTC: '2', ETH: '25', POL: '200000', PEPE: '5000000000' },
  },
  {
    id: 'bob',
    apiKey: 'bob-key-000000000000',
    apiSecret: secret,
    tier: 'pro',
    balances: { USD: '250000', BTC: '5', ETH: '50', POL: '500000', PEPE: '10000000000' },
  },
  {
    id: 'starter',
    apiKey: 'starter-key-00000000',
    apiSecret: secret,
    tier: 'starter',
    balances: { USD: '1000', BTC: '0.05' },
  },
  {
    id: 'viewer',
    apiKey: 'viewer-key-000000000',
    apiSecret: secret,
    tier: 'intermediate',
    permissions: { query: true, trade: false, cancel: false, funds: true, websocket: true },
    balances: { USD: '1000' },
  },
];

export interface EngineHarness {
  context: SimContext;
  clock: VirtualClock;
  errors: unknown[];
  market: SimMarket;
  engine: SimEngine;
  state: EngineState;
  executions: ExecutionEvent[];
  ledger: LedgerEntry[];
  stop(): void;
}

/**
 * The engine on the real market, on a virtual clock, without sockets. The background flow
 * is not started (its seeded book is there: around 64000.0 for BTC/USD, 1 tick spread).
 */
export function createEngineHarness(
  options: {
    seed?: string;
    accounts?: SimAccountInput[];
    limits?: Partial<SimLimits>;
    pairs?: readonly SimPair[];
    numberFormat?: 'padded' | 'trimmed';
  } = {},
): EngineHarness {
  const { accounts, ...contextOptions } = options;
  // The background flow is not started: engine tests drive the market themselves.
  const { context, clock, errors } = createMarketTestContext({ ...contextOptions, marketSpeed: 0 });
  const { events } = context;
  const market = createSimMarket(context);
  const { engine, state } = createEngine(
    context,
    market,
    parseAccounts({ accounts: accounts ?? harnessAccounts }),
  );
  const executions: ExecutionEvent[] = [];
  const ledger: LedgerEntry[] = [];
  events.on('execution', (event) => executions.push(event));
  events.on('ledger-entry', (entry) => ledger.push(entry));
  return {
    context,
    clock,
    errors,
    market,
    engine,
    state,
    executions,
    ledger,
    stop: () => {
      engine.stop();
      market.stop();
    },
  };
}

export const d = (text: string): Big => new Decimal(text);

/** Request overrides; an `undefined` value removes the field. */
export type RequestOverrides = { [K in keyof OrderRequest]?: OrderRequest[K] | undefined };

/** Drops fields set to `undefined` (exact optional properties). */
export function clean(request: RequestOverrides): OrderRequest {
  return Object.fromEntries(
    Object.entries(request).filter(([, value]) => value !== undefined),
  ) as unknown as OrderRequest;
}

const defaults = {
  symbol: 'BTC/USD',
  timeInForce: 'gtc',
  postOnly: false,
  reduceOnly: false,
  margin: false,
  stpType: 'cancel_newest',
  validate: false,
} as const;

/** A GTC limit order request with defaults. */
export function limit(
  side: 'buy' | 'sell',
  qty: string,
  price: string,
  extra: RequestOverrides = {},
): OrderRequest {
  return clean({
    ...defaults,
    side,
    orderType: 'limit',
    qty: d(qty),
    limitPrice: { value: d(price), type: 'static' },
    ...extra,
  });
}

/** A market order request. */
export function marketOrder(side: 'buy' | 'sell', qty: string, extra: RequestOverrides = {}): OrderRequest {
  return clean({ ...defaults, side, orderType: 'market', qty: d(qty), ...extra });
}

/** The exec types reported for one order, in order. */
export function execTypesOf(h: EngineHarness, orderId: string): string[] {
  return h.executions.filter((event) => event.order.id === orderId).map((event) => event.execType);
}

/** `balance/holdTrade` of one asset as plain text. */
export function balanceOf(
  h: EngineHarness,
  accountId: string,
  asset: string,
): { balance: string; hold: string } {
  const view = h.engine.balances(accountId).get(asset);
  return { balance: view?.balance.toFixed() ?? '0', hold: view?.holdTrade.toFixed() ?? '0' };
}

/** The order id of a successful placement (fails the test otherwise). */
export function placed(result: { ok: true; value: { id: string } } | { ok: false; error: string }): string {
  if (!result.ok) throw new Error(`expected the order to be placed, got ${result.error}`);
  return result.value.id;
}
