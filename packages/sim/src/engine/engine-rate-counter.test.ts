import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyParams } from '../../test/support/property-params.js';
import {
  agePenalty,
  batchAddCost,
  fixedCosts,
  TradingRateCounter,
  tierLimits,
} from './engine-rate-counter.js';

describe('trading rate counter (PROTOCOL §4.2)', () => {
  it('charges the age penalties of the table, brackets exclusive at the upper bound', () => {
    const at = (seconds: number) => seconds * 1000;
    expect(
      [0, 4.999, 5, 9.999, 10, 14.999, 15, 44.999, 45, 89.999, 90, 299.999, 300, 1e6].map((s) =>
        agePenalty('cancel', at(s)),
      ),
    ).toEqual([8, 8, 6, 6, 5, 5, 4, 4, 2, 2, 1, 1, 0, 0]);
    expect([0, 5, 10, 15, 45, 90, 300].map((s) => agePenalty('amend', at(s)))).toEqual([3, 2, 1, 0, 0, 0, 0]);
    expect([0, 5, 10, 15, 45, 90, 300].map((s) => agePenalty('edit', at(s)))).toEqual([6, 5, 4, 2, 1, 0, 0]);
    expect(fixedCosts).toEqual({ add: 1, amend: 1, edit: 1, cancel: 0 });
    expect(batchAddCost(15)).toBe(7.5);
  });

  it("reproduces Kraken's worked example: add, amend 7 s later, cancel 36 s after the amend → 8 before decay", () => {
    let now = 0;
    const counter = new TradingRateCounter(() => now, true);
    const decayFree = 'starter' as const;
    counter.add('a', 'BTC/USD', decayFree, fixedCosts.add);
    counter.add('a', 'BTC/USD', decayFree, fixedCosts.amend + agePenalty('amend', 7_000));
    counter.add('a', 'BTC/USD', decayFree, agePenalty('cancel', 36_000));
    expect(counter.value('a', 'BTC/USD', decayFree)).toBe(8);
    now = 3_000;
    expect(counter.value('a', 'BTC/USD', decayFree)).toBe(5);
    now = 60_000;
    expect(counter.value('a', 'BTC/USD', decayFree)).toBe(0);
  });

  it('keeps one counter per account and pair, and refuses above the tier threshold unless enforcement is off', () => {
    const counter = new TradingRateCounter(() => 0, true);
    for (let i = 0; i < 125; i++) expect(counter.tryAdd('a', 'BTC/USD', 'intermediate', 1)).toBe(true);
    expect(counter.tryAdd('a', 'BTC/USD', 'intermediate', 1)).toBe(false);
    expect(counter.value('a', 'BTC/USD', 'intermediate')).toBe(125);
    expect(counter.tryAdd('a', 'ETH/USD', 'intermediate', 1)).toBe(true);
    expect(counter.tryAdd('b', 'BTC/USD', 'intermediate', 1)).toBe(true);
    const relaxed = new TradingRateCounter(() => 0, false);
    for (let i = 0; i < 500; i++) expect(relaxed.tryAdd('a', 'BTC/USD', 'starter', 1)).toBe(true);
    expect(relaxed.value('a', 'BTC/USD', 'starter')).toBe(500);
  });

  it('decays at exactly the tier rate on any schedule of charges (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('starter', 'intermediate', 'pro' as const),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 10 })), {
          maxLength: 40,
        }),
        (tier, steps) => {
          let now = 0;
          const counter = new TradingRateCounter(() => now, true);
          let model = 0;
          for (const [wait, cost] of steps) {
            now += wait;
            model = Math.max(0, model - (wait / 1000) * tierLimits[tier].decayPerSecond);
            counter.add('a', 'X/Y', tier, cost);
            model += cost;
            expect(counter.value('a', 'X/Y', tier)).toBeCloseTo(model, 9);
          }
        },
      ),
      propertyParams({ seed: 1 }),
    );
  });
});
