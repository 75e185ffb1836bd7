import { httpClientToken, privateConnectionFactoryToken } from '@krakenkit/core-transport';
import { definePlugin, healthCheckToken, nonceProviderToken } from '@krakenkit/plugin-api';
import { authConfigSchema } from './auth-config.js';
import { KrakenCredentials } from './auth-credentials.js';
import { SignedRestClient } from './auth-rest-client.js';
import { PrivateSession } from './auth-session.js';
import { WebSocketTokenProvider } from './auth-token-provider.js';
import { privateSessionToken, signedRestClientToken, webSocketTokenProviderToken } from './auth-tokens.js';

/**
 * Provides signed private REST calls, WebSocket tokens and the authenticated WebSocket
 * session, plus an `auth.session` health check. Setup only wires (the credentials are
 * checked here, so a bad secret fails before anything starts); the private connection
 * opens on first use, or in `onStart` with `session.connectOnStart`. `onStop` refuses new
 * calls and closes the connection.
 */
export const authPlugin = definePlugin({
  id: 'auth',
  configSchema: authConfigSchema,
  deps: {
    nonces: nonceProviderToken,
    http: httpClientToken,
    privateConnections: privateConnectionFactoryToken,
  },
  provides: {
    restClient: signedRestClientToken,
    tokenProvider: webSocketTokenProviderToken,
    session: privateSessionToken,
    health: healthCheckToken,
  },
  setup: ({ config, deps, clock, random, logger, metrics, onStart, onStop }) => {
    const credentials = KrakenCredentials.from(config);
    const services = { clock, random, metrics };
    const restClient = new SignedRestClient(
      deps.http,
      credentials,
      deps.nonces,
      { retry: config.retry, requestTimeoutMs: config.requestTimeoutMs, bodyEncoding: config.bodyEncoding },
      { ...services, logger: logger.child({ component: 'rest' }) },
    );
    const tokenProvider = new WebSocketTokenProvider(
      restClient,
      { token: config.token, breaker: config.breaker },
      { ...services, logger: logger.child({ component: 'token' }) },
    );
    const session = new PrivateSession(deps.privateConnections, tokenProvider, config.session, {
      ...services,
      logger: logger.child({ component: 'session' }),
    });
    onStart(async () => {
      logger.info({ key: credentials.keyLabel }, 'auth ready (the key is named by its hash prefix)');
      if (config.session.connectOnStart) await session.open();
    });
    onStop(async () => {
      restClient.close();
      await session.close();
    });
    return {
      restClient,
      tokenProvider,
      session,
      health: { name: 'auth.session', check: () => session.health() },
    };
  },
});

export default authPlugin;
