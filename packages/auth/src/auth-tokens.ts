import { createToken } from '@krakenkit/plugin-api';
import type { SignedRestClient } from './auth-rest-client.js';
import type { PrivateSession } from './auth-session.js';
import type { WebSocketTokenProvider } from './auth-token-provider.js';

const providedBy = '@krakenkit/auth';

/** Signed private REST calls (`call('Balance')`), for rest-fallback, balance and orders. */
export const signedRestClientToken = createToken<SignedRestClient>({ id: 'auth.restClient', providedBy });

/** WebSocket tokens (single-flight, fresh per connection, circuit breaker). */
export const webSocketTokenProviderToken = createToken<WebSocketTokenProvider>({
  id: 'auth.tokenProvider',
  providedBy,
});

/** The authenticated WebSocket session shared by balance and orders. */
export const privateSessionToken = createToken<PrivateSession>({ id: 'auth.privateSession', providedBy });
