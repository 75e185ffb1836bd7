import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareDecimal, isDecimalString, normalizeDecimal } from './decimal.js';

describe('normalizeDecimal', () => {
  it.each([
    ['0.5660', '0.5660'],
    ['123456789.12345678', '123456789.12345678'],
    ['0.00000001', '0.00000001'],
    ['1e-8', '0.00000001'],
    ['1E-8', '0.00000001'],
    ['1.50e-3', '0.00150'],
    ['1.5E+3', '1500'],
    ['25e2', '2500'],
    ['-0', '0'],
    ['-0.000', '0.000'],
    ['-1.25', '-1.25'],
    ['0', '0'],
    ['45281.0', '45281.0'],
    ['13834774380200032777', '13834774380200032777'],
  ])('keeps %s exact as %s', (input, expected) => {
    expect(normalizeDecimal(input)).toBe(expected);
  });

  it.each([
    'NaN',
    'Infinity',
    '-Infinity',
    '1e400',
    '1e-400',
    '',
    '01',
    '1.',
    '.5',
    '+1',
    '0x10',
    '1_000',
    ' 1',
    '1e',
    '--1',
  ])('rejects %j', (input) => {
    expect(normalizeDecimal(input)).toBeUndefined();
  });

  it('rejects absurdly long digit strings', () => {
    expect(normalizeDecimal('1'.repeat(65))).toBeUndefined();
    expect(normalizeDecimal('1'.repeat(64))).toBe('1'.repeat(64));
  });

  it('is exact for every plain decimal (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.nat({ max: 18 }), (units, scale) => {
        const text = toDecimalText(units, scale);
        expect(normalizeDecimal(text)).toBe(
          text.startsWith('-') && /^-[0.]+$/.test(text) ? text.slice(1) : text,
        );
      }),
    );
  });

  it('moves the point exactly for exponent forms (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 20n }),
        fc.integer({ min: -30, max: 30 }),
        (mantissa, exponent) => {
          const normalized = normalizeDecimal(`${mantissa}e${exponent}`);
          expect(normalized).toBeDefined();
          expect(
            compareDecimal(
              normalized!,
              exponent >= 0 ? `${mantissa * 10n ** BigInt(exponent)}` : toDecimalText(mantissa, -exponent),
            ),
          ).toBe(0);
        },
      ),
    );
  });
});

describe('isDecimalString', () => {
  it('accepts plain decimals and rejects everything else', () => {
    for (const value of ['0', '1.5', '-0.00000001', '123456789.12345678'])
      expect(isDecimalString(value)).toBe(true);
    for (const value of ['1e-8', '01', '1.', '', 'abc', 1.5, null, undefined, ' 1', '1'.repeat(70)]) {
      expect(isDecimalString(value)).toBe(false);
    }
  });
});

describe('compareDecimal', () => {
  it.each([
    ['1.5', '1.50', 0],
    ['0.5660', '0.566', 0],
    ['2', '10', -1],
    ['-2', '-10', 1],
    ['-0', '0', 0],
    ['0.00000001', '0.0000001', -1],
    ['123456789.12345678', '123456789.12345679', -1],
    ['100', '99.999999999', 1],
  ])('compares %s and %s', (a, b, sign) => {
    expect(Math.sign(compareDecimal(a, b))).toBe(sign);
    expect(Math.sign(compareDecimal(b, a))).toBe(-sign || 0);
  });

  it('agrees with exact bigint comparison (property)', () => {
    const decimal = fc.tuple(fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }), fc.nat({ max: 12 }));
    fc.assert(
      fc.property(decimal, decimal, ([unitsA, scaleA], [unitsB, scaleB]) => {
        const scale = Math.max(scaleA, scaleB);
        const a = unitsA * 10n ** BigInt(scale - scaleA);
        const b = unitsB * 10n ** BigInt(scale - scaleB);
        const expected = a === b ? 0 : a < b ? -1 : 1;
        expect(Math.sign(compareDecimal(toDecimalText(unitsA, scaleA), toDecimalText(unitsB, scaleB)))).toBe(
          expected,
        );
      }),
    );
  });
});

function toDecimalText(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}
