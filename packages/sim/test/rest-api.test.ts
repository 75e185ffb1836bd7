import { describe, expect, it } from 'vitest';
import { Decimal } from '../src/sim-decimal.js';
import type { PublicRestApi } from '../src/sim-modules.js';
import { RestClient, rawRequest } from './support/rest-client.js';
import { emptyExchange, startRestHarness, testAccount } from './support/rest-harness.js';

const credentials = testAccount as { apiKey: string; apiSecret: string };

/** A public API that echoes its parameters (the market's real one is tested elsewhere). */
const echoApi: PublicRestApi = {
  Time: () => ({ ok: true, value: { unixtime: 1767225600, rfc1123: 'Thu, 01 Jan 26 00:00:00 +0000' } }),
  Echo: (params) => ({ ok: true, value: { ...params } }),
  Broken: () => {
    throw new Error('market bug');
  },
  Refuse: () => ({ ok: false, error: 'EQuery:Unknown asset pair' }),
};

describe('REST routing and envelope', () => {
  it('serves public methods by GET with a query string, and by POST with a body', async () => {
    await using harness = await startRestHarness({ publicApi: echoApi });
    const get = await rawRequest(harness.url, '/0/public/Echo?pair=XBTUSD&since=%2B1&x=a+b');
    expect(get.status).toBe(200);
    expect(get.headers['content-type']).toMatch(/^application\/json/);
    expect(get.json).toEqual({ error: [], result: { pair: 'XBTUSD', since: '+1', x: 'a b' } });
    const post = await rawRequest(harness.url, '/0/public/Echo?a=1', { body: 'pair=ETHUSD' });
    expect(post.json).toEqual({ error: [], result: { a: '1', pair: 'ETHUSD' } });
    expect((await rawRequest(harness.url, '/0/public/Time')).text).toBe(
      '{"error":[],"result":{"unixtime":1767225600,"rfc1123":"Thu, 01 Jan 26 00:00:00 +0000"}}',
    );
    expect((await rawRequest(harness.url, '/0/public/Refuse')).json).toEqual({
      error: ['EQuery:Unknown asset pair'],
    });
  });

  it('answers unknown methods with EGeneral:Unknown method and HTTP 404, before any authentication', async () => {
    await using harness = await startRestHarness({ publicApi: echoApi });
    for (const path of ['/0/public/Nope', '/0/public/time', '/0/private/Nope', '/0/private/balance']) {
      const response = await rawRequest(harness.url, path, { body: 'nonce=1' });
      expect(response.status, path).toBe(404);
      expect(response.text, path).toBe('{"error":["EGeneral:Unknown method"]}');
    }
    expect(harness.context.stats.get('auth.invalid_key')).toBe(0);
    const other = await rawRequest(harness.url, '/0/whatever');
    expect(other.status).toBe(404);
    expect(other.json).toBeUndefined();
  });

  it('refuses other HTTP methods with 405 (private: POST only)', async () => {
    await using harness = await startRestHarness({ publicApi: echoApi });
    const get = await rawRequest(harness.url, '/0/private/Balance');
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    expect((await rawRequest(harness.url, '/0/public/Time', { method: 'DELETE' })).status).toBe(405);
  });

  it('refuses oversized bodies with 413 and malformed ones with EGeneral:Invalid arguments', async () => {
    await using harness = await startRestHarness({ publicApi: echoApi });
    const client = new RestClient(harness.url, credentials);
    const huge = await rawRequest(harness.url, '/0/private/Balance', {
      body: `nonce=1&x=${'a'.repeat(70_000)}`,
    });
    expect(huge.status).toBe(413);
    const nonce = client.nextNonce();
    const malformed = await client.send('/0/private/Balance', nonce, Buffer.from(`nonce=${nonce}&x=%zz`));
    expect(malformed.json).toEqual({ error: ['EGeneral:Invalid arguments'] });
    const badJson = await rawRequest(harness.url, '/0/public/Echo', {
      body: '{"a":',
      headers: { 'content-type': 'application/json' },
    });
    expect(badJson.json).toEqual({ error: ['EGeneral:Invalid arguments'] });
    expect(harness.context.stats.get('rest.body_too_large')).toBe(1);
    expect(harness.context.stats.get('rest.malformed_body')).toBe(2);
  });

  it('reports handler bugs as EGeneral:Internal error without crashing', async () => {
    await using harness = await startRestHarness({
      publicApi: echoApi,
      exchange: emptyExchange({
        balances: () => {
          throw new Error('engine bug');
        },
      }),
    });
    expect((await rawRequest(harness.url, '/0/public/Broken')).json).toEqual({
      error: ['EGeneral:Internal error'],
    });
    const client = new RestClient(harness.url, credentials);
    expect((await client.call('Balance')).json).toEqual({ error: ['EGeneral:Internal error'] });
    expect(harness.internalErrors).toHaveLength(2);
  });

  it('authenticates JSON and form bodies alike and refuses missing credentials', async () => {
    await using harness = await startRestHarness({
      exchange: emptyExchange({
        balances: () => new Map([['USD', { balance: new Decimal('12.5'), holdTrade: new Decimal('0') }]]),
      }),
    });
    const client = new RestClient(harness.url, credentials);
    expect((await client.call('Balance')).text).toBe('{"error":[],"result":{"ZUSD":"12.5000"}}');
    expect((await client.call('Balance', {}, { json: true })).text).toBe(
      '{"error":[],"result":{"ZUSD":"12.5000"}}',
    );
    const anonymous = await rawRequest(harness.url, '/0/private/Balance', { body: 'nonce=1' });
    expect(anonymous.json).toEqual({ error: ['EAPI:Invalid key'] });
    const unsigned = await rawRequest(harness.url, '/0/private/Balance', {
      body: 'nonce=1',
      headers: { 'api-key': credentials.apiKey },
    });
    expect(unsigned.json).toEqual({ error: ['EAPI:Invalid signature'] });
  });
});

describe('REST faults', () => {
  it('rest-http-error answers with the raw status and a non-Kraken body, for matching paths only', async () => {
    await using harness = await startRestHarness({ publicApi: echoApi });
    harness.context.faults.inject(
      { kind: 'rest-http-error', status: 502, path: '/0/public/Time' },
      { count: 2 },
    );
    const echo = await rawRequest(harness.url, '/0/public/Echo');
    expect(echo.status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const response = await rawRequest(harness.url, '/0/public/Time');
      expect(response.status).toBe(502);
      expect(response.headers['content-type']).toBe('text/html');
      expect(response.text).toContain('502 Bad Gateway');
      expect(response.json).toBeUndefined();
    }
    expect((await rawRequest(harness.url, '/0/public/Time')).status).toBe(200);
    expect(harness.context.stats.get('faults.rest_http_error')).toBe(2);
  });

  it('rest-error answers with a Kraken error and executes nothing (the nonce stays unused)', async () => {
    let added = 0;
    await using harness = await startRestHarness({
      exchange: emptyExchange({
        addOrder: () => {
          added += 1;
          return { ok: false, error: 'EOrder:Insufficient funds' };
        },
      }),
    });
    const client = new RestClient(harness.url, credentials);
    harness.context.faults.inject({ kind: 'rest-error', error: 'EService:Unavailable', path: 'AddOrder' });
    const order = { pair: 'XBTUSD', type: 'buy', ordertype: 'limit', volume: '1', price: '100' };
    expect((await client.call('Balance')).json?.error).toEqual([]);
    const nonce = client.nextNonce();
    expect((await client.call('AddOrder', order, { nonce })).json).toEqual({
      error: ['EService:Unavailable'],
    });
    expect(added).toBe(0);
    expect((await client.call('AddOrder', order, { nonce })).json).toEqual({
      error: ['EOrder:Insufficient funds'],
    });
    expect(added).toBe(1);
  });

  it('a scheduled REST fault hits the request after afterMessages requests', async () => {
    await using harness = await startRestHarness({ publicApi: echoApi });
    harness.context.faults.inject({ kind: 'rest-error', error: 'EService:Busy' }, { afterMessages: 2 });
    expect((await rawRequest(harness.url, '/0/public/Time')).json?.error).toEqual([]);
    expect((await rawRequest(harness.url, '/0/public/Time')).json?.error).toEqual([]);
    expect((await rawRequest(harness.url, '/0/public/Time')).json).toEqual({ error: ['EService:Busy'] });
    expect((await rawRequest(harness.url, '/0/public/Time')).json?.error).toEqual([]);
  });

  it('rest-lag makes private reads ask the exchange for the state lagMs ago', async () => {
    const asOf: (number | undefined)[] = [];
    await using harness = await startRestHarness({
      exchange: emptyExchange({
        balances: (_account, at) => {
          asOf.push(at);
          return new Map();
        },
        cancelAll: () => ({ ok: true, value: { count: 0 } }),
      }),
    });
    const client = new RestClient(harness.url, credentials);
    await client.call('Balance');
    const id = harness.context.faults.inject({ kind: 'rest-lag', lagMs: 3_000 });
    const before = Date.now();
    await client.call('Balance');
    await client.call('Balance');
    expect((await client.call('CancelAll')).json).toEqual({ error: [], result: { count: 0 } });
    harness.context.faults.clear(id);
    await client.call('Balance');
    expect(asOf[0]).toBeUndefined();
    expect(asOf[1]).toBeGreaterThanOrEqual(before - 3_000 - 5);
    expect(asOf[1]).toBeLessThanOrEqual(Date.now() - 3_000);
    expect(asOf[3]).toBeUndefined();
    expect(asOf).toHaveLength(4);
  });
});
