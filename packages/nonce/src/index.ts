/**
 * Kraken REST nonces: per API key, strictly increasing decimal strings in the uint64 range,
 * across concurrent callers, restarts, wall-clock jumps and, with a shared store, processes
 * (`file`) and hosts (`redis`). `withNonce` holds the key's send lock around the request so
 * that requests reach Kraken in nonce order.
 *
 * @packageDocumentation
 */

export {
  type FileNonceStoreOptions,
  fileNonceStoreOptionsSchema,
  type NonceConfig,
  type NonceConfigInput,
  type NonceProviderOptions,
  type NonceStorage,
  nonceConfigSchema,
  nonceProviderOptionsSchema,
  type RedisNonceStoreOptions,
  redisNonceStoreOptionsSchema,
} from './nonce-config.js';
export {
  InvalidNonceError,
  NonceArgumentError,
  NonceConfigError,
  NonceExhaustedError,
  NonceFileCorruptError,
  type NonceFileProblem,
  NonceFileUnsafeError,
  NonceLockLostError,
  NonceLockTimeoutError,
  NonceScaleError,
  NonceStateError,
  NonceStoreError,
} from './nonce-errors.js';
export { FileNonceStore, type FileNonceStoreServices } from './nonce-file-store.js';
export { nonceKeyHash, nonceKeyLabel } from './nonce-key.js';
export { MemoryNonceStore } from './nonce-memory-store.js';
export { noncePlugin, noncePlugin as default } from './nonce-plugin.js';
export { StoreNonceProvider, type StoreNonceProviderServices } from './nonce-provider.js';
export { RedisNonceStore, type RedisNonceStoreServices } from './nonce-redis-store.js';
export { clockNonce, maxNonce, type NonceScale, nonceScales } from './nonce-scale.js';
export type { NonceLease, NonceRequest, NonceStore } from './nonce-store.js';
export { createNonceStore } from './nonce-store-factory.js';
