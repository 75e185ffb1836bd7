import { createToken } from './plugin-token.js';

/**
 * Issues Kraken REST nonces. Per API key, every nonce is a decimal string in the uint64
 * range and strictly greater than every nonce this provider ever returned for that key:
 * across concurrent callers, restarts and wall-clock jumps, and, with a shared store,
 * across processes and hosts.
 */
export interface NonceProvider {
  /** A fresh nonce for the key. */
  next(apiKey: string): Promise<string>;
  /**
   * Runs `send` with a fresh nonce while holding the key's send lock (in-process for the
   * memory store; across processes or hosts for shared stores), so requests signed with
   * this key reach Kraken in nonce order. Wrap sign → send → response in it: a higher nonce
   * overtaking a lower one in flight is the usual cause of `EAPI:Invalid nonce`.
   */
  withNonce<T>(apiKey: string, send: (nonce: string) => Promise<T>): Promise<T>;
  /**
   * Called after Kraken answered `EAPI:Invalid nonce`: every later nonce for the key must
   * exceed `atLeast` (the rejected nonce, or a better estimate of the server's high-water mark).
   */
  raiseFloor(apiKey: string, atLeast: string): Promise<void>;
}

export const nonceProviderToken = createToken<NonceProvider>({
  id: 'nonce.provider',
  providedBy: '@krakenkit/nonce',
});
