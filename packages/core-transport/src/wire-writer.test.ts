import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWireFrame } from './wire-parser.js';
import { decimalToken, WireEncodeError, writeRequestFrame, writeWireJson } from './wire-writer.js';

describe('writeRequestFrame', () => {
  it('writes decimal strings as JSON number tokens from their own digits', () => {
    const frame = writeRequestFrame({
      method: 'add_order',
      params: {
        order_type: 'stop-loss-limit',
        side: 'buy',
        order_qty: '0.12345678',
        symbol: 'BTC/USD',
        limit_price: '123456789.12345678',
        triggers: { reference: 'last', price: '-2.0', price_type: 'pct' },
        post_only: true,
        cl_ord_id: 'mm-1',
        deadline: undefined,
      },
      req_id: 42,
    });
    expect(frame).toBe(
      '{"method":"add_order","params":{"order_type":"stop-loss-limit","side":"buy","order_qty":0.12345678,"symbol":"BTC/USD","limit_price":123456789.12345678,"triggers":{"reference":"last","price":-2.0,"price_type":"pct"},"post_only":true,"cl_ord_id":"mm-1"},"req_id":42}',
    );
    expect(frame).not.toContain('"0.12345678"');
  });

  it('keeps trailing zeros and tiny values that Number would mangle', () => {
    const frame = writeRequestFrame({
      method: 'x',
      params: { order_qty: '0.00000001', limit_price: '0.5660' },
    });
    expect(frame).toBe('{"method":"x","params":{"order_qty":0.00000001,"limit_price":0.5660}}');
    expect(String(Number('0.00000001'))).toBe('1e-8');
  });

  it.each([
    ['exponent', '1e-8'],
    ['plus sign', '+1'],
    ['spaces', ' 1'],
    ['leading zeros', '01.5'],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['empty', ''],
    ['hex', '0x10'],
    ['injection', '1,"token":"x"'],
  ])('refuses a decimal field that is not plain decimal text: %s', (_, text) => {
    expect(() => writeRequestFrame({ method: 'add_order', params: { order_qty: text } })).toThrow(
      WireEncodeError,
    );
    expect(() => decimalToken(text)).toThrow(WireEncodeError);
  });

  it('refuses numbers in decimal fields and non-finite or unsendable values anywhere', () => {
    expect(() => writeRequestFrame({ method: 'add_order', params: { order_qty: 0.1 } })).toThrow(
      /decimal strings/,
    );
    expect(() => writeWireJson({ a: Number.NaN })).toThrow(/finite/);
    expect(() => writeWireJson({ a: 10n })).toThrow(WireEncodeError);
    expect(() => writeWireJson({ a: () => 1 })).toThrow(WireEncodeError);
    expect(() => writeWireJson({ a: new Date() })).toThrow(/plain objects/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => writeWireJson(cyclic)).toThrow(/cycle/);
    expect(() => writeRequestFrame({ method: '' })).toThrow(/method/);
    expect(() => writeRequestFrame({ method: 'ping', req_id: -1 })).toThrow(/req_id/);
  });

  it('writes decimalToken values anywhere and other values as JSON.stringify does', () => {
    expect(writeWireJson({ custom: decimalToken('1.50'), list: [decimalToken('-0.1')] })).toBe(
      '{"custom":1.50,"list":[-0.1]}',
    );
    const value = { s: 'quote " and \\ and \u0001', n: 1.5, b: false, z: null, a: [1, 'x'] };
    expect(writeWireJson(value)).toBe(JSON.stringify(value));
  });

  it('round-trips any decimal string through the lossless parser (property)', () => {
    const decimal = fc
      .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.nat({ max: 20 }))
      .map(([negative, units, scale]) => {
        const digits = units.toString().padStart(scale + 1, '0');
        const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
        return negative ? `-${text}` : text;
      });
    fc.assert(
      fc.property(decimal, (text) => {
        const frame = writeRequestFrame({ method: 'add_order', params: { limit_price: text } });
        const parsed = parseWireFrame(frame);
        expect(parsed.ok && JSON.stringify(parsed.value)).toBeTruthy();
        expect(frame).toBe(`{"method":"add_order","params":{"limit_price":${text}}}`);
      }),
      { numRuns: 300 },
    );
  });
});
