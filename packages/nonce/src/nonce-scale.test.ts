import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NonceArgumentError, NonceExhaustedError } from './nonce-errors.js';
import { clockNonce, maxNonce, nextNonce, nonceScaleRank, parseNonce } from './nonce-scale.js';

const keyHash = 'a'.repeat(64);

describe('nonce scale arithmetic', () => {
  it('scales wall-clock ms to ms, µs and ns', () => {
    const now = Date.UTC(2026, 0, 1) + 0.9; // fractions of a ms are floored
    expect(clockNonce(now, 'ms')).toBe(1_767_225_600_000n);
    expect(clockNonce(now, 'us')).toBe(1_767_225_600_000_000n);
    expect(clockNonce(now, 'ns')).toBe(1_767_225_600_000_000_000n);
    expect(clockNonce(Number.NaN, 'ns')).toBe(0n);
    expect(clockNonce(-5, 'ns')).toBe(0n);
    expect(nonceScaleRank('ms')).toBeLessThan(nonceScaleRank('us'));
    expect(nonceScaleRank('us')).toBeLessThan(nonceScaleRank('ns'));
  });

  it('is max(last + 1, clock), strictly above last, never below the clock', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: maxNonce - 1n }),
        fc.bigInt({ min: 0n, max: maxNonce }),
        (last, clock) => {
          const next = nextNonce(last, clock, keyHash);
          expect(next).toBeGreaterThan(last);
          expect(next).toBeGreaterThanOrEqual(clock);
          expect(next === last + 1n || next === clock).toBe(true);
        },
      ),
    );
  });

  it('refuses to go past 2^64 − 1 with a typed error instead of overflowing', () => {
    expect(nextNonce(maxNonce - 1n, 0n, keyHash)).toBe(maxNonce);
    expect(() => nextNonce(maxNonce, 0n, keyHash)).toThrow(NonceExhaustedError);
    expect(() => nextNonce(0n, maxNonce + 1n, keyHash)).toThrow(/uint64 maximum 18446744073709551615/);
  });

  it('parses only plain decimal uint64 strings', () => {
    expect(parseNonce('0', 'x')).toBe(0n);
    expect(parseNonce(maxNonce.toString(), 'x')).toBe(maxNonce);
    for (const bad of [
      '',
      '-1',
      '01',
      '1.5',
      '1e3',
      ' 1',
      '0x10',
      (maxNonce + 1n).toString(),
      '9'.repeat(21),
    ]) {
      expect(() => parseNonce(bad, 'floor'), bad).toThrow(NonceArgumentError);
    }
    expect(() => parseNonce(12 as unknown, 'floor')).toThrow(/got number/);
  });
});
