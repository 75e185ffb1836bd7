import type { Logger } from '@krakenkit/plugin-api';
import type { NonceConfig } from './nonce-config.js';
import { FileNonceStore } from './nonce-file-store.js';
import { MemoryNonceStore } from './nonce-memory-store.js';
import { RedisNonceStore } from './nonce-redis-store.js';
import type { NonceStore } from './nonce-store.js';

/** The store a parsed {@link NonceConfig} asks for (not opened yet). */
export function createNonceStore(config: NonceConfig, services: { logger?: Logger } = {}): NonceStore {
  switch (config.storage) {
    case 'memory':
      return MemoryNonceStore.create();
    case 'file': {
      const { directory, blockMs, staleLockMs, lockTimeoutMs } = config;
      return FileNonceStore.create({ directory, blockMs, staleLockMs, lockTimeoutMs }, services);
    }
    case 'redis': {
      const { url, keyPrefix, lockTtlMs, commandTimeoutMs, lockTimeoutMs } = config;
      return RedisNonceStore.create({ url, keyPrefix, lockTtlMs, commandTimeoutMs, lockTimeoutMs }, services);
    }
  }
}
