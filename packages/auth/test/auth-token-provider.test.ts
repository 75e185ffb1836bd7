import { createVirtualClock, type VirtualClock } from '@krakenkit/host/testing';
import type { Secret } from '@krakenkit/plugin-api';
import type { Sim } from '@krakenkit/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthCircuitOpenError, AuthError, WebSocketTokenProvider } from '../src/index.js';
import { createRestClient, simAccount, startAuthSim } from './support/auth-harness.js';
import { RecordingMetrics } from './support/recording-metrics.js';
import { type RestProxy, startRestProxy } from './support/rest-proxy.js';
import { settleOnVirtualTime, until } from './support/virtual-time.js';

const alice = simAccount('alice');
const noSocket = simAccount('nosocket', { permissions: { websocket: false } });
const tokenPath = '/0/private/GetWebSocketsToken';

describe('WebSocketTokenProvider against the sim', () => {
  let sim: Sim;
  let proxy: RestProxy;

  beforeAll(async () => {
    sim = await startAuthSim([alice, noSocket]);
    proxy = await startRestProxy(sim.urls.rest);
  });
  afterAll(async () => {
    await proxy.close();
    await sim.close();
  });

  async function provider(
    account = alice,
    options: { clock?: VirtualClock; metrics?: RecordingMetrics; config?: Record<string, unknown> } = {},
  ) {
    const clock = options.clock ?? createVirtualClock();
    const { client, config } = await createRestClient({
      baseUrl: proxy.url,
      account,
      clock,
      config: { retry: { maxAttempts: 1 }, ...options.config },
      ...(options.metrics ? { metrics: options.metrics } : {}),
    });
    const tokens = new WebSocketTokenProvider(
      client,
      { token: config.token, breaker: config.breaker },
      { clock, ...(options.metrics ? { metrics: options.metrics } : {}) },
    );
    return { tokens, clock };
  }

  const tokenRequests = () => proxy.requests.get(tokenPath) ?? 0;

  it('20 concurrent callers → exactly 1 GetWebSocketsToken; the next caller gets a new token', async () => {
    const { tokens } = await provider();
    const before = tokenRequests();
    const atSim = sim.control.stats()['rest.private'] ?? 0;
    const issuedBefore = proxy.tokens.length;
    const answers = await Promise.all(Array.from({ length: 20 }, () => tokens.token()));
    expect(tokenRequests() - before).toBe(1);
    expect((sim.control.stats()['rest.private'] ?? 0) - atSim).toBe(1);
    const values = new Set(answers.map((secret: Secret<string>) => secret.reveal()));
    expect(values.size).toBe(1);
    expect([...values][0]).toBe(proxy.tokens[issuedBefore]);
    expect(String(answers[0])).toBe('[REDACTED]');

    const next = await tokens.supplier();
    expect(tokenRequests() - before).toBe(2);
    expect(values.has(next)).toBe(false);
    expect(tokens.snapshot()).toMatchObject({ issued: 2, failures: 0, inFlight: false });
  });

  it('a key without the WebSocket permission: AuthError that says which permission to enable', async () => {
    const { tokens } = await provider(noSocket);
    const failure = await tokens.token().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuthError);
    expect(failure).toMatchObject({
      problem: 'permission-denied',
      code: 'AUTH_PERMISSION_DENIED',
      method: 'GetWebSocketsToken',
      krakenError: 'EGeneral:Permission denied',
    });
    expect((failure as Error).message).toMatch(
      /lacks the 'WebSocket interface' permission.*turn on 'WebSocket interface'/,
    );
  });

  it('breaker: opens after N failures (no request while open), half-opens after the cooldown, closes on success', async () => {
    const metrics = new RecordingMetrics();
    const { tokens, clock } = await provider(alice, {
      metrics,
      config: { breaker: { failureThreshold: 3, cooldownMs: 10_000 } },
    });
    sim.control.inject(
      { kind: 'rest-error', error: 'EAPI:Permission denied', path: tokenPath },
      { count: 4 },
    );
    for (let failure = 0; failure < 3; failure++) {
      await expect(tokens.token()).rejects.toMatchObject({ problem: 'permission-denied' });
    }
    expect(tokens.snapshot().breaker).toMatchObject({
      state: 'open',
      consecutiveFailures: 3,
      lastFailure: 'AUTH_PERMISSION_DENIED',
      retryInMs: 10_000,
    });
    expect(metrics.get('krakenkit_auth_ws_token_breaker_state')).toBe(2);
    const before = tokenRequests();
    const refused = await tokens.token().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AuthCircuitOpenError);
    expect((refused as Error).message).toMatch(
      /last 3 requests failed \(last: AUTH_PERMISSION_DENIED\).*10 s/,
    );
    expect(tokenRequests()).toBe(before);

    clock.advance(10_000);
    expect(tokens.breaker.state).toBe('half-open');
    // The trial fails (the 4th fault): open again, for twice as long.
    await expect(tokens.token()).rejects.toBeInstanceOf(AuthError);
    expect(tokens.snapshot().breaker).toMatchObject({ state: 'open', retryInMs: 20_000 });
    clock.advance(20_000);
    const token = await tokens.token();
    expect(proxy.tokens).toContain(token.reveal());
    expect(tokens.snapshot().breaker).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    expect(metrics.get('krakenkit_auth_ws_token_breaker_state')).toBe(0);
    expect(metrics.get('krakenkit_auth_ws_token_requests_total', { result: 'breaker-open' })).toBe(1);
    expect(tokenRequests() - before).toBe(2);
  });

  it('a lockout opens the breaker at once, for the lockout cooldown', async () => {
    const { tokens } = await provider();
    sim.control.inject({ kind: 'rest-error', error: 'EGeneral:Temporary lockout', path: tokenPath });
    await expect(tokens.token()).rejects.toMatchObject({ problem: 'lockout' });
    expect(tokens.snapshot().breaker).toMatchObject({ state: 'open', retryInMs: 900_000 });
    await expect(tokens.token()).rejects.toBeInstanceOf(AuthCircuitOpenError);
  });

  it('retries service errors inside the REST client; the breaker stays closed', async () => {
    const { tokens, clock } = await provider(alice, { config: { retry: { maxAttempts: 3 } } });
    sim.control.inject({ kind: 'rest-error', error: 'EService:Unavailable', path: tokenPath });
    const token = await settleOnVirtualTime(clock, tokens.token());
    expect(token.reveal()).toBe(proxy.tokens.at(-1));
    expect(tokens.snapshot().breaker).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });

  it('never hands out a token that arrived past its validity: discards it and asks once more', async () => {
    const metrics = new RecordingMetrics();
    const { tokens, clock } = await provider(alice, { metrics });
    const before = tokenRequests();
    const { held, release } = proxy.hold(tokenPath);
    const pending = tokens.token();
    await held;
    const stale = proxy.tokens.at(-1);
    clock.advance(900_000 - 60_000); // the token's 15 minutes, less the safety margin, passed meanwhile
    release();
    const token = await pending;
    expect(token.reveal()).not.toBe(stale);
    expect(token.reveal()).toBe(proxy.tokens.at(-1));
    expect(tokenRequests() - before).toBe(2);
    expect(metrics.get('krakenkit_auth_ws_token_requests_total', { result: 'expired' })).toBe(1);
    expect(metrics.get('krakenkit_auth_ws_token_requests_total', { result: 'issued' })).toBe(1);

    // Late twice in a row: a typed error, and a failure for the breaker.
    const first = proxy.hold(tokenPath);
    const second = proxy.hold(tokenPath);
    const failing = tokens.token().catch((error: unknown) => error);
    await first.held;
    clock.advance(900_000);
    first.release();
    await second.held;
    clock.advance(900_000);
    second.release();
    expect(await failing).toMatchObject({ code: 'AUTH_TOKEN_EXPIRED' });
    await until(() => tokens.snapshot().failures === 1, 'failure counted');
  });
});
