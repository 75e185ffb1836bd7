import { createSeededRandom } from '@krakenkit/plugin-api';
import type { SimContext } from '../sim-context.js';
import { krakenErrors } from '../sim-errors.js';
import type { SimTokenStore } from '../sim-types.js';

/** Kraken: a token must be used within 15 minutes of creation. */
export const tokenValidityMs = 15 * 60_000;

interface TokenState {
  accountId: string;
  issuedAt: number;
  /** Connections the token was accepted on; there it stays valid while they live. */
  connections: Set<string>;
}

/**
 * WebSocket tokens as Kraken issues them (REST GetWebSocketsToken): opaque base64 text
 * (may contain `+ / =`), valid for 15 minutes until first use; once accepted on a
 * connection it keeps working on that connection for as long as the connection lives. Any
 * refusal (unknown, expired, invalidated) reads `ESession:Invalid session`.
 */
export class SimTokens implements SimTokenStore {
  readonly #tokens = new Map<string, TokenState>();
  readonly #random: () => number;

  constructor(private readonly context: SimContext) {
    this.#random = createSeededRandom(`${context.seed}:tokens`);
  }

  issue(accountId: string): { token: string; expiresInSeconds: number } {
    const bytes = Buffer.alloc(30);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(this.#random() * 256);
    const token = bytes.toString('base64');
    this.#tokens.set(token, { accountId, issuedAt: this.context.clock.now(), connections: new Set() });
    this.#prune();
    return { token, expiresInSeconds: tokenValidityMs / 1000 };
  }

  resolve(
    token: string,
    connectionId: string,
  ): { ok: true; accountId: string } | { ok: false; error: string } {
    const state = this.#tokens.get(token);
    if (!state) return { ok: false, error: krakenErrors.invalidSession };
    if (!state.connections.has(connectionId)) {
      if (this.context.clock.now() - state.issuedAt >= tokenValidityMs) {
        return { ok: false, error: krakenErrors.invalidSession };
      }
      state.connections.add(connectionId);
    }
    return { ok: true, accountId: state.accountId };
  }

  releaseConnection(connectionId: string): void {
    for (const state of this.#tokens.values()) state.connections.delete(connectionId);
  }

  invalidate(accountId?: string): void {
    for (const [token, state] of this.#tokens) {
      if (accountId === undefined || state.accountId === accountId) this.#tokens.delete(token);
    }
  }

  #prune(): void {
    const now = this.context.clock.now();
    for (const [token, state] of this.#tokens) {
      if (state.connections.size === 0 && now - state.issuedAt >= tokenValidityMs) this.#tokens.delete(token);
    }
  }
}
