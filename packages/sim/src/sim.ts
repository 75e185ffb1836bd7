import { type Clock, systemClock } from '@krakenkit/plugin-api';
import { createSimAuth } from './auth/sim-auth.js';
import { createSimEngine } from './engine/sim-engine.js';
import { createSimMarket } from './market/sim-market.js';
import { createPrivateEndpoint } from './private-ws/private-endpoint.js';
import { createPublicEndpoint } from './public-ws/public-endpoint.js';
import { createRestApi } from './rest/rest-api.js';
import { createPublicRest } from './rest/rest-public.js';
import { ConnectionBudget } from './server/connection-budget.js';
import { EndpointServer } from './server/sim-http.js';
import {
  loadAccountsFile,
  parseAccounts,
  type SimAccountInput,
  type SimAccountSpec,
  sampleAccountsPath,
} from './sim-accounts.js';
import { SimClock } from './sim-clock.js';
import { createSimContext, type SimContext, type SimLimits } from './sim-context.js';
import { createSimControl, type SimControl } from './sim-control.js';
import {
  defaultAssets,
  defaultPairs,
  type SimAsset,
  type SimPair,
  simAssetSchema,
  simPairSchema,
} from './sim-pairs.js';
import { SimConnections } from './ws/sim-connections.js';

export interface StartSimOptions {
  /** Interface to bind. Default `127.0.0.1`. */
  host?: string;
  /** Port of the public endpoint (public WS `/v2` and REST `/0/...`). Default 0: any free port. */
  port?: number;
  /** Port of the private endpoint (authenticated WS `/v2`). Default 0: any free port. */
  privatePort?: number;
  /** Same seed, same market stream and fault content. Default `1`. */
  seed?: number | string;
  /** Tradable pairs. Default: BTC/USD, ETH/USD, POL/USD (4 decimals), PEPE/USD (8 decimals). */
  pairs?: readonly SimPair[];
  assets?: readonly SimAsset[];
  /** Accounts (keys, secrets, balances, tier), or a path to an accounts JSON file. Default: the sample file. */
  accounts?: readonly SimAccountInput[] | string;
  /** Multiplies the background market's event rates; 0 freezes it. Default 1. */
  marketSpeed?: number;
  /** Wire format of prices and quantities. Default `padded` (pair precision, trailing zeros kept). */
  numberFormat?: 'padded' | 'trimmed';
  limits?: Partial<SimLimits>;
  /** Default: the system clock. Tests may pass a virtual clock. */
  clock?: Clock;
}

export interface SimUrls {
  /** Public WebSocket v2, like `wss://ws.kraken.com/v2`. */
  publicWs: string;
  /** Private WebSocket v2, like `wss://ws-auth.kraken.com/v2`. */
  privateWs: string;
  /** REST base, like `https://api.kraken.com` (paths `/0/public/...`, `/0/private/...`). */
  rest: string;
}

export interface Sim extends AsyncDisposable {
  readonly urls: SimUrls;
  /** The accounts, with their API keys and secrets (this is a test exchange). */
  readonly accounts: readonly SimAccountSpec[];
  readonly pairs: readonly SimPair[];
  readonly control: SimControl;
  close(): Promise<void>;
}

/** Starts a local Kraken Spot exchange on loopback. */
export async function startSim(options: StartSimOptions = {}): Promise<Sim> {
  const seed = String(options.seed ?? 1);
  const pairs = (options.pairs ?? defaultPairs).map((pair) => simPairSchema.parse(pair));
  const assets = (options.assets ?? defaultAssets).map((asset) => simAssetSchema.parse(asset));
  const accounts =
    typeof options.accounts === 'string'
      ? loadAccountsFile(options.accounts)
      : options.accounts
        ? parseAccounts({ accounts: options.accounts })
        : loadAccountsFile(sampleAccountsPath);

  const clock = new SimClock(options.clock ?? systemClock);
  const internalErrors: unknown[] = [];
  const context: SimContext = createSimContext({
    seed,
    clock,
    pairs,
    assets,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.numberFormat ? { numberFormat: options.numberFormat } : {}),
    ...(options.marketSpeed === undefined ? {} : { marketSpeed: options.marketSpeed }),
    reportError: (error) => {
      internalErrors.push(error);
      context.stats.count('sim.internal_errors');
    },
  });
  context.faults.registerActor('clock-offset', (fault) => clock.setOffset(fault.offsetMs));

  const market = createSimMarket(context);
  const engine = createSimEngine(context, market, accounts);
  const auth = createSimAuth(context, accounts);
  const rest = createRestApi(context, {
    auth,
    exchange: engine,
    publicApi: createPublicRest(context, market),
  });
  const connections = new SimConnections(context);
  const budget = new ConnectionBudget(context);
  context.faults.registerActor('invalidate-tokens', (fault) => auth.tokens.invalidate(fault.accountId));

  const publicServer = new EndpointServer({
    context,
    endpoint: 'public',
    handler: createPublicEndpoint(context, market),
    connections,
    budget,
    rest: (request, response) => rest.handle(request, response),
  });
  const privateServer = new EndpointServer({
    context,
    endpoint: 'private',
    handler: createPrivateEndpoint(context, engine, auth.tokens),
    connections,
    budget,
  });
  const host = options.host ?? '127.0.0.1';
  const publicPort = await publicServer.listen(host, options.port ?? 0);
  const privatePort = await privateServer.listen(host, options.privatePort ?? 0);
  market.start();

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      market.stop();
      engine.stop();
      context.faults.clear();
      connections.closeAll();
      await Promise.all([publicServer.close(), privateServer.close()]);
    })();
    return closing;
  };
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    urls: {
      publicWs: `ws://${urlHost}:${publicPort}/v2`,
      privateWs: `ws://${urlHost}:${privatePort}/v2`,
      rest: `http://${urlHost}:${publicPort}`,
    },
    accounts,
    pairs,
    control: createSimControl({ context, engine, tokens: auth.tokens, connections, budget, internalErrors }),
    close,
    [Symbol.asyncDispose]: close,
  };
}
