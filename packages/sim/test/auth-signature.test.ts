import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startSim } from '../src/index.js';
import { propertyParams } from './support/property-params.js';
import { RestClient, rawRequest, sign } from './support/rest-client.js';
import { startRestHarness, testAccount, vectorSecret } from './support/rest-harness.js';

const vectorBody = 'nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25';
const vectorSign = '4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==';
const jsonBody =
  '{"nonce":"1616492376594","ordertype":"limit","pair":"XBTUSD","price":37500,"type":"buy","volume":1.25}';
const jsonSign = 'BVT3EumzzXSJHlvrinSwICz5uKKlSZPXL9cJIuKqn7ZMhHSbbtXhGdvwoDBmRz6ALXI+GVxFD0ZlGuOmfi2bxA==';
const authErrors = [
  'EAPI:Invalid key',
  'EAPI:Invalid signature',
  'EAPI:Invalid nonce',
  'EGeneral:Temporary lockout',
];

describe("Kraken's official signature vectors against a running sim", () => {
  it('accepts the AddOrder request built exactly as in the vector, form and JSON', async () => {
    await using sim = await startSim({
      marketSpeed: 0,
      accounts: [
        {
          id: 'vector',
          apiKey: 'vector-form-key-00000000',
          apiSecret: vectorSecret,
          balances: { USD: '100000' },
        },
        {
          id: 'vector-json',
          apiKey: 'vector-json-key-00000000',
          apiSecret: vectorSecret,
          balances: { USD: '100000' },
        },
      ],
    });
    const form = await rawRequest(sim.urls.rest, '/0/private/AddOrder', {
      headers: {
        'api-key': 'vector-form-key-00000000',
        'api-sign': vectorSign,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: vectorBody,
    });
    const json = await rawRequest(sim.urls.rest, '/0/private/AddOrder', {
      headers: {
        'api-key': 'vector-json-key-00000000',
        'api-sign': jsonSign,
        'content-type': 'application/json',
      },
      body: jsonBody,
    });
    for (const response of [form, json]) {
      expect(response.status).toBe(200);
      for (const error of authErrors) expect(response.json?.error).not.toContain(error);
    }
    const stats = sim.control.stats();
    expect(stats['auth.invalid_signature'] ?? 0).toBe(0);
    expect(stats['auth.invalid_nonce'] ?? 0).toBe(0);
    // The nonce is used now: the identical request again is a replay.
    const replay = await rawRequest(sim.urls.rest, '/0/private/AddOrder', {
      headers: { 'api-key': 'vector-form-key-00000000', 'api-sign': vectorSign },
      body: vectorBody,
    });
    expect(replay.json).toEqual({ error: ['EAPI:Invalid nonce'] });
    expect(sim.control.internalErrors()).toEqual([]);
  });
});

/** Parameter names and values full of the characters that break naive encoders. */
const tricky = fc.string({
  unit: fc.oneof(
    fc.constantFrom('&', '=', '%', '+', ' ', '[', ']', '"', '\\', '#', '?', '/', '€', '日', '😀', '\u00e9'),
    fc.string({ minLength: 1, maxLength: 1 }),
  ),
  maxLength: 16,
});
/**
 * A form key the sim reads in bracket notation (`a[b]`, `a[]`, `a[0][c]`: a name, then only
 * `[…]` groups). Two such keys can conflict (`a` and `a[]`), and a correctly signed body
 * with them is refused as malformed *after* authentication — right, but not what this
 * property is about (see the deterministic test below), so names never take that shape:
 * brackets still appear, just not as a trailing group.
 */
const bracketNotation = /^[^[]+(?:\[[^[\]]*\])+$/;
const paramMaps = fc.dictionary(
  tricky.filter((key) => key !== '' && key !== 'nonce' && !bracketNotation.test(key)),
  tricky,
  { maxKeys: 8 },
);

describe('API-Sign verification (property, over HTTP)', () => {
  it('accepts every correctly signed body and refuses any single changed byte of body, path or signature', async () => {
    await using harness = await startRestHarness({
      limits: { restCounter: false, lockoutThreshold: 1_000_000 },
    });
    const client = new RestClient(harness.url, testAccount as { apiKey: string; apiSecret: string });
    const path = '/0/private/Balance';
    await fc.assert(
      fc.asyncProperty(
        paramMaps,
        fc.boolean(),
        fc.constantFrom('body', 'path', 'signature'),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        async (params, json, target, position, delta) => {
          const nonce = client.nextNonce();
          const text = json
            ? JSON.stringify({ nonce, ...params })
            : [
                `nonce=${nonce}`,
                ...Object.entries(params).map(
                  ([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`,
                ),
              ].join('&');
          const body = Buffer.from(text);
          const type = json ? 'application/json' : 'application/x-www-form-urlencoded';
          const accepted = await client.send(path, nonce, body, type);
          expect(accepted.json).toEqual({ error: [], result: {} });

          const next = client.nextNonce();
          const fresh = Buffer.from(text.replace(nonce, next));
          let response: Awaited<ReturnType<RestClient['send']>>;
          if (target === 'body') {
            const changed = Buffer.from(fresh);
            const index = position % changed.length;
            changed[index] = ((changed[index] ?? 0) + delta) % 256;
            // Sign the original, send the changed bytes.
            response = await sendSignedAs(client, path, next, fresh, changed, type);
          } else if (target === 'path') {
            const signedPath = Buffer.from(path);
            const index = position % signedPath.length;
            signedPath[index] = ((signedPath[index] ?? 0) + delta) % 256;
            response = await client.send(path, next, fresh, type, signedPath);
          } else {
            response = await sendWithChangedSignature(client, path, next, fresh, type, position, delta);
          }
          expect(response.json).toEqual({ error: ['EAPI:Invalid signature'] });
        },
      ),
      propertyParams({ seed: 1, numRuns: 120 }),
    );
    expect(harness.internalErrors).toEqual([]);
  });
});

describe('a correctly signed body the form grammar refuses', () => {
  it('passes authentication (nonce used), then is refused as malformed: EGeneral:Invalid arguments', async () => {
    await using harness = await startRestHarness({ limits: { restCounter: false } });
    const client = new RestClient(harness.url, testAccount as { apiKey: string; apiSecret: string });
    const path = '/0/private/Balance';
    // `😀` then `😀[]`: a plain value and a list push under one name (a property-test seed once
    // generated exactly this and expected it to be accepted).
    const nonce = client.nextNonce();
    const body = Buffer.from(`nonce=${nonce}&${encodeURIComponent('😀')}=&${encodeURIComponent('😀[]')}=`);
    const refused = await client.send(path, nonce, body);
    expect(refused.json).toEqual({ error: ['EGeneral:Invalid arguments'] });
    const stats = harness.context.stats;
    expect(stats.get('auth.invalid_signature')).toBe(0);
    expect(stats.get('rest.malformed_body')).toBe(1);
    // The nonce was consumed: authentication succeeded.
    const replay = await client.send(path, nonce, Buffer.from(`nonce=${nonce}`));
    expect(replay.json).toEqual({ error: ['EAPI:Invalid nonce'] });
    expect(harness.internalErrors).toEqual([]);
  });
});

function sendSignedAs(
  client: RestClient,
  path: string,
  nonce: string,
  signedBody: Buffer,
  sentBody: Buffer,
  type: string,
) {
  return rawRequest(client.baseUrl, path, {
    method: 'POST',
    headers: {
      'content-type': type,
      'api-key': client.credentials.apiKey,
      'api-sign': sign(path, nonce, signedBody, client.credentials.apiSecret),
    },
    body: sentBody,
  });
}

/** Printable ASCII: HTTP header values can't carry control bytes. */
const printable = Array.from({ length: 94 }, (_, i) => String.fromCharCode(0x21 + i));

function sendWithChangedSignature(
  client: RestClient,
  path: string,
  nonce: string,
  body: Buffer,
  type: string,
  position: number,
  delta: number,
) {
  const signature = sign(path, nonce, body, client.credentials.apiSecret);
  const index = position % signature.length;
  const original = signature[index];
  let replacement = printable[delta % printable.length] ?? '!';
  if (replacement === original) replacement = printable[(delta + 1) % printable.length] ?? '"';
  const changed = `${signature.slice(0, index)}${replacement}${signature.slice(index + 1)}`;
  return rawRequest(client.baseUrl, path, {
    method: 'POST',
    headers: { 'content-type': type, 'api-key': client.credentials.apiKey, 'api-sign': changed },
    body,
  });
}
