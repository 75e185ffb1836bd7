import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, createSeededRandom, systemClock } from '@krakenkit/plugin-api';
import { createSimAuth } from '../../src/auth/sim-auth.js';
import { createRestApi } from '../../src/rest/rest-api.js';
import { parseAccounts, type SimAccountInput, type SimAccountSpec } from '../../src/sim-accounts.js';
import { SimClock } from '../../src/sim-clock.js';
import { defaultLimits, type SimContext, type SimLimits } from '../../src/sim-context.js';
import { SimEvents } from '../../src/sim-events.js';
import { FaultInjector } from '../../src/sim-faults.js';
import type { PublicRestApi } from '../../src/sim-modules.js';
import { defaultAssets, defaultPairs, SimPairCatalog } from '../../src/sim-pairs.js';
import { SimStats } from '../../src/sim-stats.js';
import { SimStatus } from '../../src/sim-status.js';
import type { SimExchange } from '../../src/sim-types.js';

const failed = () => ({ ok: false as const, error: 'EGeneral:Internal error' });

/** An exchange that refuses every command and knows nothing; tests override what they need. */
export function emptyExchange(overrides: Partial<SimExchange> = {}): SimExchange {
  return {
    hasAccount: () => true,
    addOrder: failed,
    batchAdd: failed,
    amendOrder: failed,
    editOrder: failed,
    cancelOrders: failed,
    cancelAll: failed,
    cancelAllOrdersAfter: failed,
    openOrders: () => [],
    closedOrders: () => ({ orders: [], count: 0 }),
    queryOrders: () => [],
    trades: () => ({ fills: [], count: 0 }),
    recentFills: () => [],
    ledger: () => [],
    balances: () => new Map(),
    rateCounter: () => 0,
    maxRateCount: () => 125,
    ...overrides,
  };
}

export interface RestHarness extends AsyncDisposable {
  url: string;
  context: SimContext;
  accounts: readonly SimAccountSpec[];
  internalErrors: unknown[];
  close(): Promise<void>;
}

/**
 * The REST API alone on a loopback HTTP server, over a given exchange (a stand-in for the
 * engine): endpoint mapping and formatting are tested without the engine and market.
 */
export async function startRestHarness(
  options: {
    exchange?: SimExchange;
    publicApi?: PublicRestApi;
    accounts?: readonly SimAccountInput[];
    limits?: Partial<SimLimits>;
    clock?: Clock;
  } = {},
): Promise<RestHarness> {
  const clock = new SimClock(options.clock ?? systemClock);
  const events = new SimEvents();
  const internalErrors: unknown[] = [];
  const context: SimContext = {
    seed: '1',
    clock,
    random: createSeededRandom('1:sim'),
    catalog: new SimPairCatalog(defaultPairs, defaultAssets),
    events,
    status: new SimStatus(events),
    faults: new FaultInjector(clock, createSeededRandom('1:faults')),
    stats: new SimStats(),
    limits: { ...defaultLimits, ...options.limits },
    numberFormat: 'padded',
    marketSpeed: 0,
    reportError: (error) => {
      internalErrors.push(error);
    },
  };
  const accounts = parseAccounts({ accounts: options.accounts ?? [testAccount] });
  const rest = createRestApi(context, {
    auth: createSimAuth(context, accounts),
    exchange: options.exchange ?? emptyExchange(),
    publicApi: options.publicApi ?? {},
  });
  const server = createServer((request, response) => rest.handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    url: `http://127.0.0.1:${port}`,
    context,
    accounts,
    internalErrors,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Kraken's published test-vector secret on a sim account. */
export const vectorSecret =
  'kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==';

export const testAccount: SimAccountInput = {
  id: 'tester',
  apiKey: 'tester-api-key-0000000000000000',
  apiSecret: vectorSecret,
  tier: 'pro',
};
