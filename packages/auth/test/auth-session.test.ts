import type {
  ExtensionDecoder,
  KrakenConnection,
  Subscription,
  WireMessage,
} from '@krakenkit/core-transport';
import { createCapturingLogger, createVirtualClock } from '@krakenkit/host/testing';
import type { Sim } from '@krakenkit/sim';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthError,
  PrivateSession,
  PrivateSessionError,
  type PrivateSessionEvents,
  WebSocketTokenProvider,
} from '../src/index.js';
import { createRestClient, simAccount, startAuthSim } from './support/auth-harness.js';
import { createPrivateConnectionFactory } from './support/private-connections.js';
import { RecordingMetrics } from './support/recording-metrics.js';
import { type RestProxy, startRestProxy } from './support/rest-proxy.js';
import { settleOnVirtualTime, until } from './support/virtual-time.js';

const alice = simAccount('alice');
const noSocket = simAccount('nosocket', { permissions: { websocket: false } });
const balances = { channel: 'balances', params: { snapshot: true } };
const decodeBalances: ExtensionDecoder = (frame) => ({ data: frame.data });

describe('PrivateSession against the sim', () => {
  let sim: Sim;
  let proxy: RestProxy;
  const sessions: PrivateSession[] = [];

  beforeAll(async () => {
    sim = await startAuthSim([alice, noSocket]);
    proxy = await startRestProxy(sim.urls.rest);
  });
  afterEach(async () => {
    proxy.onToken = undefined;
    sim.control.clearFaults();
    await Promise.all(sessions.splice(0).map((session) => session.close()));
  });
  afterAll(async () => {
    await proxy.close();
    await sim.close();
  });

  async function createSession(account = alice, config: Record<string, unknown> = {}) {
    const clock = createVirtualClock();
    const capture = createCapturingLogger({ level: 'trace' });
    const metrics = new RecordingMetrics();
    const { client, config: parsed } = await createRestClient({
      baseUrl: proxy.url,
      account,
      clock,
      logger: capture.logger,
      config: { retry: { maxAttempts: 1 }, ...config },
    });
    const tokens = new WebSocketTokenProvider(
      client,
      { token: parsed.token, breaker: parsed.breaker },
      { clock, logger: capture.logger, metrics },
    );
    const factory = createPrivateConnectionFactory(sim.urls.privateWs, { clock, logger: capture.logger });
    const session = new PrivateSession(factory, tokens, parsed.session, {
      clock,
      logger: capture.logger,
      metrics,
    });
    sessions.push(session);
    session.registerChannel('balances', decodeBalances);
    const messages: WireMessage[] = [];
    session.connection.on('message', (message) => messages.push(message));
    const events: Array<{ event: string; payload: unknown }> = [];
    for (const event of ['session-error', 'token-renewal'] as const) {
      session.on(event, (payload: PrivateSessionEvents[typeof event]) => events.push({ event, payload }));
    }
    const acks: Subscription[] = [];
    session.subscriptions.on('subscription-ack', (subscription) => acks.push(subscription));
    return { session, clock, capture, metrics, messages, events, acks, tokens };
  }

  function nextOpen(connection: KrakenConnection): Promise<void> {
    return new Promise((resolve) => connection.once('connection-open', () => resolve()));
  }

  const invalidateAfterEachToken = () => {
    proxy.onToken = () => sim.control.inject({ kind: 'invalidate-tokens', accountId: 'alice' });
  };

  it('opens lazily, subscribes to balances with the token and receives the snapshot', async () => {
    const { session, messages, clock } = await createSession();
    expect(session.connection.state).toBe('idle');
    expect(session.health()).toMatchObject({
      status: 'healthy',
      message: 'not connected yet (opens on first use)',
    });
    const subscription = await session.subscribe(balances);
    expect(subscription.state).toBe('active');
    await until(
      () => messages.some((message) => message.kind === 'extension' && message.type === 'snapshot'),
      'snapshot',
    );
    expect(session.connection.token?.reveal()).toBe(proxy.tokens.at(-1));
    clock.advance(1_500);
    expect(session.health()).toMatchObject({
      status: 'healthy',
      details: { connection: 'open', breaker: 'closed', tokenAgeMs: 1_500, subscriptions: { active: 1 } },
    });
  });

  it('token invalidated during a reconnect: a fresh token, the subscription is back and data flows', async () => {
    const { session, clock, messages, acks } = await createSession();
    await session.subscribe(balances);
    const first = session.connection.token?.reveal();
    const requests = proxy.tokens.length;
    const reopened = nextOpen(session.connection);
    sim.control.inject({ kind: 'invalidate-tokens', accountId: 'alice' });
    sim.control.inject({ kind: 'drop-connection', mode: 'reset', target: { endpoint: 'private' } });
    await settleOnVirtualTime(clock, reopened);
    await settleOnVirtualTime(
      clock,
      until(() => acks.length === 2, 'subscription replayed'),
    );
    expect(proxy.tokens.length - requests).toBe(1);
    expect(session.connection.token?.reveal()).toBe(proxy.tokens.at(-1));
    expect(session.connection.token?.reveal()).not.toBe(first);
    const before = messages.length;
    sim.control.adjustBalance('alice', 'USD', '5');
    await until(
      () =>
        messages.slice(before).some((message) => message.kind === 'extension' && message.type === 'update'),
      'balance update',
    );
    expect(session.health().status).toBe('healthy');
  });

  it('a replayed subscription refused (token revoked between fetch and use): one renewal, then back', async () => {
    const { session, clock, acks, events, metrics } = await createSession();
    await session.subscribe(balances);
    let revokeNext = true;
    proxy.onToken = () => {
      if (!revokeNext) return;
      revokeNext = false;
      sim.control.inject({ kind: 'invalidate-tokens', accountId: 'alice' });
    };
    const requests = proxy.tokens.length;
    sim.control.inject({ kind: 'drop-connection', mode: 'reset', target: { endpoint: 'private' } });
    await settleOnVirtualTime(
      clock,
      until(() => acks.length === 2, 'subscription back', 10_000),
    );
    expect(proxy.tokens.length - requests).toBe(2);
    expect(events.map((entry) => entry.event)).toEqual(['token-renewal']);
    expect(metrics.get('krakenkit_auth_session_token_renewals_total', { reason: 'replay' })).toBe(1);
    expect(
      session.subscriptions.list().map((subscription) => [subscription.state, subscription.refCount]),
    ).toEqual([['active', 1]]);
  });

  it('a subscribe refused twice (every token revoked): AuthError after exactly one renewal', async () => {
    const { session, clock, metrics } = await createSession();
    invalidateAfterEachToken();
    const failure = await settleOnVirtualTime(clock, session.subscribe(balances)).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(AuthError);
    expect(failure).toMatchObject({ problem: 'invalid-session', code: 'AUTH_INVALID_SESSION' });
    expect((failure as Error).message).toMatch(/refused the WebSocket token again after a fresh token/);
    expect(metrics.get('krakenkit_auth_session_token_renewals_total', { reason: 'refused' })).toBe(1);
    expect(session.health()).toMatchObject({ status: 'degraded', details: { subscriptions: { failed: 1 } } });
  });

  it('a replayed subscription refused twice: session-error with AuthError', async () => {
    const { session, clock, events } = await createSession();
    await session.subscribe(balances);
    invalidateAfterEachToken();
    sim.control.inject({ kind: 'drop-connection', mode: 'reset', target: { endpoint: 'private' } });
    await settleOnVirtualTime(
      clock,
      until(() => events.some((entry) => entry.event === 'session-error'), 'session error', 10_000),
    );
    const reported = events.find((entry) => entry.event === 'session-error')?.payload as {
      error: AuthError;
      subscription: string;
    };
    expect(reported.error).toBeInstanceOf(AuthError);
    expect(reported.error.problem).toBe('invalid-session');
    expect(reported.subscription).toBe('balances||');
    expect(events.filter((entry) => entry.event === 'token-renewal')).toHaveLength(1);
  });

  it('a request refused for its token is sent once more after a renewal; twice is an AuthError', async () => {
    const { session, clock } = await createSession();
    await session.subscribe(balances);
    sim.control.inject({ kind: 'invalidate-tokens', accountId: 'alice' });
    const result = await settleOnVirtualTime(clock, session.request('cancel_all', {}));
    expect(result.outcome).toBe('answered');
    expect(result.outcome === 'answered' && result.responses[0]?.success).toBe(true);

    invalidateAfterEachToken();
    sim.control.inject({ kind: 'invalidate-tokens', accountId: 'alice' });
    const failure = await settleOnVirtualTime(clock, session.request('cancel_all', {})).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(AuthError);
    expect(failure).toMatchObject({ problem: 'invalid-session', method: 'cancel_all' });
  });

  it('a key without the WebSocket permission: open and subscribe fail fast with AuthError', async () => {
    const { session } = await createSession(noSocket);
    await expect(session.open()).rejects.toMatchObject({
      problem: 'permission-denied',
      method: 'GetWebSocketsToken',
    });
    await expect(session.subscribe(balances)).rejects.toBeInstanceOf(AuthError);
    expect(session.health()).toMatchObject({ details: { lastError: 'AUTH_PERMISSION_DENIED' } });
  });

  it('logs every frame at trace with params.token redacted; after close everything is refused', async () => {
    const { session, capture } = await createSession();
    await session.subscribe(balances);
    const token = session.connection.token?.reveal() ?? '';
    const sends = capture.entries().filter((entry) => entry.msg === 'ws send');
    expect(sends.length).toBeGreaterThan(0);
    expect(sends.some((entry) => JSON.stringify(entry).includes('"token":"[REDACTED]"'))).toBe(true);
    expect(capture.lines.join('\n')).not.toContain(token);
    await session.close();
    await expect(session.subscribe(balances)).rejects.toBeInstanceOf(PrivateSessionError);
    await expect(session.request('cancel_all')).rejects.toMatchObject({ code: 'AUTH_SESSION_CLOSED' });
    expect(session.health().status).toBe('unhealthy');
  });
});
