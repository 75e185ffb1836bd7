import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpTransportError, KrakenApiError } from '@krakenkit/core-transport';
import { createVirtualClock } from '@krakenkit/host/testing';
import {
  FileNonceStore,
  InvalidNonceError,
  MemoryNonceStore,
  nonceKeyHash,
  StoreNonceProvider,
} from '@krakenkit/nonce';
import type { Sim } from '@krakenkit/sim';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, OutcomeUnknownError, PrivateRequestError } from '../src/index.js';
import { closedPort, createRestClient, simAccount, startAuthSim } from './support/auth-harness.js';
import { RecordingMetrics } from './support/recording-metrics.js';
import { settleOnVirtualTime } from './support/virtual-time.js';

const alice = simAccount('alice');
const bob = simAccount('bob');
const noFunds = simAccount('nofunds', { permissions: { funds: false } });

const addOrder = { pair: 'XBTUSD', type: 'buy', ordertype: 'limit', price: '1000', volume: '0.001' };

describe('SignedRestClient against the sim', () => {
  let sim: Sim;
  const roots: string[] = [];

  beforeAll(async () => {
    sim = await startAuthSim([alice, bob, noFunds]);
  });
  afterAll(async () => {
    await sim.close();
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  const stat = (name: string) => sim.control.stats()[name] ?? 0;
  const client = (
    account: { apiKey: string; apiSecret: string } = alice,
    extra: Partial<Parameters<typeof createRestClient>[0]> = {},
  ) => createRestClient({ baseUrl: sim.urls.rest, account, ...extra });

  it('calls Balance with form and JSON bodies; results keep Kraken’s exact decimal text', async () => {
    const { client: form } = await client();
    expect(await form.call('Balance')).toEqual({ ZUSD: '1000.0000', XXBT: '1.0000000000' });
    const { client: json } = await client(alice, { config: { bodyEncoding: 'json' } });
    expect(await json.call('BalanceEx')).toMatchObject({
      ZUSD: { balance: '1000.0000', hold_trade: '0.0000' },
    });
    expect(await form.call('Balance', {}, { encoding: 'json' })).toMatchObject({ ZUSD: '1000.0000' });
  });

  it('property: the sim verifies the signature over arbitrary params, form and JSON', async () => {
    const { client: signed } = await client(bob);
    const special = fc.constantFrom(
      '&',
      '=',
      '%',
      '+',
      ' ',
      '?',
      '#',
      '"',
      '\\',
      '\n',
      '€',
      '😀',
      'é',
      '\ud800',
      '%2B',
    );
    const text = fc.string({
      unit: fc.oneof(special, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })),
      maxLength: 12,
    });
    const key = fc
      .string({
        unit: fc.oneof(special, fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 })),
        minLength: 1,
        maxLength: 8,
      })
      .filter(
        (name) => !/[[\]]/.test(name) && !['nonce', '__proto__', 'constructor', 'prototype'].includes(name),
      );
    const params = fc.dictionary(key, fc.oneof(text, fc.boolean(), fc.integer()), { maxKeys: 6 });
    const before = stat('auth.invalid_signature');
    await fc.assert(
      fc.asyncProperty(params, fc.constantFrom('form' as const, 'json' as const), async (extra, encoding) => {
        const result = await signed.call('Balance', extra, { encoding });
        expect(result).toMatchObject({ ZUSD: '1000.0000' });
      }),
      { numRuns: 150 },
    );
    expect(stat('auth.invalid_signature')).toBe(before);
  });

  it('retries a read on EService:Unavailable with backoff on the injected clock', async () => {
    const clock = createVirtualClock();
    const metrics = new RecordingMetrics();
    const { client: signed } = await client(alice, { clock, metrics });
    sim.control.inject(
      { kind: 'rest-error', error: 'EService:Unavailable', path: '/0/private/Balance' },
      { count: 2 },
    );
    const started = clock.monotonic();
    const result = await settleOnVirtualTime(clock, signed.call('Balance'), { stepMs: 25 });
    expect(result).toMatchObject({ ZUSD: '1000.0000' });
    expect(
      metrics.get('krakenkit_auth_private_call_retries_total', {
        method: 'Balance',
        reason: 'service-unavailable',
      }),
    ).toBe(2);
    expect(metrics.get('krakenkit_auth_private_calls_total', { method: 'Balance', result: 'ok' })).toBe(1);
    // Full jitter below 250 ms, then below 500 ms.
    expect(clock.monotonic() - started).toBeLessThan(750 + 100);
  });

  it('gives up on a read after maxAttempts and throws the typed Kraken error', async () => {
    const clock = createVirtualClock();
    const { client: signed } = await client(alice, { clock, config: { retry: { maxAttempts: 2 } } });
    const fault = sim.control.inject(
      { kind: 'rest-error', error: 'EService:Busy', path: '/0/private/Balance' },
      { count: 5 },
    );
    const failure = await settleOnVirtualTime(clock, signed.call('Balance')).catch((error: unknown) => error);
    sim.control.clearFaults(fault);
    expect(failure).toBeInstanceOf(KrakenApiError);
    expect(failure).toMatchObject({ kind: 'service-busy' });
  });

  it('retries a read on HTTP 502, but never a state-changing call: that is an unknown outcome', async () => {
    const clock = createVirtualClock();
    const { client: signed } = await client(alice, { clock });
    sim.control.inject({ kind: 'rest-http-error', status: 502, path: '/0/private/Balance' });
    expect(await settleOnVirtualTime(clock, signed.call('Balance'))).toMatchObject({ ZUSD: '1000.0000' });

    for (const fault of [
      { kind: 'rest-http-error', status: 502, path: '/0/private/AddOrder' },
      { kind: 'rest-error', error: 'EService:Unavailable', path: '/0/private/AddOrder' },
      { kind: 'rest-error', error: 'EGeneral:Internal error', path: '/0/private/AddOrder' },
    ] as const) {
      const requests = stat('rest.requests');
      sim.control.inject(fault, { count: 2 });
      const failure = await signed.call('AddOrder', addOrder).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(OutcomeUnknownError);
      expect((failure as Error).message).toMatch(/^AddOrder: the outcome is unknown/);
      expect(stat('rest.requests') - requests).toBe(1); // no retry
      sim.control.clearFaults();
    }
    expect(await signed.call('OpenOrders')).toEqual({ open: {} });
  });

  it('passes a Kraken rejection of a state-changing call through as KrakenApiError', async () => {
    const { client: signed } = await client();
    const failure = await signed
      .call('AddOrder', { ...addOrder, volume: '100' })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(KrakenApiError);
    expect(failure).toMatchObject({ kind: 'insufficient-funds', outcomeUnknown: false });
    const placed = (await signed.call('AddOrder', addOrder)) as { txid: string[] };
    expect(placed.txid).toHaveLength(1);
    await signed.call('CancelAll');
  });

  it('a request that never left: reads retry then throw it; state-changing calls throw it at once', async () => {
    const clock = createVirtualClock();
    const { client: signed } = await createRestClient({
      baseUrl: `http://127.0.0.1:${await closedPort()}`,
      account: alice,
      clock,
      config: { retry: { maxAttempts: 3 } },
    });
    const read = await settleOnVirtualTime(clock, signed.call('Balance')).catch((error: unknown) => error);
    expect(read).toBeInstanceOf(HttpTransportError);
    expect(read).toMatchObject({ sent: false, code: 'HTTP_NOT_SENT' });
    const write = await signed.call('AddOrder', addOrder).catch((error: unknown) => error);
    expect(write).toBeInstanceOf(HttpTransportError);
    expect(write).toMatchObject({ sent: false });
  });

  it('never retries key problems: invalid key, invalid signature, permission denied', async () => {
    const invalidKeys = stat('auth.invalid_key');
    const { client: unknownKey } = await client({
      apiKey: 'CANARYKEYnobodyHasThisKey0000',
      apiSecret: alice.apiSecret,
    });
    const keyError = await unknownKey.call('Balance').catch((error: unknown) => error);
    expect(keyError).toBeInstanceOf(AuthError);
    expect(keyError).toMatchObject({ problem: 'invalid-key', code: 'AUTH_INVALID_KEY', method: 'Balance' });
    expect(stat('auth.invalid_key') - invalidKeys).toBe(1);

    const invalidSignatures = stat('auth.invalid_signature');
    const { client: wrongSecret } = await client({ apiKey: alice.apiKey, apiSecret: bob.apiSecret });
    await expect(wrongSecret.call('Balance')).rejects.toMatchObject({ problem: 'invalid-signature' });
    expect(stat('auth.invalid_signature') - invalidSignatures).toBe(1);

    const { client: restricted } = await client(noFunds);
    const denied = await restricted.call('Balance').catch((error: unknown) => error);
    expect(denied).toMatchObject({ problem: 'permission-denied', krakenError: 'EGeneral:Permission denied' });
    expect((denied as Error).message).toContain("'Query Funds'");
    expect(await restricted.call('OpenOrders')).toEqual({ open: {} });
  });

  it('refuses bad method names and a nonce param without sending anything', async () => {
    const { client: signed } = await client();
    const requests = stat('rest.requests');
    await expect(signed.call('../public/Time')).rejects.toBeInstanceOf(PrivateRequestError);
    await expect(signed.call('balance')).rejects.toBeInstanceOf(PrivateRequestError);
    await expect(signed.call('Balance', { nonce: '1' })).rejects.toBeInstanceOf(PrivateRequestError);
    expect(stat('rest.requests')).toBe(requests);
  });

  describe('EAPI:Invalid nonce', () => {
    it('once: raises the floor, retries once (state-changing calls too), succeeds, counts it', async () => {
      const metrics = new RecordingMetrics();
      const nonces = StoreNonceProvider.create(MemoryNonceStore.create(), {}, { metrics });
      await nonces.open();
      const { client: signed } = await client(alice, { nonces, metrics });
      sim.control.inject({ kind: 'rest-error', error: 'EAPI:Invalid nonce', path: '/0/private/Balance' });
      expect(await signed.call('Balance')).toMatchObject({ ZUSD: '1000.0000' });
      sim.control.inject({ kind: 'rest-error', error: 'EAPI:Invalid nonce', path: '/0/private/AddOrder' });
      expect(await signed.call('AddOrder', { ...addOrder, validate: true })).toHaveProperty('descr');
      expect(
        metrics.get('krakenkit_auth_invalid_nonces_total', { method: 'Balance', action: 'retried' }),
      ).toBe(1);
      expect(
        metrics.get('krakenkit_auth_invalid_nonces_total', { method: 'AddOrder', action: 'retried' }),
      ).toBe(1);
      expect(metrics.total('krakenkit_nonce_floor_raises_total')).toBe(2);
      expect(
        metrics.get('krakenkit_auth_invalid_nonces_total', { method: 'Balance', action: 'surfaced' }),
      ).toBe(0);
    });

    it('twice: InvalidNonceError with the fix, after exactly one retry', async () => {
      const metrics = new RecordingMetrics();
      const { client: signed } = await client(alice, { metrics });
      sim.control.inject(
        { kind: 'rest-error', error: 'EAPI:Invalid nonce', path: '/0/private/Balance' },
        { count: 3 },
      );
      const failure = await signed.call('Balance').catch((error: unknown) => error);
      sim.control.clearFaults();
      expect(failure).toBeInstanceOf(InvalidNonceError);
      expect(failure).toMatchObject({ code: 'INVALID_NONCE', keyHash: nonceKeyHash(alice.apiKey) });
      expect((failure as Error).message).toMatch(/one API key per process.*'file'.*'redis'.*nonce window/);
      expect(
        metrics.get('krakenkit_auth_invalid_nonces_total', { method: 'Balance', action: 'retried' }),
      ).toBe(1);
      expect(
        metrics.get('krakenkit_auth_invalid_nonces_total', { method: 'Balance', action: 'surfaced' }),
      ).toBe(1);
    });

    it('for real: another client an hour ahead took the key; exactly 2 nonces reach the sim, then InvalidNonceError', async () => {
      const account = bob;
      const ahead = StoreNonceProvider.create(
        MemoryNonceStore.create(),
        {},
        { clock: createVirtualClock({ now: Date.now() + 3_600_000 }) },
      );
      await ahead.open();
      const { client: intruder } = await client(account, { nonces: ahead });
      await intruder.call('Balance');
      const { client: signed } = await client(account);
      const rejected = stat('auth.invalid_nonce');
      await expect(signed.call('Balance')).rejects.toBeInstanceOf(InvalidNonceError);
      expect(stat('auth.invalid_nonce') - rejected).toBe(2);
    });
  });

  it('clock stepped back one hour and a restart (file store): every nonce is accepted', async () => {
    const account = simAccount('restart');
    const restartSim = await startAuthSim([account]);
    const root = mkdtempSync(join(tmpdir(), 'krakenkit-auth-restart-'));
    roots.push(root);
    const directory = join(root, 'nonce');
    try {
      const clock = createVirtualClock({ now: Date.now() });
      const open = async () => {
        const nonces = StoreNonceProvider.create(FileNonceStore.create({ directory }), {}, { clock });
        await nonces.open();
        return nonces;
      };
      const first = await open();
      const { client: before } = await createRestClient({
        baseUrl: restartSim.urls.rest,
        account,
        clock,
        nonces: first,
      });
      for (let i = 0; i < 5; i++) await before.call('Balance');
      await first.close();
      clock.jumpWallClock(-3_600_000);
      const second = await open();
      const { client: after } = await createRestClient({
        baseUrl: restartSim.urls.rest,
        account,
        clock,
        nonces: second,
      });
      for (let i = 0; i < 5; i++) await after.call('Balance');
      await second.close();
      expect(restartSim.control.stats()['auth.invalid_nonce'] ?? 0).toBe(0);
      expect(restartSim.control.stats()['rest.private']).toBe(10);

      // Without persistence the same restart cannot recover (the reason for the file store):
      const memory = StoreNonceProvider.create(MemoryNonceStore.create(), {}, { clock });
      await memory.open();
      const { client: forgetful } = await createRestClient({
        baseUrl: restartSim.urls.rest,
        account,
        clock,
        nonces: memory,
      });
      await expect(forgetful.call('Balance')).rejects.toBeInstanceOf(InvalidNonceError);
    } finally {
      await restartSim.close();
    }
  });
});

describe('lockout', () => {
  it('is an AuthError, never retried', async () => {
    const account = simAccount('locked');
    const sim = await startAuthSim([account], { limits: { lockoutThreshold: 2 } });
    try {
      const wrong = await createRestClient({
        baseUrl: sim.urls.rest,
        account: { apiKey: account.apiKey, apiSecret: simAccount('other').apiSecret },
      });
      await expect(wrong.client.call('Balance')).rejects.toMatchObject({ problem: 'invalid-signature' });
      await expect(wrong.client.call('Balance')).rejects.toMatchObject({ problem: 'invalid-signature' });
      const right = await createRestClient({ baseUrl: sim.urls.rest, account });
      const requests = sim.control.stats()['rest.private'] ?? 0;
      const failure = await right.client.call('Balance').catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AuthError);
      expect(failure).toMatchObject({ problem: 'lockout', code: 'AUTH_LOCKOUT' });
      expect((failure as Error).message).toMatch(/about 15 minutes/);
      expect((sim.control.stats()['rest.private'] ?? 0) - requests).toBe(1);
    } finally {
      await sim.close();
    }
  });
});
