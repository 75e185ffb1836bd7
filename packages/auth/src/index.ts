/**
 * Kraken Spot authentication for krakenkit: {@link KrakenCredentials} that never print,
 * exact `API-Sign` signing, {@link SignedRestClient} (signed private REST calls with safe
 * retries and nonce recovery), {@link WebSocketTokenProvider} (fresh, single-flight tokens
 * behind a circuit breaker) and {@link PrivateSession}, the authenticated WebSocket
 * connection shared by balance and orders. `authPlugin` wires them in a host.
 *
 * @packageDocumentation
 */

export { decideFailure, type FailureDecision, stateChangingMethods } from './auth-call-policy.js';
export {
  CircuitBreaker,
  type CircuitBreakerSnapshot,
  type CircuitState,
  type CircuitTransitionListener,
} from './auth-circuit-breaker.js';
export {
  type AuthBreakerOptions,
  type AuthConfig,
  type AuthConfigInput,
  type AuthRetryOptions,
  type AuthSessionOptions,
  type AuthTokenOptions,
  authBreakerConfigSchema,
  authConfigSchema,
  authRetryConfigSchema,
  authSessionConfigSchema,
  authTokenConfigSchema,
} from './auth-config.js';
export { apiSecretProblem, type CredentialsInput, KrakenCredentials } from './auth-credentials.js';
export { type LoadedCredentials, loadCredentialsFile } from './auth-credentials-file.js';
export {
  AuthCircuitOpenError,
  AuthError,
  type AuthProblem,
  CredentialsError,
  type CredentialsProblem,
  OutcomeUnknownError,
  PrivateRequestError,
  PrivateSessionError,
} from './auth-errors.js';
export { authPlugin, authPlugin as default } from './auth-plugin.js';
export {
  type BodyEncoding,
  encodePrivateBody,
  type PrivateParams,
  type PrivateParamValue,
} from './auth-request-body.js';
export {
  type PrivateCallOptions,
  SignedRestClient,
  type SignedRestClientOptions,
  type SignedRestClientServices,
} from './auth-rest-client.js';
export {
  PrivateSession,
  type PrivateSessionEvents,
  type PrivateSessionServices,
  type PrivateSubscriptionSpec,
} from './auth-session.js';
export { signApiRequest } from './auth-signature.js';
export {
  type TokenProviderSnapshot,
  WebSocketTokenProvider,
  type WebSocketTokenProviderServices,
} from './auth-token-provider.js';
export { privateSessionToken, signedRestClientToken, webSocketTokenProviderToken } from './auth-tokens.js';
