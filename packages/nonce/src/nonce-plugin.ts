import { definePlugin, nonceProviderToken } from '@krakenkit/plugin-api';
import { nonceConfigSchema } from './nonce-config.js';
import { StoreNonceProvider } from './nonce-provider.js';
import { createNonceStore } from './nonce-store-factory.js';

/**
 * Provides `nonceProviderToken`: strictly increasing Kraken nonces per API key, from the
 * store chosen by config (`memory`, `file`, `redis`). Setup only wires; the store is opened
 * (files checked, Redis connected) on start and closed on stop.
 */
export const noncePlugin = definePlugin({
  id: 'nonce',
  configSchema: nonceConfigSchema,
  provides: { provider: nonceProviderToken },
  setup: ({ config, clock, logger, metrics, onStart, onStop }) => {
    const store = createNonceStore(config, { logger: logger.child({ storage: config.storage }) });
    const provider = StoreNonceProvider.create(
      store,
      { scale: config.scale, lockTimeoutMs: config.lockTimeoutMs },
      { clock, logger, metrics },
    );
    onStart(async () => {
      await provider.open();
      if (config.storage === 'memory') {
        logger.info(
          'nonces are kept in this process only: use each API key in one process, or set storage to file or redis to share a key',
        );
      }
    });
    onStop(() => provider.close());
    return { provider };
  },
});

export default noncePlugin;
