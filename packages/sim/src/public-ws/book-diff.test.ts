import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyParams } from '../../test/support/property-params.js';
import { MarketBook } from '../market/market-book.js';
import { pairUnits } from '../market/market-units.js';
import { defaultPairs, type SimPair } from '../sim-pairs.js';
import { depthBound, depthDiff } from './book-diff.js';

const units = pairUnits(defaultPairs.find((pair) => pair.symbol === 'POL/USD') as SimPair);

const operation = fc.oneof(
  fc.record({
    kind: fc.constant('add' as const),
    price: fc.integer({ min: 1, max: 60 }),
    qty: fc.integer({ min: 1, max: 9 }),
  }),
  fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('resize' as const), pick: fc.nat(), qty: fc.integer({ min: 1, max: 9 }) }),
);

describe('depthDiff', () => {
  it('a client applying the diffs and truncating to its depth always holds exactly the top levels', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 3, 10, 25),
        fc.array(fc.array(operation, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 30 }),
        (depth, batches) => {
          const book = new MarketBook(units);
          const side = book.bids;
          const ids: string[] = [];
          let next = 0;
          const client = new Map<bigint, bigint>();
          let bound = depthBound(side, depth);
          for (const batch of batches) {
            for (const op of batch) {
              if (op.kind === 'add') {
                const id = `o${next++}`;
                ids.push(id);
                const qty = BigInt(op.qty);
                book.append(
                  side,
                  BigInt(op.price),
                  { id, accountId: undefined, remaining: qty, visible: qty, peak: undefined },
                  0,
                );
              } else if (ids.length > 0) {
                const id = ids[op.pick % ids.length] as string;
                if (op.kind === 'cancel') {
                  book.cancel(id, 0);
                  ids.splice(ids.indexOf(id), 1);
                } else {
                  book.resize(id, BigInt(op.qty), undefined, true, 0);
                }
              }
            }
            const changes = book.drainChanges();
            const updates = changes ? depthDiff(side, changes.bids, depth, bound) : [];
            bound = depthBound(side, depth);
            for (const update of updates) {
              if (update.qty === 0n) {
                expect(client.has(update.price), 'deletes only levels the client holds').toBe(true);
                client.delete(update.price);
              } else {
                client.set(update.price, update.qty);
              }
            }
            const kept = [...client.keys()].sort((a, b) => (a > b ? -1 : 1)).slice(0, depth);
            for (const price of [...client.keys()]) if (!kept.includes(price)) client.delete(price);
            const truth = side.levels.slice(0, depth).map((level) => [level.price, level.visible]);
            expect([...client.entries()].sort(([a], [b]) => (a > b ? -1 : 1))).toEqual(truth);
          }
        },
      ),
      propertyParams({ seed: 1, numRuns: 300 }),
    );
  });
});
