import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { coreTransportPlugin } from '@krakenkit/core-transport';
import { createCapturingLogger, createVirtualClock, provide, startTestHost } from '@krakenkit/host/testing';
import noncePlugin from '@krakenkit/nonce';
import { healthCheckToken, metricsBackendToken } from '@krakenkit/plugin-api';
import type { Sim } from '@krakenkit/sim';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  authConfigSchema,
  authPlugin,
  KrakenCredentials,
  loadCredentialsFile,
  PrivateSession,
  privateSessionToken,
  signedRestClientToken,
  WebSocketTokenProvider,
  webSocketTokenProviderToken,
} from '../src/index.js';
import {
  closedPort,
  createRestClient,
  freshKeyPair,
  simAccount,
  startAuthSim,
} from './support/auth-harness.js';
import { canaryForms, errorTexts, scanForCanaries } from './support/canary-scan.js';
import { createPrivateConnectionFactory } from './support/private-connections.js';
import { RecordingMetrics } from './support/recording-metrics.js';
import { type RestProxy, startRestProxy } from './support/rest-proxy.js';
import { settleOnVirtualTime, until } from './support/virtual-time.js';

// The main security test (research/reliability.md §4.1): every scenario of this package runs
// with canary credentials at trace level; nothing it prints, throws, logs, inspects,
// serializes, counts or writes may contain a key, secret, WS token or signature, in any form.

const canary = simAccount('canary');
const noSocket = simAccount('canarynows', { permissions: { websocket: false } });
// Its own key: the host's nonces follow the host's virtual clock, which runs ahead of real time.
const revoked = simAccount('canaryrevoked');
const stranger = freshKeyPair('stranger'); // a key pair the sim does not know
const addOrder = { pair: 'XBTUSD', type: 'buy', ordertype: 'limit', price: '1000', volume: '0.001' };

describe('canary scan', () => {
  let sim: Sim;
  let proxy: RestProxy;
  let root: string;
  const capture = createCapturingLogger({ level: 'trace' });
  const metrics = new RecordingMetrics();
  const errors: unknown[] = [];
  const printed = new Map<string, string>();
  const written: string[] = [];

  beforeAll(async () => {
    sim = await startAuthSim([canary, noSocket, revoked]);
    proxy = await startRestProxy(sim.urls.rest);
    root = mkdtempSync(join(tmpdir(), 'krakenkit-auth-canary-'));
  });
  afterAll(async () => {
    await proxy.close();
    await sim.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** Runs a step that may fail; a failure is kept for the scan. */
  async function attempt<T>(work: Promise<T> | (() => Promise<T> | T)): Promise<T | undefined> {
    try {
      return await (typeof work === 'function' ? work() : work);
    } catch (error) {
      errors.push(error);
      return undefined;
    }
  }

  function show(label: string, value: unknown): void {
    printed.set(`${label} inspect`, inspect(value, { depth: 8, showHidden: true }));
    try {
      printed.set(`${label} JSON`, JSON.stringify(value) ?? '');
    } catch (error) {
      errors.push(error);
    }
    printed.set(`${label} String`, String(value));
  }

  function hostConfig(account: { apiKey: string; apiSecret: string }, auth: Record<string, unknown> = {}) {
    return {
      'core-transport': {
        publicUrl: sim.urls.publicWs,
        privateUrl: sim.urls.privateWs,
        restUrl: proxy.url,
        allowInsecureLoopback: true,
        startupWaitMs: 0,
      },
      nonce: { storage: 'file', directory: join(root, 'nonce') },
      auth: {
        apiKey: account.apiKey,
        apiSecret: account.apiSecret,
        retry: { baseDelayMs: 1, maxDelayMs: 5 },
        ...auth,
      },
    };
  }

  async function pluginScenarios(): Promise<void> {
    const clock = createVirtualClock({ now: Date.now() });
    const host = await startTestHost({
      plugins: [coreTransportPlugin, noncePlugin, authPlugin],
      config: hostConfig({ apiKey: canary.apiKey, apiSecret: canary.apiSecret }),
      clock,
      logger: capture.logger,
      overrides: [provide(metricsBackendToken, metrics)],
    });
    const rest = host.get(signedRestClientToken);
    const drive = <T>(work: Promise<T>) => settleOnVirtualTime(clock, work, { stepMs: 5 });
    // Signed REST: success (form, JSON), retries, rejections, unknown outcomes, nonce recovery.
    await attempt(rest.call('Balance'));
    await attempt(rest.call('BalanceEx', {}, { encoding: 'json' }));
    await attempt(rest.call('AddOrder', { ...addOrder, validate: true }));
    await attempt(rest.call('AddOrder', { ...addOrder, volume: '1000' }));
    sim.control.inject({ kind: 'rest-error', error: 'EService:Unavailable', path: '/0/private/Balance' });
    await attempt(drive(rest.call('Balance')));
    sim.control.inject({ kind: 'rest-error', error: 'EService:Unavailable', path: '/0/private/AddOrder' });
    await attempt(rest.call('AddOrder', addOrder));
    sim.control.inject({ kind: 'rest-http-error', status: 502, path: '/0/private/CancelAll' });
    await attempt(rest.call('CancelAll'));
    sim.control.inject({ kind: 'rest-error', error: 'EAPI:Invalid nonce', path: '/0/private/Balance' });
    await attempt(rest.call('Balance'));
    sim.control.inject(
      { kind: 'rest-error', error: 'EAPI:Invalid nonce', path: '/0/private/Balance' },
      { count: 2 },
    );
    await attempt(rest.call('Balance'));
    await attempt(rest.call('balance'));
    await attempt(rest.call('Balance', { nonce: '1' }));
    await attempt(rest.call('Balance', { price: 0.1 }));

    // Tokens and the session: subscribe, a reconnect with revoked tokens, a refused request.
    const tokens = host.get(webSocketTokenProviderToken);
    await attempt(Promise.all(Array.from({ length: 5 }, () => tokens.token())));
    const session = host.get(privateSessionToken);
    session.registerChannel('balances', (frame) => ({ data: frame.data }));
    await attempt(drive(session.subscribe({ channel: 'balances' })));
    await attempt(drive(session.subscribe({ channel: 'executions', params: { snap_orders: true } })));
    sim.control.inject({ kind: 'invalidate-tokens' });
    sim.control.inject({ kind: 'drop-connection', mode: 'reset', target: { endpoint: 'private' } });
    await attempt(drive(new Promise((resolve) => session.connection.once('connection-open', resolve))));
    await attempt(
      drive(until(() => session.subscriptions.list().every((s) => s.state === 'active'), 'replayed')),
    );
    sim.control.inject({ kind: 'invalidate-tokens' });
    await attempt(drive(session.request('cancel_all', {})));
    sim.control.adjustBalance('canary', 'USD', '1');
    await attempt(
      drive(
        session.request('add_order', {
          order_type: 'limit',
          side: 'buy',
          symbol: 'BTC/USD',
          order_qty: '0.001',
          limit_price: '1000',
        }),
      ),
    );

    for (const check of host.get(healthCheckToken))
      printed.set(`health ${check.name}`, JSON.stringify(await check.check()));
    show('rest client', rest);
    show('token provider', tokens);
    show('session', session);
    show('credentials', rest.credentials);
    await attempt(host.stop());
  }

  async function directScenarios(): Promise<void> {
    // Key problems: wrong secret, unknown key, a key without the WebSocket permission.
    const wrongSecret = await createRestClient({
      baseUrl: proxy.url,
      account: { apiKey: canary.apiKey, apiSecret: stranger.apiSecret },
      logger: capture.logger,
      metrics,
    });
    await attempt(wrongSecret.client.call('Balance'));
    const unknownKey = await createRestClient({
      baseUrl: proxy.url,
      account: { apiKey: stranger.apiKey, apiSecret: canary.apiSecret },
      logger: capture.logger,
    });
    await attempt(unknownKey.client.call('Balance'));
    const unreachable = await createRestClient({
      baseUrl: `http://127.0.0.1:${await closedPort()}`,
      account: canary,
      logger: capture.logger,
      config: { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } },
    });
    await attempt(unreachable.client.call('Balance'));
    await attempt(unreachable.client.call('AddOrder', addOrder));

    const clock = createVirtualClock({ now: Date.now() });
    const restricted = await createRestClient({
      baseUrl: proxy.url,
      account: noSocket,
      clock,
      logger: capture.logger,
      config: { retry: { maxAttempts: 1 } },
    });
    const tokens = new WebSocketTokenProvider(
      restricted.client,
      { token: restricted.config.token, breaker: restricted.config.breaker },
      { clock, logger: capture.logger, metrics },
    );
    for (let i = 0; i < 4; i++) await attempt(tokens.token());
    const factory = createPrivateConnectionFactory(sim.urls.privateWs, { clock, logger: capture.logger });
    const refusedSession = new PrivateSession(factory, tokens, restricted.config.session, {
      clock,
      logger: capture.logger,
    });
    await attempt(refusedSession.open());
    printed.set('refused session health', JSON.stringify(refusedSession.health()));
    await refusedSession.close();

    // Every token revoked: subscribe refused twice, replay refused twice.
    const revoking = await createRestClient({
      baseUrl: proxy.url,
      account: revoked,
      clock,
      logger: capture.logger,
    });
    const revokingTokens = new WebSocketTokenProvider(
      revoking.client,
      { token: revoking.config.token, breaker: revoking.config.breaker },
      { clock, logger: capture.logger },
    );
    const revokedSession = new PrivateSession(
      createPrivateConnectionFactory(sim.urls.privateWs, { clock, logger: capture.logger }),
      revokingTokens,
      revoking.config.session,
      { clock, logger: capture.logger },
    );
    revokedSession.on('session-error', ({ error }) => errors.push(error));
    proxy.onToken = () => sim.control.inject({ kind: 'invalidate-tokens', accountId: 'canaryrevoked' });
    await attempt(settleOnVirtualTime(clock, revokedSession.subscribe({ channel: 'balances' })));
    proxy.onToken = undefined;
    await revokedSession.close();

    // Start failures and config problems.
    await attempt(
      startTestHost({
        plugins: [coreTransportPlugin, noncePlugin, authPlugin],
        config: hostConfig(noSocket, { session: { connectOnStart: true } }),
        clock: createVirtualClock({ now: Date.now() }),
        logger: capture.logger,
      }),
    );
    for (const auth of [
      { apiKey: canary.apiKey, apiSecret: canary.apiSecret.slice(0, 24) },
      { apiKey: canary.apiKey, apiSecret: `${canary.apiSecret.slice(0, -4)}$$$$` },
      {
        apiKey: canary.apiKey,
        apiSecret: canary.apiSecret,
        secret: canary.apiSecret,
        token: proxy.tokens[0],
      },
      { apiKey: 42, apiSecret: [canary.apiSecret] },
    ]) {
      await attempt(
        startTestHost({
          plugins: [coreTransportPlugin, noncePlugin, authPlugin],
          config: { auth },
          logger: capture.logger,
        }),
      );
    }
    const parsed = authConfigSchema.parse({ apiKey: canary.apiKey, apiSecret: canary.apiSecret });
    printed.set('parsed config JSON', JSON.stringify(parsed));
    show('parsed config', parsed);

    // Credentials: malformed values, unsafe and malformed files, a good file.
    await attempt(() =>
      KrakenCredentials.from({ apiKey: canary.apiKey, apiSecret: canary.apiSecret.slice(1) }),
    );
    await attempt(() =>
      KrakenCredentials.from({ apiKey: canary.apiKey, apiSecret: canary.apiSecret.slice(0, 16) }),
    );
    const files = join(root, 'credentials');
    const file = (name: string, content: string, mode: number) => {
      const path = join(files, name);
      writeFileSync(path, content, { mode });
      chmodSync(path, mode);
      return path;
    };
    mkdirSync(files, { mode: 0o700 });
    const good = JSON.stringify({ apiKey: canary.apiKey, apiSecret: canary.apiSecret });
    await attempt(loadCredentialsFile(file('open.json', good, 0o644)));
    await attempt(loadCredentialsFile(file('broken.json', good.slice(0, -3), 0o600)));
    await attempt(
      loadCredentialsFile(
        file('extra.json', JSON.stringify({ ...JSON.parse(good), otp: canary.apiSecret }), 0o600),
      ),
    );
    show('loaded credentials', await attempt(loadCredentialsFile(file('good.json', good, 0o600))));
  }

  it('finds no key, secret, token or signature anywhere, in any form', { timeout: 60_000 }, async () => {
    const out: string[] = [];
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(`stdout ${String(chunk)}`);
      return true;
    });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(`stderr ${String(chunk)}`);
      return true;
    });
    try {
      await pluginScenarios();
      await directScenarios();
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }

    // What a secret could reach: log lines (frame logs included), output, errors, printed
    // objects, metrics, and every file the scenarios wrote (nonce state; not the credentials
    // files the test itself wrote as input).
    const sources = new Map<string, string>(printed);
    sources.set('log lines', capture.lines.join('\n'));
    sources.set('stdout/stderr', out.join('\n'));
    sources.set('metrics', JSON.stringify([...metrics.values]));
    errors.forEach((error, index) => {
      for (const [source, text] of errorTexts(error, `error ${index}`)) sources.set(source, text);
    });
    const nonceDirectory = join(root, 'nonce');
    for (const name of readdirSync(nonceDirectory)) {
      const path = join(nonceDirectory, name);
      if (statSync(path).isFile()) {
        written.push(path);
        sources.set(`file ${name}`, readFileSync(path, 'utf8'));
      }
    }
    const canaries = new Map<string, string>([
      ['api key', canary.apiKey],
      ['api secret', canary.apiSecret],
      ['api key (no WebSocket permission)', noSocket.apiKey],
      ['api secret (no WebSocket permission)', noSocket.apiSecret],
      ['api key (revoked tokens)', revoked.apiKey],
      ['api secret (revoked tokens)', revoked.apiSecret],
      ['stranger key', stranger.apiKey],
      ['stranger secret', stranger.apiSecret],
    ]);
    for (const [index, token] of proxy.tokens.entries()) canaries.set(`ws token ${index}`, token);
    for (const [index, signature] of proxy.signatures.entries())
      canaries.set(`signature ${index}`, signature);

    // The scenarios did run: enough to scan.
    expect(proxy.tokens.length).toBeGreaterThanOrEqual(5);
    expect(proxy.signatures.length).toBeGreaterThan(20);
    expect(errors.length).toBeGreaterThan(25);
    expect(capture.lines.length).toBeGreaterThan(50);
    expect(capture.lines.some((line) => line.includes('"msg":"ws send"'))).toBe(true);
    expect(written.length).toBeGreaterThan(0);
    expect(sources.get('log lines')).toContain('[REDACTED]');

    const hits = scanForCanaries(sources, canaries);
    expect(hits).toEqual([]);
    console.info(
      `canary scan: ${sources.size} sources, ${canaries.size} canaries × ${canaryForms(canary.apiSecret).length} forms, ${errors.length} errors, ${capture.lines.length} log lines: ${hits.length} hits`,
    );
  });

  it('the scanner itself finds every form it looks for (positive control)', () => {
    const secret = freshKeyPair('control').apiSecret;
    const decoded = Buffer.from(secret, 'base64').toString('latin1');
    for (const text of [
      `x${secret}x`,
      Buffer.from(secret).toString('base64'),
      encodeURIComponent(secret),
      `…${decoded}…`,
      `key ${secret.slice(0, 8)}…`,
      `…${secret.slice(-8)}`,
      `(${decoded.slice(0, 8)})`,
      `(${decoded.slice(-8)})`,
    ]) {
      expect(
        scanForCanaries(new Map([['text', text]]), new Map([['secret', secret]])).length,
      ).toBeGreaterThan(0);
    }
  });
});
