import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bookChecksum,
  cachedBookChecksum,
  checksumDigits,
  checksumInput,
  crc32,
  fitsPrecision,
} from './book-checksum.js';
import { StoredLevel } from './book-side.js';
import { referenceChecksum } from './test-support/fixtures.js';

const level = (price: string, qty: string) => ({ price, qty });

// PROTOCOL §8.2: MATIC/USD, price_precision 4, qty_precision 8.
const maticAsks = [
  level('0.5668', '4410.79769741'),
  level('0.5669', '4655.40412487'),
  level('0.5670', '49844.89424998'),
  level('0.5671', '24306.41678000'),
  level('0.5672', '29783.25223475'),
  level('0.5673', '57234.71239278'),
  level('0.5674', '45065.04744000'),
  level('0.5675', '5912.76380354'),
  level('0.5676', '42514.92434778'),
  level('0.5677', '36304.08470220'),
];
const maticBids = [
  level('0.5666', '4831.75496356'),
  level('0.5665', '6658.22734739'),
  level('0.5664', '18724.91513344'),
  level('0.5663', '11563.92544914'),
  level('0.5662', '14006.65365711'),
  level('0.5661', '17454.85679807'),
  level('0.5660', '18097.15470000'),
  level('0.5659', '33644.89175666'),
  level('0.5658', '148.34640000'),
  level('0.5657', '606.70854372'),
];
const maticPrecision = { pricePrecision: 4, qtyPrecision: 8 };

describe('crc32', () => {
  it('is the unsigned IEEE CRC-32', () => {
    expect(crc32('')).toBe(0);
    expect(crc32('123456789')).toBe(0xcbf43926);
  });

  it('matches PROTOCOL §8.3 example B (3310070434, not the signed -984896862)', () => {
    const input =
      '45285210000045286415457195345286615457110945289615456091145290215890660452918154553491452947445474945296135380000452975994554245299518772827452835100000004528341545820154528211000000045281010000000452803154592586452790799000045277633101034527753000000045277315460273745276615445238';
    expect(crc32(input)).toBe(3310070434);
  });
});

describe('checksumDigits', () => {
  it.each([
    ['0.5660', 4, '5660'],
    ['0.566', 4, '5660'],
    ['0.56600', 4, '5660'],
    ['45281.0', 1, '452810'],
    ['45281', 1, '452810'],
    ['0.10000000', 8, '10000000'],
    ['0.1', 8, '10000000'],
    ['0.00100000', 8, '100000'],
    ['0.0', 1, ''],
    ['0', 8, ''],
    ['123456789.12345678', 8, '12345678912345678'],
    ['0.00000001', 8, '1'],
  ])('%s at precision %i is %j', (text, precision, expected) => {
    expect(checksumDigits(text, precision)).toBe(expected);
  });
});

describe('fitsPrecision', () => {
  it('allows trailing zeros beyond the precision and refuses non-zero digits', () => {
    expect(fitsPrecision('0.56600', 4)).toBe(true);
    expect(fitsPrecision('0.5660', 4)).toBe(true);
    expect(fitsPrecision('45281', 1)).toBe(true);
    expect(fitsPrecision('0.56601', 4)).toBe(false);
    expect(fitsPrecision('1.000000001', 8)).toBe(false);
  });
});

describe('bookChecksum', () => {
  it('reproduces worked example A (MATIC/USD, 2439117997) from padded text', () => {
    expect(checksumInput(maticAsks, maticBids, maticPrecision)).toHaveLength(331);
    expect(bookChecksum(maticAsks, maticBids, maticPrecision)).toBe(2439117997);
  });

  it('reproduces example A from the docs float text (0.566, 148.3464), padding to precision', () => {
    const strip = (levels: typeof maticAsks) =>
      levels.map(({ price, qty }) => level(String(Number(price)), String(Number(qty))));
    expect(strip(maticBids)[6]).toEqual(level('0.566', '18097.1547'));
    expect(bookChecksum(strip(maticAsks), strip(maticBids), maticPrecision)).toBe(2439117997);
  });

  it('gives 3830085102 when the precision is ignored (the classic bug)', () => {
    const strip = (levels: typeof maticAsks) =>
      levels.map(({ price, qty }) => level(String(Number(price)), String(Number(qty))));
    const raw = [...strip(maticAsks), ...strip(maticBids)]
      .map(({ price, qty }) => (price + qty).replaceAll('.', '').replace(/^0+/, ''))
      .join('');
    expect(crc32(raw)).toBe(3830085102);
  });

  it('reproduces the follow-up update of example A (2114181697)', () => {
    const bids = [...maticBids.slice(0, 9), level('0.5657', '1098.3947558')];
    expect(bookChecksum(maticAsks, bids, maticPrecision)).toBe(2114181697);
  });

  it('reproduces example C (598671602)', () => {
    const asks = [level('100.5', '0.25000000'), level('101.0', '1.00000000')];
    const bids = [level('100.0', '2.50000000'), level('99.5', '0.00500000')];
    const precision = { pricePrecision: 1, qtyPrecision: 8 };
    expect(checksumInput(asks, bids, precision)).toBe('10052500000010101000000001000250000000995500000');
    expect(bookChecksum(asks, bids, precision)).toBe(598671602);
  });

  it('gives the same value from cached per-level shares, and recomputes them on a precision change', () => {
    const stored = (levels: typeof maticAsks) =>
      levels.map(({ price, qty }) => new StoredLevel(price, qty, Number(price)));
    const asks = stored(maticAsks);
    const bids = stored(maticBids);
    expect(cachedBookChecksum(asks, bids, maticPrecision)).toBe(2439117997);
    expect(cachedBookChecksum(asks, bids, maticPrecision)).toBe(2439117997);
    const coarse = { pricePrecision: 4, qtyPrecision: 9 };
    expect(cachedBookChecksum(asks, bids, coarse)).toBe(bookChecksum(maticAsks, maticBids, coarse));
  });

  it('uses only the top 10 levels per side', () => {
    const extra = [...maticAsks, level('0.5678', '1')];
    expect(bookChecksum(extra, maticBids, maticPrecision)).toBe(2439117997);
  });

  it('equals an independent string + zlib implementation (property)', () => {
    const decimal = (maxScale: number) =>
      fc
        .tuple(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.nat({ max: maxScale }), fc.nat({ max: 3 }))
        .map(([units, scale, extraZeros]) => {
          const digits = units.toString().padStart(scale + 1, '0');
          const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
          return extraZeros > 0 && scale > 0 ? text + '0'.repeat(extraZeros) : text;
        });
    fc.assert(
      fc.property(
        fc.nat({ max: 8 }),
        fc.nat({ max: 8 }),
        fc.array(fc.tuple(decimal(8), decimal(8)), { maxLength: 14 }),
        fc.array(fc.tuple(decimal(8), decimal(8)), { maxLength: 14 }),
        (pricePrecision, qtyPrecision, askPairs, bidPairs) => {
          const cap = (text: string, precision: number) => {
            const point = text.indexOf('.');
            return point < 0 ? text : text.slice(0, point + 1 + precision).replace(/\.$/, '');
          };
          const asks = askPairs.map(([p, q]) => level(cap(p, pricePrecision), cap(q, qtyPrecision)));
          const bids = bidPairs.map(([p, q]) => level(cap(p, pricePrecision), cap(q, qtyPrecision)));
          expect(bookChecksum(asks, bids, { pricePrecision, qtyPrecision })).toBe(
            referenceChecksum(asks, bids, pricePrecision, qtyPrecision),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
