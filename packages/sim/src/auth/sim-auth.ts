import type { SimContext } from '../sim-context.js';
import { krakenErrors } from '../sim-errors.js';
import type { CreateSimAuth, RestAuthRequest, RestAuthResult, SimAuth } from '../sim-modules.js';
import { ApiKeyRegistry } from './auth-keys.js';
import { AuthLockout } from './auth-lockout.js';
import { parseNonce } from './auth-nonces.js';
import { permits } from './auth-permissions.js';
import { verifyApiSign } from './auth-signature.js';
import { restCallCost } from './rest-counter.js';
import { SimTokens } from './sim-token-store.js';

/**
 * Authentication and authorization for private REST calls. Checks run in this order (Kraken
 * documents none; this one gives each failure its most useful error):
 *
 * 1. `API-Key` unknown or missing → `EAPI:Invalid key` (a failure counted against the IP);
 *    while that IP is locked out, such requests get `EGeneral:Temporary lockout` instead.
 * 2. The key is locked out → `EGeneral:Temporary lockout` (nothing else is checked).
 * 3. `API-Sign` does not match → `EAPI:Invalid signature` (failure). It is checked first,
 *    over the exact body bytes with the nonce text the body carries (empty when it has
 *    none), so any corruption of path, body or signature reads as a bad signature.
 * 4. The nonce is not a uint64 → `EAPI:Invalid nonce` (failure).
 * 5. The nonce is not fresh for the key (`NonceTracker`: strictly increasing, or inside the key's window) → `EAPI:Invalid nonce` (failure).
 * 6. The nonce is consumed; the key lacks the method's permission → `EGeneral:Permission denied`.
 * 7. The REST call counter would overflow → `EAPI:Rate limit exceeded`.
 */
export function createAuthorizer(
  context: SimContext,
  keys: ApiKeyRegistry,
): (request: RestAuthRequest) => RestAuthResult {
  const lockout = new AuthLockout(context);
  const { stats } = context;
  const fail = (subject: string, error: string, stat: string): RestAuthResult => {
    stats.count(`auth.${stat}`);
    if (lockout.recordFailure(subject)) stats.count('auth.lockouts_started');
    return { ok: false, error };
  };

  return (request) => {
    const key = keys.get(request.apiKey);
    if (!key) {
      const subject = `ip:${request.remoteAddress}`;
      if (lockout.locked(subject)) {
        stats.count('auth.locked_out');
        return { ok: false, error: krakenErrors.lockout };
      }
      return fail(subject, krakenErrors.invalidKey, 'invalid_key');
    }
    const subject = `key:${key.account.apiKey}`;
    if (lockout.locked(subject)) {
      stats.count('auth.locked_out');
      return { ok: false, error: krakenErrors.lockout };
    }
    if (!verifyApiSign(request.apiSign, request.path, request.nonce ?? '', request.body, key.secret)) {
      return fail(subject, krakenErrors.invalidSignature, 'invalid_signature');
    }
    const nonce = parseNonce(request.nonce);
    if (nonce === undefined || !key.nonces.acceptable(nonce)) {
      return fail(subject, krakenErrors.invalidNonce, 'invalid_nonce');
    }
    key.nonces.accept(nonce);
    if (!permits(key.account.permissions, request.method)) {
      stats.count('auth.permission_denied');
      return { ok: false, error: krakenErrors.permissionDenied };
    }
    if (context.limits.restCounter && !key.counter.charge(restCallCost(request.method))) {
      stats.count('auth.rest_rate_limited');
      return { ok: false, error: krakenErrors.restRateLimit };
    }
    return { ok: true, accountId: key.account.id };
  };
}

/** The sim's auth module: API keys for REST, WebSocket tokens for the private WS. */
export const createSimAuth: CreateSimAuth = (context, accounts): SimAuth => {
  const authorizeRest = createAuthorizer(context, new ApiKeyRegistry(context, accounts));
  return { tokens: new SimTokens(context), authorizeRest };
};
