import type { NonceScale } from './nonce-scale.js';

/** One request for a nonce, as the provider hands it to a store. */
export interface NonceRequest {
  /** {@link nonceKeyHash} of the API key; stores never see the key itself. */
  readonly keyHash: string;
  /** The provider's scale; stores refuse it when the key already uses a larger one. */
  readonly scale: NonceScale;
  /** The clock-based candidate at this instant (called under the lock, after any wait). */
  clockNonce(): bigint;
}

/**
 * The key's send lock, held, with the first nonce issued under it. Further nonces and floor
 * raises for the same key go through the lease while it is held (a nested `withNonce`, or
 * `raiseFloor` called from inside `send`), since the lock is not re-entrant.
 */
export interface NonceLease {
  readonly nonce: bigint;
  /** False once released. */
  readonly active: boolean;
  issue(request: NonceRequest): Promise<bigint>;
  raiseFloor(atLeast: bigint): Promise<void>;
  /** Releases the lock. Never throws for a lock that expired or was taken over: it logs. */
  release(): Promise<void>;
}

/**
 * Where a key's high-water mark lives and how its send lock is shared. Implement it to put
 * nonces somewhere else (a database); the provider adds scale, validation, the in-process
 * queue, metrics and logging. Every method fails closed: it throws rather than return a nonce
 * it could not persist.
 */
export interface NonceStore {
  /** `'memory'`, `'file'`, `'redis'`, or your own; used in metrics labels and messages. */
  readonly storage: string;
  /** Opens files or connections and checks them; called once before any other method. */
  open(): Promise<void>;
  close(): Promise<void>;
  /** A nonce strictly above every nonce issued for the key, persisted before it is returned. */
  issue(request: NonceRequest): Promise<bigint>;
  /** Takes the key's send lock (across processes, for shared stores) and issues a nonce under it. */
  acquire(request: NonceRequest): Promise<NonceLease>;
  /** Every later nonce for the key exceeds `atLeast`. */
  raiseFloor(keyHash: string, atLeast: bigint): Promise<void>;
}
