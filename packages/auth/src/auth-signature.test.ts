import { createHash, createSecretKey } from 'node:crypto';
import { decimalToken } from '@krakenkit/core-transport';
import { describe, expect, it } from 'vitest';
import { KrakenCredentials } from './auth-credentials.js';
import { PrivateRequestError } from './auth-errors.js';
import { encodePrivateBody } from './auth-request-body.js';
import { signApiRequest } from './auth-signature.js';

// Kraken's official REST authentication test vector, and the JSON-body vector (PROTOCOL §2.3).
const secretText = 'kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==';
const nonce = '1616492376594';
const path = '/0/private/AddOrder';
const formBody = 'nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25';
const formSign = '4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==';
const jsonBody =
  '{"nonce":"1616492376594","ordertype":"limit","pair":"XBTUSD","price":37500,"type":"buy","volume":1.25}';
const jsonSign = 'BVT3EumzzXSJHlvrinSwICz5uKKlSZPXL9cJIuKqn7ZMhHSbbtXhGdvwoDBmRz6ALXI+GVxFD0ZlGuOmfi2bxA==';

describe('API-Sign', () => {
  it("reproduces Kraken's official test vector (form body), from raw bytes and from a KeyObject", () => {
    expect(
      createHash('sha256')
        .update(nonce + formBody)
        .digest('hex'),
    ).toBe('23a1c1b34c6a11d641af0f24684896cb90f66fb991125c83dc357bdc3dc146f1');
    const bytes = Buffer.from(secretText, 'base64');
    expect(signApiRequest(path, nonce, formBody, bytes)).toBe(formSign);
    expect(signApiRequest(path, nonce, formBody, createSecretKey(bytes))).toBe(formSign);
    const credentials = KrakenCredentials.from({ apiKey: 'vector-key', apiSecret: secretText });
    expect(credentials.sign(path, nonce, formBody)).toBe(formSign);
  });

  it('reproduces the JSON-body vector', () => {
    const credentials = KrakenCredentials.from({ apiKey: 'vector-key', apiSecret: secretText });
    expect(credentials.sign(path, nonce, jsonBody)).toBe(jsonSign);
  });

  it('builds exactly the vector bodies it signs (form and JSON)', () => {
    const form = encodePrivateBody(
      nonce,
      { ordertype: 'limit', pair: 'XBTUSD', price: '37500', type: 'buy', volume: '1.25' },
      'form',
    );
    expect(form).toBe(formBody);
    const json = encodePrivateBody(
      nonce,
      {
        ordertype: 'limit',
        pair: 'XBTUSD',
        price: decimalToken('37500'),
        type: 'buy',
        volume: decimalToken('1.25'),
      },
      'json',
    );
    expect(json).toBe(jsonBody);
  });

  it('changes with the path, the nonce text and every body byte', () => {
    const bytes = Buffer.from(secretText, 'base64');
    expect(signApiRequest('/0/private/addOrder', nonce, formBody, bytes)).not.toBe(formSign);
    expect(signApiRequest(path, `0${nonce}`, formBody, bytes)).not.toBe(formSign);
    expect(signApiRequest(path, nonce, `${formBody.slice(0, -1)}6`, bytes)).not.toBe(formSign);
  });
});

describe('encodePrivateBody', () => {
  it('form: nonce first, + as %2B, space as +, UTF-8, bracket keys for nested values', () => {
    const body = encodePrivateBody(
      '5',
      {
        starttm: '+60',
        note: 'a b&c=d%e',
        pair: 'ÄÖ€',
        validate: true,
        userref: 42,
        big: 18446744073709551615n,
        close: { ordertype: 'limit', price: '1.5' },
        orders: ['a', 'b'],
        skipped: undefined,
      },
      'form',
    );
    expect(body).toBe(
      'nonce=5&starttm=%2B60&note=a+b%26c%3Dd%25e&pair=%C3%84%C3%96%E2%82%AC&validate=true&userref=42&big=18446744073709551615&close%5Bordertype%5D=limit&close%5Bprice%5D=1.5&orders%5B0%5D=a&orders%5B1%5D=b',
    );
    expect(new URLSearchParams(body).get('starttm')).toBe('+60');
  });

  it('json: decimal strings stay strings, integers and bigints are numbers, nested values kept', () => {
    expect(
      encodePrivateBody(
        '7',
        { volume: '0.10', userref: 3, big: 12345678901234567890n, orders: [{ price: '1' }], x: undefined },
        'json',
      ),
    ).toBe('{"nonce":"7","volume":"0.10","userref":3,"big":12345678901234567890,"orders":[{"price":"1"}]}');
  });

  it('refuses a nonce param, fractional numbers and unsendable values', () => {
    for (const encoding of ['form', 'json'] as const) {
      expect(() => encodePrivateBody('1', { nonce: '2' }, encoding)).toThrow(PrivateRequestError);
      expect(() => encodePrivateBody('1', { price: 0.1 }, encoding)).toThrow(/pass decimals .* as strings/);
      expect(() => encodePrivateBody('1', { x: Number.NaN }, encoding)).toThrow(PrivateRequestError);
      expect(() => encodePrivateBody('1', { f: (() => 1) as unknown as string }, encoding)).toThrow(
        PrivateRequestError,
      );
    }
  });
});
