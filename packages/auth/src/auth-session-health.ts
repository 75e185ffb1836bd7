import type { ConnectionState, Subscription } from '@krakenkit/core-transport';
import type { HealthReport } from '@krakenkit/plugin-api';
import type { TokenProviderSnapshot } from './auth-token-provider.js';

export interface SessionFacts {
  closed: boolean;
  connection: ConnectionState;
  reconnects: number;
  tokens: TokenProviderSnapshot;
  /** Monotonic now, for the token's age. */
  now: number;
  subscriptions: readonly Subscription[];
  lastErrorCode: string | undefined;
}

/**
 * The `auth.session` health report: unhealthy when closed, when the token breaker is open
 * or the connection was refused for good; degraded while (re)connecting, with a failed
 * private subscription, or with the breaker half-open. Details never hold a token.
 */
export function describeSessionHealth(facts: SessionFacts): HealthReport {
  const { tokens, connection: state } = facts;
  const subscriptions = { active: 0, pending: 0, failed: 0 };
  for (const subscription of facts.subscriptions) subscriptions[subscription.state] += 1;
  const details = {
    connection: state,
    tokenAgeMs: tokens.lastIssuedAt === undefined ? undefined : Math.round(facts.now - tokens.lastIssuedAt),
    tokensIssued: tokens.issued,
    tokenFailures: tokens.failures,
    breaker: tokens.breaker.state,
    breakerFailures: tokens.breaker.consecutiveFailures,
    breakerRetryInMs: tokens.breaker.retryInMs,
    lastError: facts.lastErrorCode,
    subscriptions,
    reconnects: facts.reconnects,
  };
  if (facts.closed) return { status: 'unhealthy', message: 'private session closed', details };
  if (tokens.breaker.state === 'open') {
    const last = tokens.breaker.lastFailure ?? 'failing';
    return { status: 'unhealthy', message: `cannot get WebSocket tokens (${last}); breaker open`, details };
  }
  if (state === 'idle')
    return { status: 'healthy', message: 'not connected yet (opens on first use)', details };
  if (state === 'closed') return { status: 'unhealthy', message: 'private connection closed', details };
  if (subscriptions.failed > 0) {
    return { status: 'degraded', message: `${subscriptions.failed} private subscription(s) failed`, details };
  }
  if (state !== 'open' || tokens.breaker.state === 'half-open') {
    return { status: 'degraded', message: `private connection ${state}`, details };
  }
  return { status: 'healthy', message: 'private connection open', details };
}
