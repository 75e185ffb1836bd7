import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type Clock,
  type Counter,
  type Histogram,
  KrakenkitError,
  type Logger,
  type Metrics,
  type NonceProvider,
  silentLogger,
  silentMetrics,
  systemClock,
} from '@krakenkit/plugin-api';
import type { z } from 'zod';
import { type NonceProviderOptions, nonceProviderOptionsSchema, parseNonceOptions } from './nonce-config.js';
import { NonceLockTimeoutError, NonceStateError, NonceStoreError } from './nonce-errors.js';
import { nonceKeyHash, nonceKeyLabel } from './nonce-key.js';
import { NonceKeyQueue } from './nonce-key-queue.js';
import { clockNonce, parseNonce } from './nonce-scale.js';
import type { NonceLease, NonceRequest, NonceStore } from './nonce-store.js';

export interface StoreNonceProviderServices {
  /** Wall clock for clock-based nonces. Default: the system clock. */
  clock?: Clock;
  logger?: Logger;
  metrics?: Metrics;
}

type ProviderState = 'created' | 'opening' | 'open' | 'closing' | 'closed';

// Hashing every call would cost more than issuing from memory; keys per process are few.
const maxCachedKeys = 64;

/**
 * The {@link NonceProvider}: scale and clock, argument checks, a per-key in-process FIFO
 * queue for `withNonce`, metrics and logging, on top of a {@link NonceStore} that keeps the
 * high-water mark and the cross-process lock.
 *
 * `withNonce` is re-entrant per key: inside `send`, `next`, `withNonce` and `raiseFloor` for
 * the same key run under the lock already held instead of waiting for it (which would
 * deadlock).
 */
export class StoreNonceProvider implements NonceProvider, AsyncDisposable {
  readonly options: NonceProviderOptions;
  readonly store: NonceStore;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #queue: NonceKeyQueue;
  readonly #held = new AsyncLocalStorage<ReadonlyMap<string, NonceLease>>();
  readonly #hashes = new Map<string, string>();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #issued: Counter<'storage'>;
  readonly #floorRaises: Counter<'storage'>;
  readonly #failures: Counter<'storage' | 'code'>;
  readonly #lockWait: Histogram<'storage'>;
  #state: ProviderState = 'created';
  #opening: Promise<void> | undefined;
  #closing: Promise<void> | undefined;

  private constructor(
    store: NonceStore,
    options: NonceProviderOptions,
    services: StoreNonceProviderServices,
  ) {
    this.store = store;
    this.options = options;
    this.#clock = services.clock ?? systemClock;
    this.#logger = services.logger ?? silentLogger;
    this.#queue = new NonceKeyQueue(this.#clock);
    const metrics = services.metrics ?? silentMetrics;
    this.#issued = metrics.counter({
      name: 'krakenkit_nonce_issued_total',
      help: 'Nonces issued.',
      labelNames: ['storage'],
    });
    this.#floorRaises = metrics.counter({
      name: 'krakenkit_nonce_floor_raises_total',
      help: 'raiseFloor calls (after EAPI:Invalid nonce).',
      labelNames: ['storage'],
    });
    this.#failures = metrics.counter({
      name: 'krakenkit_nonce_failures_total',
      help: 'Nonce requests that failed closed, by error code.',
      labelNames: ['storage', 'code'],
    });
    this.#lockWait = metrics.histogram({
      name: 'krakenkit_nonce_lock_wait_seconds',
      help: 'Time withNonce waited for the key’s send lock.',
      labelNames: ['storage'],
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    });
  }

  /**
   * Wires a provider to `store`; `options` (`scale`, `lockTimeoutMs`) are parsed with
   * {@link nonceProviderOptionsSchema}. Call {@link StoreNonceProvider.open} before use.
   */
  static create(
    store: NonceStore,
    options: z.input<typeof nonceProviderOptionsSchema> = {},
    services: StoreNonceProviderServices = {},
  ): StoreNonceProvider {
    return new StoreNonceProvider(
      store,
      parseNonceOptions(nonceProviderOptionsSchema, options, 'nonce provider options'),
      services,
    );
  }

  /** Opens the store (files, connection). Calling it again returns the same promise. */
  open(): Promise<void> {
    if (this.#closing !== undefined) return Promise.reject(new NonceStateError('nonce provider', 'closed'));
    this.#opening ??= this.#open();
    return this.#opening;
  }

  async #open(): Promise<void> {
    this.#state = 'opening';
    try {
      await this.store.open();
    } catch (error) {
      this.#state = 'closed';
      throw error;
    }
    if (this.#closing !== undefined) return; // close() was called meanwhile; it closes the store
    this.#state = 'open';
    this.#logger.info({ storage: this.store.storage, scale: this.options.scale }, 'nonce provider open');
  }

  /** Refuses new requests, waits for those in flight (their sends included), then closes the store. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    // Synchronous up to the first await: requests made right after close() are refused.
    if (this.#state !== 'closed') this.#state = 'closing';
    const opened = this.#opening
      ? await this.#opening.then(
          () => true,
          () => false,
        )
      : false;
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
    this.#state = 'closed';
    if (opened) await this.store.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  next(apiKey: string): Promise<string> {
    return this.#track(apiKey, async (keyHash) => {
      const lease = this.#heldLease(keyHash);
      const request = this.#request(keyHash);
      const nonce = await this.#storeStep('issue a nonce', keyHash, () =>
        lease ? lease.issue(request) : this.store.issue(request),
      );
      this.#issued.inc({ storage: this.store.storage });
      return nonce.toString();
    });
  }

  withNonce<T>(apiKey: string, send: (nonce: string) => Promise<T>): Promise<T> {
    return this.#track(apiKey, async (keyHash) => {
      const held = this.#heldLease(keyHash);
      if (held) {
        // Nested in a send for the same key: the lock is ours already.
        const nonce = await this.#storeStep('issue a nonce', keyHash, () =>
          held.issue(this.#request(keyHash)),
        );
        this.#issued.inc({ storage: this.store.storage });
        return send(nonce.toString());
      }
      const started = this.#clock.monotonic();
      const { lockTimeoutMs } = this.options;
      const releaseKey = await this.#storeStep('wait for the send lock', keyHash, () =>
        this.#queue.acquire(
          keyHash,
          lockTimeoutMs,
          () => new NonceLockTimeoutError(keyHash, lockTimeoutMs, 'an earlier request of this process'),
        ),
      );
      let lease: NonceLease;
      try {
        lease = await this.#storeStep('issue a nonce', keyHash, () =>
          this.store.acquire(this.#request(keyHash)),
        );
      } catch (error) {
        releaseKey();
        throw error;
      }
      this.#lockWait.observe({ storage: this.store.storage }, (this.#clock.monotonic() - started) / 1_000);
      this.#issued.inc({ storage: this.store.storage });
      const leases = new Map(this.#held.getStore() ?? []);
      leases.set(keyHash, lease);
      try {
        // Errors from `send` are the caller's own and pass through untouched.
        return await this.#held.run(leases, () => send(lease.nonce.toString()));
      } finally {
        await lease.release().catch((error: unknown) => {
          this.#logger.error({ key: nonceKeyLabel(keyHash), err: error }, 'could not release the nonce lock');
        });
        releaseKey();
      }
    });
  }

  raiseFloor(apiKey: string, atLeast: string): Promise<void> {
    let floor: bigint;
    try {
      floor = parseNonce(atLeast, 'raiseFloor atLeast');
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#track(apiKey, async (keyHash) => {
      const lease = this.#heldLease(keyHash);
      await this.#storeStep('raise the floor', keyHash, () =>
        lease ? lease.raiseFloor(floor) : this.store.raiseFloor(keyHash, floor),
      );
      this.#floorRaises.inc({ storage: this.store.storage });
      this.#logger.warn(
        { key: nonceKeyLabel(keyHash), atLeast },
        'raised the nonce floor (Kraken rejected a nonce); every later nonce for this key is above it',
      );
    });
  }

  #request(keyHash: string): NonceRequest {
    const { scale } = this.options;
    return { keyHash, scale, clockNonce: () => clockNonce(this.#clock.now(), scale) };
  }

  #heldLease(keyHash: string): NonceLease | undefined {
    const lease = this.#held.getStore()?.get(keyHash);
    // Work started inside `send` may outlive it; a released lease is no longer ours.
    return lease?.active ? lease : undefined;
  }

  #hash(apiKey: string): string {
    let keyHash = this.#hashes.get(apiKey);
    if (keyHash === undefined) {
      keyHash = nonceKeyHash(apiKey);
      if (this.#hashes.size >= maxCachedKeys) this.#hashes.clear();
      this.#hashes.set(apiKey, keyHash);
    }
    return keyHash;
  }

  /** Checks state and key, and counts the call as in flight for `close`. */
  #track<T>(apiKey: string, run: (keyHash: string) => Promise<T>): Promise<T> {
    if (this.#state !== 'open') {
      const state = this.#state === 'opening' ? 'created' : this.#state;
      return Promise.reject(new NonceStateError('nonce provider', state));
    }
    let keyHash: string;
    try {
      keyHash = this.#hash(apiKey);
    } catch (error) {
      return Promise.reject(error);
    }
    const promise = run(keyHash);
    this.#inFlight.add(promise);
    const forget = () => this.#inFlight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  /** Runs a store step; a failure is typed (fs and Redis errors become NonceStoreError), counted and logged. */
  async #storeStep<T>(operation: string, keyHash: string, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      const typed =
        error instanceof KrakenkitError
          ? error
          : new NonceStoreError(this.store.storage, operation, error, { keyHash });
      this.#failures.inc({ storage: this.store.storage, code: typed.code });
      this.#logger.error(
        { key: nonceKeyLabel(keyHash), code: typed.code, err: typed.message },
        `could not ${operation}; no nonce was issued`,
      );
      throw typed;
    }
  }
}
