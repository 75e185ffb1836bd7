import { describe, expect, it } from 'vitest';
import { extractNonce, parseBody } from './rest-body.js';

const json = 'application/json';
const form = 'application/x-www-form-urlencoded';

function params(body: string, type: string | undefined) {
  const result = parseBody(Buffer.from(body), type);
  if (!result.ok) throw new Error(result.reason);
  return JSON.parse(JSON.stringify(result.params));
}

describe('parseBody', () => {
  it('reads JSON losslessly: numbers keep their digits, booleans become text, nulls vanish', () => {
    expect(
      params(
        '{"nonce":1616492376594,"price":37500,"volume":0.5660,"validate":true,"userref":null,"close":{"price":"1"}}',
        `${json}; charset=utf-8`,
      ),
    ).toEqual({
      nonce: '1616492376594',
      price: '37500',
      volume: '0.5660',
      validate: 'true',
      close: { price: '1' },
    });
  });

  it('reads JSON arrays of objects (AddOrderBatch)', () => {
    expect(params('{"orders":[{"type":"buy"},{"type":"sell"}],"pair":"XBTUSD"}', json)).toEqual({
      orders: [{ type: 'buy' }, { type: 'sell' }],
      pair: 'XBTUSD',
    });
  });

  it('reads form bodies, also without a content type', () => {
    expect(params('nonce=1&pair=XBTUSD', form)).toEqual({ nonce: '1', pair: 'XBTUSD' });
    expect(params('nonce=1&pair=XBTUSD', undefined)).toEqual({ nonce: '1', pair: 'XBTUSD' });
    expect(params('', json)).toEqual({});
  });

  it('refuses malformed JSON, non-object JSON and multipart bodies', () => {
    expect(parseBody(Buffer.from('{"nonce":'), json).ok).toBe(false);
    expect(parseBody(Buffer.from('[1,2]'), json).ok).toBe(false);
    expect(parseBody(Buffer.from('"x"'), json).ok).toBe(false);
    expect(parseBody(Buffer.from(`${'{"a":'.repeat(12)}1${'}'.repeat(12)}`), json).ok).toBe(false);
    expect(parseBody(Buffer.from('--x'), 'multipart/form-data; boundary=x').ok).toBe(false);
  });
});

describe('extractNonce', () => {
  it('finds the nonce text as written, for form and JSON bodies', () => {
    expect(extractNonce(Buffer.from('a=1&nonce=0042&nonce=7'), form)).toBe('0042');
    expect(extractNonce(Buffer.from('{"nonce":"1616492376594"}'), json)).toBe('1616492376594');
    expect(extractNonce(Buffer.from('{"nonce":1616492376594000000}'), json)).toBe('1616492376594000000');
    expect(extractNonce(Buffer.from('{"nonce":true}'), json)).toBeUndefined();
    expect(extractNonce(Buffer.from('pair=XBTUSD'), form)).toBeUndefined();
  });

  it('still finds it in an otherwise malformed form body', () => {
    expect(extractNonce(Buffer.from('nonce=12&bad=%zz'), form)).toBe('12');
    expect(extractNonce(Buffer.from('{"nonce":12,'), json)).toBeUndefined();
  });
});
