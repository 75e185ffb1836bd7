import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { KrakenHttpClient } from '@krakenkit/core-transport';
import { MemoryNonceStore, StoreNonceProvider } from '@krakenkit/nonce';
import {
  type Clock,
  createSeededRandom,
  type Logger,
  type Metrics,
  type NonceProvider,
  silentLogger,
  systemClock,
} from '@krakenkit/plugin-api';
import { type Sim, type SimAccountInput, type StartSimOptions, startSim } from '@krakenkit/sim';
import { authConfigSchema } from '../../src/auth-config.js';
import { KrakenCredentials } from '../../src/auth-credentials.js';
import { SignedRestClient } from '../../src/auth-rest-client.js';

/** A loopback port nothing listens on (connections are refused, so requests provably never left). */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** A fresh key pair: a canary API key and a secret whose decoded bytes are canary text too. */
export function freshKeyPair(label: string): { apiKey: string; apiSecret: string; secretText: string } {
  const apiKey = `CANARYKEY${label}${randomBytes(12).toString('hex')}`;
  const secretText = `CANARYSECRET-${label}-${randomBytes(24).toString('hex')}`.slice(0, 64).padEnd(64, 'x');
  return { apiKey, apiSecret: Buffer.from(secretText).toString('base64'), secretText };
}

/** A sim account with a fresh key pair; permissions and limits as given. */
export function simAccount(
  id: string,
  overrides: Partial<SimAccountInput> = {},
): SimAccountInput & { apiKey: string; apiSecret: string } {
  const { apiKey, apiSecret } = freshKeyPair(id);
  return { id, apiKey, apiSecret, balances: { USD: '1000', BTC: '1' }, ...overrides };
}

/** The sim with no background market and, unless asked, no REST rate counter. */
export function startAuthSim(
  accounts: readonly SimAccountInput[],
  options: StartSimOptions = {},
): Promise<Sim> {
  return startSim({
    marketSpeed: 0,
    accounts,
    ...options,
    limits: { restCounter: false, ...options.limits },
  });
}

export interface RestClientSetup {
  baseUrl: string;
  account: { apiKey: string; apiSecret: string };
  /** The client's clock (backoff). Nonces use the system clock unless `nonces` is given. */
  clock?: Clock;
  nonces?: NonceProvider;
  metrics?: Metrics;
  logger?: Logger;
  config?: Record<string, unknown>;
  seed?: string;
}

/** A `SignedRestClient` the way the plugin wires one, with the test's clock, nonces and metrics. */
export async function createRestClient(setup: RestClientSetup): Promise<{
  client: SignedRestClient;
  http: KrakenHttpClient;
  nonces: NonceProvider;
  config: ReturnType<typeof authConfigSchema.parse>;
}> {
  const logger = setup.logger ?? silentLogger;
  const { apiKey, apiSecret } = setup.account;
  const config = authConfigSchema.parse({ apiKey, apiSecret, ...setup.config });
  const http = new KrakenHttpClient({
    baseUrl: setup.baseUrl,
    timeoutMs: 5_000,
    userAgent: 'krakenkit-auth-test',
    logger,
  });
  let nonces = setup.nonces;
  if (!nonces) {
    // Nonces follow real time even when the client's backoff runs on a virtual clock: the
    // sim keeps each key's high-water mark across the tests that share it.
    const provider = StoreNonceProvider.create(MemoryNonceStore.create());
    await provider.open();
    nonces = provider;
  }
  const client = new SignedRestClient(
    http,
    KrakenCredentials.from(config),
    nonces,
    { retry: config.retry, requestTimeoutMs: config.requestTimeoutMs, bodyEncoding: config.bodyEncoding },
    {
      clock: setup.clock ?? systemClock,
      random: createSeededRandom(setup.seed ?? 'auth-test'),
      logger,
      ...(setup.metrics ? { metrics: setup.metrics } : {}),
    },
  );
  return { client, http, nonces, config };
}
