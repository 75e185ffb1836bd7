import { inspect } from 'node:util';
import { coreTransportPlugin } from '@krakenkit/core-transport';
import { HostConfigError, PluginStartError } from '@krakenkit/host';
import { createVirtualClock, startTestHost } from '@krakenkit/host/testing';
import noncePlugin from '@krakenkit/nonce';
import { healthCheckToken, Secret } from '@krakenkit/plugin-api';
import type { Sim } from '@krakenkit/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import authDefault, {
  AuthError,
  authConfigSchema,
  authPlugin,
  PrivateSessionError,
  privateSessionToken,
  signedRestClientToken,
  webSocketTokenProviderToken,
} from '../src/index.js';
import { freshKeyPair, simAccount, startAuthSim } from './support/auth-harness.js';

const alice = simAccount('alice');
const noSocket = simAccount('nosocket', { permissions: { websocket: false } });

describe('authPlugin in a host, with core-transport and nonce, against the sim', () => {
  let sim: Sim;

  beforeAll(async () => {
    sim = await startAuthSim([alice, noSocket]);
  });
  afterAll(() => sim.close());

  function hostConfig(account: { apiKey: string; apiSecret: string }, auth: Record<string, unknown> = {}) {
    return {
      'core-transport': {
        publicUrl: sim.urls.publicWs,
        privateUrl: sim.urls.privateWs,
        restUrl: sim.urls.rest,
        allowInsecureLoopback: true,
        startupWaitMs: 0,
      },
      auth: { apiKey: account.apiKey, apiSecret: account.apiSecret, ...auth },
    };
  }

  it('provides the signed REST client, the token provider, the session and a health check', async () => {
    expect(authDefault).toBe(authPlugin);
    const host = await startTestHost({
      plugins: [coreTransportPlugin, noncePlugin, import('../src/index.js')],
      config: hostConfig(alice),
      clock: createVirtualClock({ now: Date.now() }),
    });
    try {
      const rest = host.get(signedRestClientToken);
      expect(await rest.call('Balance')).toMatchObject({ ZUSD: '1000.0000' });
      const tokens = host.get(webSocketTokenProviderToken);
      const session = host.get(privateSessionToken);
      expect(session.tokens).toBe(tokens);
      session.registerChannel('balances', (frame) => ({ data: frame.data }));
      expect((await session.subscribe({ channel: 'balances' })).state).toBe('active');
      const health = host.get(healthCheckToken).find((check) => check.name === 'auth.session');
      expect(await health?.check()).toMatchObject({ status: 'healthy', details: { connection: 'open' } });
      expect(host.logs.join('\n')).not.toContain(alice.apiKey);
    } finally {
      await host.stop();
    }
  });

  it('closes on stop: the private connection is stopped and calls are refused', async () => {
    const host = await startTestHost({
      plugins: [coreTransportPlugin, noncePlugin, authPlugin],
      config: hostConfig(alice, { session: { connectOnStart: true } }),
      clock: createVirtualClock({ now: Date.now() }),
    });
    const rest = host.get(signedRestClientToken);
    const session = host.get(privateSessionToken);
    expect(session.connection.state).toBe('open');
    await host.stop();
    expect(session.connection.state).toBe('closed');
    await expect(rest.call('Balance')).rejects.toBeInstanceOf(PrivateSessionError);
    await expect(session.open()).rejects.toMatchObject({ code: 'AUTH_SESSION_CLOSED' });
  });

  it('connectOnStart with a key lacking the WebSocket permission: start fails with the guidance', async () => {
    const failure = await startTestHost({
      plugins: [coreTransportPlugin, noncePlugin, authPlugin],
      config: hostConfig(noSocket, { session: { connectOnStart: true } }),
      clock: createVirtualClock({ now: Date.now() }),
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PluginStartError);
    expect((failure as PluginStartError).pluginId).toBe('auth');
    expect((failure as Error).cause).toBeInstanceOf(AuthError);
    expect((failure as Error).message).toMatch(/turn on 'WebSocket interface'/);
  });

  it('reports config problems without ever echoing a value', async () => {
    const { apiKey, apiSecret } = freshKeyPair('config');
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{}, ['auth.apiKey: must be a string or a Secret', 'auth.apiSecret: must be a string or a Secret']],
      [
        { apiKey, apiSecret: apiSecret.slice(0, 20) },
        ['auth.apiSecret: must be the private key exactly as Kraken shows it'],
      ],
      [{ apiKey, apiSecret: `${apiSecret.slice(0, -4)}$$$$` }, ['auth.apiSecret: must be the private key']],
      [{ apiKey: '   ', apiSecret }, ['auth.apiKey: must be the public API key exactly as Kraken shows it']],
      [{ apiKey: `${apiKey}\n`, apiSecret }, ['auth.apiKey: must be the public API key']],
      [{ apiKey, apiSecret: 12345 }, ['auth.apiSecret: must be a string or a Secret']],
      [
        { apiKey, apiSecret, secret: apiSecret, retry: { maxAttempts: 0 } },
        ['auth.secret: unknown key', 'auth.retry.maxAttempts:'],
      ],
    ];
    for (const [auth, expected] of cases) {
      const failure = await startTestHost({
        plugins: [coreTransportPlugin, noncePlugin, authPlugin],
        config: { auth },
      }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(HostConfigError);
      const text = `${(failure as Error).message}\n${inspect(failure, { depth: 10 })}\n${JSON.stringify(failure)}`;
      for (const line of expected) expect(text).toContain(line);
      for (const value of [apiKey, apiSecret, apiSecret.slice(0, 20), apiSecret.slice(0, 8), '12345'])
        expect(text).not.toContain(value);
    }
  });

  it('wraps apiKey and apiSecret in Secret as they are parsed', () => {
    const { apiKey, apiSecret } = freshKeyPair('parse');
    for (const input of [
      { apiKey, apiSecret },
      { apiKey: new Secret(apiKey), apiSecret: new Secret(apiSecret) },
    ]) {
      const parsed = authConfigSchema.parse(input);
      expect(parsed.apiKey).toBeInstanceOf(Secret);
      expect(parsed.apiSecret.reveal()).toBe(apiSecret);
      const printed = `${JSON.stringify(parsed)} ${inspect(parsed, { depth: 10 })} ${String(parsed.apiKey)}`;
      expect(printed).not.toContain(apiKey);
      expect(printed).not.toContain(apiSecret);
      expect(parsed).toMatchObject({
        bodyEncoding: 'form',
        retry: { maxAttempts: 3 },
        breaker: { failureThreshold: 3 },
      });
    }
  });
});
