import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WireNumber, wireNumberToDecimal, wireNumberToSafeInteger } from './wire-number.js';
import { parseWireFrame, type WireValue } from './wire-parser.js';

/** Turns a parsed value into what JSON.parse gives, numbers through Number(). */
function toPlain(value: WireValue): unknown {
  if (value instanceof WireNumber) return Number(value.text);
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toPlain(item)]));
  }
  return value;
}

function parsed(text: string): WireValue {
  const result = parseWireFrame(text);
  if (!result.ok) throw new Error(`rejected: ${result.reason} at ${result.position}`);
  return result.value;
}

describe('parseWireFrame', () => {
  it('keeps every number as its exact source text', () => {
    const value = parsed(
      '{"a":0.5660,"b":13834774380200032777,"c":1e-8,"d":-2.50,"e":123456789.12345678,"f":0,"g":1E+3}',
    ) as Record<string, WireNumber>;
    expect(Object.values(value).map((number) => number.text)).toEqual([
      '0.5660',
      '13834774380200032777',
      '1e-8',
      '-2.50',
      '123456789.12345678',
      '0',
      '1E+3',
    ]);
    expect(wireNumberToDecimal(value.c!)).toBe('0.00000001');
    expect(wireNumberToDecimal(value.g!)).toBe('1000');
    expect(wireNumberToDecimal(value.a!)).toBe('0.5660');
    expect(wireNumberToSafeInteger(value.b!)).toBeUndefined();
    expect(wireNumberToSafeInteger(value.f!)).toBe(0);
    expect(wireNumberToSafeInteger(parsed('-0') as WireNumber)).toBe(0);
    expect(Object.is(wireNumberToSafeInteger(parsed('-0') as WireNumber), -0)).toBe(false);
  });

  it('parses strings with every escape like JSON.parse', () => {
    const text = '"a\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\\u0041\\u00e9\\ud83d\\ude00\\ud800"';
    expect(parsed(text)).toBe(JSON.parse(text));
  });

  it('accepts insignificant whitespace and every literal', () => {
    expect(toPlain(parsed(' \n\t{ "a" : [ true , false , null , "x" ] }\r\n'))).toEqual({
      a: [true, false, null, 'x'],
    });
    expect(parsed('[]')).toEqual([]);
    expect(parsed('{}')).toEqual({});
  });

  it.each([
    ['empty', ''],
    ['bare NaN', '{"a":NaN}'],
    ['bare Infinity', '[Infinity]'],
    ['-Infinity', '[-Infinity]'],
    ['trailing garbage', '{"a":1}x'],
    ['two values', '{} {}'],
    ['unterminated string', '{"a":"abc'],
    ['unterminated object', '{"a":1'],
    ['unterminated array', '[1,2'],
    ['bad escape', '"\\x41"'],
    ['short unicode escape', '"\\u12"'],
    ['raw newline in string', '"a\nb"'],
    ['raw tab in string', '"a\tb"'],
    ['leading zero', '[01]'],
    ['leading plus', '[+1]'],
    ['bare point', '[.5]'],
    ['point without digits', '[1.]'],
    ['exponent without digits', '[1e]'],
    ['hex', '[0x10]'],
    ['trailing comma in array', '[1,]'],
    ['trailing comma in object', '{"a":1,}'],
    ['single quotes', "{'a':1}"],
    ['unquoted key', '{a:1}'],
    ['missing colon', '{"a" 1}'],
    ['comment', '[1/*x*/]'],
    ['truncated literal', '[tru]'],
    ['byte order mark', '\uFEFF{}'],
    ['lone minus', '[-]'],
  ])('rejects %s', (_, text) => {
    const result = parseWireFrame(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe('invalid-json');
  });

  it.each([
    '{"__proto__":{"polluted":true}}',
    '{"a":{"constructor":{"prototype":{"polluted":true}}}}',
    '{"prototype":1}',
    '{"\\u005f_proto__":{"polluted":true}}',
  ])('rejects prototype keys: %s', (text) => {
    const result = parseWireFrame(text);
    expect(result).toMatchObject({ ok: false, reason: 'forbidden-key' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects duplicate keys (parsers disagree on which one wins)', () => {
    expect(parseWireFrame('{"qty":1,"qty":0}')).toMatchObject({ ok: false, reason: 'duplicate-key' });
    expect(parsed('{"toString":1,"hasOwnProperty":2}')).toMatchObject({ toString: expect.any(WireNumber) });
  });

  it('enforces depth and size limits', () => {
    expect(parseWireFrame(`${'['.repeat(32)}${']'.repeat(32)}`).ok).toBe(true);
    expect(parseWireFrame(`${'['.repeat(33)}${']'.repeat(33)}`)).toMatchObject({
      ok: false,
      reason: 'nesting-too-deep',
    });
    expect(parseWireFrame(`${'['.repeat(100_000)}`)).toMatchObject({ ok: false, reason: 'nesting-too-deep' });
    expect(parseWireFrame('[1]', { maxLength: 2 })).toMatchObject({ ok: false, reason: 'frame-too-large' });
    expect(parseWireFrame(`"${'a'.repeat(20 * 1024 * 1024)}"`)).toMatchObject({
      ok: false,
      reason: 'frame-too-large',
    });
  });

  it('never throws on non-string input', () => {
    expect(parseWireFrame(undefined as unknown as string).ok).toBe(false);
    expect(parseWireFrame(Buffer.from('{}') as unknown as string).ok).toBe(false);
  });

  it('agrees with JSON.parse on structure and keeps number text (property)', () => {
    const forbidden = new Set(['__proto__', 'constructor', 'prototype']);
    const json = fc
      .jsonValue({ maxDepth: 6 })
      .filter((value) => !JSON.stringify(value).match(/"(__proto__|constructor|prototype)":/));
    fc.assert(
      fc.property(json, fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        const result = parsed(text);
        expect(toPlain(result)).toEqual(JSON.parse(text));
        // Every number token of the text appears, in order, as a WireNumber's text.
        const numbers: string[] = [];
        const collect = (item: WireValue): void => {
          if (item instanceof WireNumber) numbers.push(item.text);
          else if (Array.isArray(item)) item.forEach(collect);
          else if (item !== null && typeof item === 'object') Object.values(item).forEach(collect);
        };
        collect(result);
        // JSON.stringify wrote each number as JSON.stringify(n): the parser keeps that text.
        const expected: string[] = [];
        const collectNative = (item: unknown): void => {
          if (typeof item === 'number') expected.push(JSON.stringify(item));
          else if (Array.isArray(item)) item.forEach(collectNative);
          else if (item !== null && typeof item === 'object') Object.values(item).forEach(collectNative);
        };
        collectNative(JSON.parse(text));
        expect(numbers).toEqual(expected);
        for (const key of forbidden) expect(text.includes(`"${key}":`)).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it('keeps arbitrary decimal number text exactly (property)', () => {
    const numberText = fc
      .tuple(
        fc.boolean(),
        fc.stringMatching(/^(0|[1-9]\d{0,39})$/),
        fc.option(fc.stringMatching(/^\d{1,30}$/)),
        fc.option(
          fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.stringMatching(/^\d{1,3}$/)),
        ),
      )
      .map(
        ([negative, whole, fraction, exponent]) =>
          `${negative ? '-' : ''}${whole}${fraction === null ? '' : `.${fraction}`}${exponent === null ? '' : exponent.join('')}`,
      );
    fc.assert(
      fc.property(fc.array(numberText, { maxLength: 8 }), (numbers) => {
        const result = parsed(`[${numbers.join(',')}]`) as WireNumber[];
        expect(result.map((number) => number.text)).toEqual(numbers);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects whatever JSON.parse rejects, without throwing (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        let nativeOk = true;
        try {
          JSON.parse(text);
        } catch {
          nativeOk = false;
        }
        const result = parseWireFrame(text);
        if (!nativeOk) expect(result.ok).toBe(false);
        else if (!result.ok) expect(['forbidden-key', 'duplicate-key']).toContain(result.reason);
      }),
      { numRuns: 2000 },
    );
  });
});
