import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyParams } from '../../test/support/property-params.js';
import { NonceTracker, parseNonce } from './auth-nonces.js';

function offer(tracker: NonceTracker, nonce: bigint): boolean {
  if (!tracker.acceptable(nonce)) return false;
  tracker.accept(nonce);
  return true;
}

describe('parseNonce', () => {
  it('reads unsigned 64-bit decimal text only', () => {
    expect(parseNonce('1616492376594')).toBe(1616492376594n);
    expect(parseNonce('18446744073709551615')).toBe(2n ** 64n - 1n);
    expect(parseNonce('0001')).toBe(1n);
    for (const bad of [
      undefined,
      '',
      '18446744073709551616',
      '-1',
      '1.5',
      '1e12',
      ' 1',
      '+1',
      '0x10',
      'abc',
    ]) {
      expect(parseNonce(bad)).toBeUndefined();
    }
  });
});

describe('NonceTracker without a window', () => {
  it('accepts only strictly increasing nonces', () => {
    const tracker = new NonceTracker(0n);
    expect(offer(tracker, 0n)).toBe(false);
    expect(offer(tracker, 100n)).toBe(true);
    expect(offer(tracker, 100n)).toBe(false);
    expect(offer(tracker, 99n)).toBe(false);
    expect(offer(tracker, 101n)).toBe(true);
    // A jump to a larger scale works once; going back never does.
    expect(offer(tracker, 1_700_000_000_000_000_000n)).toBe(true);
    expect(offer(tracker, 1_700_000_000_000n)).toBe(false);
  });

  it('property: the accepted nonces form a strictly increasing sequence', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 1000n }), { maxLength: 200 }), (nonces) => {
        const tracker = new NonceTracker(0n);
        const accepted = nonces.filter((nonce) => offer(tracker, nonce));
        for (let i = 1; i < accepted.length; i++) expect(accepted[i]! > accepted[i - 1]!).toBe(true);
        // Every refused nonce was ≤ the highest accepted before it.
        let last = 0n;
        const replay = new NonceTracker(0n);
        for (const nonce of nonces) {
          expect(offer(replay, nonce)).toBe(nonce > last);
          if (nonce > last) last = nonce;
        }
      }),
      propertyParams({ seed: 1 }),
    );
  });
});

describe('NonceTracker with a window', () => {
  it('accepts late nonces inside the window once, and nothing at or below last − window', () => {
    const tracker = new NonceTracker(10n);
    expect(offer(tracker, 100n)).toBe(true);
    expect(offer(tracker, 95n)).toBe(true); // late, inside (90, 100]
    expect(offer(tracker, 95n)).toBe(false); // replay
    expect(offer(tracker, 100n)).toBe(false); // replay of the highest
    expect(offer(tracker, 91n)).toBe(true);
    expect(offer(tracker, 90n)).toBe(false); // = last − window: outside
    expect(offer(tracker, 105n)).toBe(true); // window now (95, 105]
    expect(offer(tracker, 96n)).toBe(true);
    expect(offer(tracker, 95n)).toBe(false);
    expect(offer(tracker, 92n)).toBe(false);
  });

  it('property: matches the definition (accepted iff > last, or > last − w and never seen)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 50n }),
        fc.array(fc.bigInt({ min: 1n, max: 300n }), { maxLength: 300 }),
        (window, nonces) => {
          const tracker = new NonceTracker(window);
          const seen = new Set<bigint>();
          let last = 0n;
          for (const nonce of nonces) {
            const expected = nonce > last || (nonce > last - window && !seen.has(nonce));
            expect(offer(tracker, nonce)).toBe(expected);
            if (expected) {
              seen.add(nonce);
              if (nonce > last) last = nonce;
            }
          }
        },
      ),
      propertyParams({ seed: 1 }),
    );
  });

  it('forgets the oldest remembered nonces beyond its memory, refusing everything at or below them', () => {
    const tracker = new NonceTracker(1_000_000n);
    for (let nonce = 1n; nonce <= 5000n; nonce++) expect(offer(tracker, nonce * 2n)).toBe(true);
    // Odd nonces were never used, but the oldest ones are now below the forgotten floor.
    expect(offer(tracker, 3n)).toBe(false);
    expect(offer(tracker, 9999n)).toBe(true);
    expect(offer(tracker, 9999n)).toBe(false);
  });
});
