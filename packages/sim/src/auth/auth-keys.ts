import type { SimAccountSpec } from '../sim-accounts.js';
import type { SimContext } from '../sim-context.js';
import { NonceTracker } from './auth-nonces.js';
import { RestCallCounter } from './rest-counter.js';

/** Everything the sim keeps per API key. */
export interface ApiKeyState {
  readonly account: SimAccountSpec;
  /** The private key, base64-decoded once. */
  readonly secret: Buffer;
  readonly nonces: NonceTracker;
  readonly counter: RestCallCounter;
}

/** The accounts' API keys, looked up by the public key string exactly as sent in `API-Key`. */
export class ApiKeyRegistry {
  readonly #keys = new Map<string, ApiKeyState>();

  constructor(context: SimContext, accounts: readonly SimAccountSpec[]) {
    for (const account of accounts) {
      this.#keys.set(account.apiKey, {
        account,
        secret: Buffer.from(account.apiSecret, 'base64'),
        nonces: new NonceTracker(BigInt(account.nonceWindow)),
        counter: new RestCallCounter(context.clock, account.tier),
      });
    }
  }

  get(apiKey: string | undefined): ApiKeyState | undefined {
    return apiKey === undefined ? undefined : this.#keys.get(apiKey);
  }
}
