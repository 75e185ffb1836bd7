import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyParams } from '../../test/support/property-params.js';
import { Decimal, zero } from '../sim-decimal.js';
import { reservationFor } from './engine-holds.js';
import { type SettlementState, settleFill } from './engine-settlement.js';

const decimals = { base: 10, quote: 4 };
const rate = new Decimal('0.0040');
const maker = new Decimal('0.0025');
const base = { id: 'BTC', decimals: 10 };
const quote = { id: 'USD', decimals: 4 };

const qtyArb = fc
  .integer({ min: 1, max: 5_000_000 })
  .map((units) => new Decimal(String(units)).div('100000000'));
const priceArb = fc.integer({ min: 1, max: 9_000_000 }).map((units) => new Decimal(String(units)).div('10'));

function start(side: 'buy' | 'sell', feePreference: 'base' | 'quote'): SettlementState {
  return {
    side,
    feePreference,
    filledCost: zero,
    filledQty: zero,
    quoteSettled: zero,
    feeExact: zero,
    feeCharged: zero,
  };
}

describe('fill settlement with cumulative rounding', () => {
  it('books a buy: base in, quote out rounded up, fee rounded up on the quote leg', () => {
    const fill = settleFill(
      start('buy', 'quote'),
      { qty: new Decimal('0.00016'), price: new Decimal('63377.2'), feeRate: rate },
      decimals,
    );
    expect(fill.cost.toFixed()).toBe('10.140352');
    expect(fill.quoteAmount.toFixed()).toBe('-10.1404');
    expect(fill.baseAmount.toFixed()).toBe('0.00016');
    expect(fill.fee.toFixed()).toBe('0.0406');
  });

  it('never charges more than the hold of the rest, whatever the split into fills (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('buy', 'sell' as const),
        fc.constantFrom('base', 'quote' as const),
        priceArb,
        fc.array(fc.tuple(qtyArb, fc.integer({ min: 0, max: 100 }), fc.boolean()), {
          minLength: 1,
          maxLength: 25,
        }),
        (side, feePreference, limit, parts) => {
          const total = parts.reduce((sum, [qty]) => sum.plus(qty), zero);
          const holdFor = (remaining: typeof total, settled: SettlementState) =>
            reservationFor({
              side,
              remaining,
              price: limit,
              feePreference,
              maxFeeRate: rate,
              settled: {
                filledCost: settled.filledCost,
                quoteSettled: settled.quoteSettled,
                feeExact: settled.feeExact,
                feeCharged: settled.feeCharged,
              },
              base,
              quote,
            });
          const hold = holdFor(total, start(side, feePreference));
          let state = start(side, feePreference);
          let left = total;
          let spent = zero;
          let received = zero;
          for (const [qty, improvement, isMaker] of parts) {
            // Fills at the limit or better (buys lower, sells higher).
            const offset = new Decimal(String(improvement)).div('10');
            const lower = limit.minus(offset);
            const price = side === 'sell' ? limit.plus(offset) : lower.gt('0') ? lower : limit;
            const fill = settleFill(state, { qty, price, feeRate: isMaker ? maker : rate }, decimals);
            state = fill.next;
            const paid = side === 'buy' ? fill.quoteAmount.neg() : fill.baseAmount.neg();
            const feeInPaid = (side === 'buy') === (feePreference === 'quote');
            spent = spent.plus(paid).plus(feeInPaid ? fill.fee : zero);
            const gross = side === 'buy' ? fill.baseAmount : fill.quoteAmount;
            received = received.plus(gross).minus(feeInPaid ? zero : fill.fee);
            expect(fill.fee.gte('0')).toBe(true);
            // Never a negative net receipt: a fee in the received asset is capped by what came in.
            expect(received.gte('0')).toBe(true);
            // The hold of the rest plus what was charged stays within the first hold: a fill
            // never takes the available balance down (the rest is not rounded on its own).
            left = left.minus(qty);
            const rest = holdFor(left, state).amount;
            expect(rest.gte('0')).toBe(true);
            expect(spent.plus(rest).lte(hold.amount), `${spent} + ${rest} ≤ ${hold.amount}`).toBe(true);
          }
          expect(holdFor(zero, state).amount.toFixed()).toBe('0');
          expect(spent.lte(hold.amount)).toBe(true);
          expect(state.feeCharged.lte(state.feeExact.plus('0.0001'))).toBe(true);
        },
      ),
      propertyParams({ seed: 1, numRuns: 300 }),
    );
  });
});
