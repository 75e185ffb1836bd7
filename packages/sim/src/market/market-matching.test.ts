import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyParams } from '../../test/support/property-params.js';
import { defaultPairs, type SimPair } from '../sim-pairs.js';
import type { Side } from '../sim-types.js';
import type { Level } from './book-side.js';
import { MarketBook } from './market-book.js';
import { matchTaker, type UnitTaker } from './market-matching.js';
import { pairUnits } from './market-units.js';

const pair = defaultPairs.find((candidate) => candidate.symbol === 'ETH/USD') as SimPair;
const units = pairUnits(pair);
const lot = 1_000_000n; // 0.01 ETH, so quantities stay readable
const bidTop = 100_00n; // 100.00 (2 price decimals)
const askTop = 100_01n;
type Stp = 'cancel-newest' | 'cancel-oldest' | 'cancel-both';

interface MakerSpec {
  side: Side;
  ticks: number;
  lots: number;
  account: 'a' | 'b' | undefined;
  peakLots: number | undefined;
}

interface ModelOrder {
  id: string;
  account: string | undefined;
  side: Side;
  price: bigint;
  remaining: bigint;
  visible: bigint;
  peak: bigint | undefined;
  seq: number;
}

const priceOf = (side: Side, ticks: number) =>
  side === 'buy' ? bidTop - BigInt(ticks) : askTop + BigInt(ticks);

function build(makers: readonly MakerSpec[]): { book: MarketBook; model: ModelOrder[] } {
  const book = new MarketBook(units);
  const model: ModelOrder[] = [];
  makers.forEach((maker, index) => {
    const remaining = BigInt(maker.lots) * lot;
    const peak = maker.peakLots === undefined ? undefined : BigInt(maker.peakLots) * lot;
    const visible = peak !== undefined && peak < remaining ? peak : remaining;
    const order = { id: `o${index}`, accountId: maker.account, remaining, visible, peak };
    book.append(book.restingSide(maker.side), priceOf(maker.side, maker.ticks), order, 0);
    model.push({
      ...order,
      account: maker.account,
      side: maker.side,
      price: priceOf(maker.side, maker.ticks),
      seq: index,
    });
  });
  return { book, model };
}

/** Price-time matching written the slow, obvious way: best price, then earliest sequence. */
function modelMatch(orders: ModelOrder[], taker: UnitTaker, stp: Stp) {
  const fills: { id: string; price: bigint; qty: bigint }[] = [];
  const cancelled: string[] = [];
  let stopped = false;
  let qtyLeft = taker.qty;
  let cashLeft = taker.cash;
  let nextSeq = orders.length;
  const better = (a: bigint, b: bigint) => (taker.side === 'buy' ? a < b : a > b);
  for (;;) {
    const candidates = orders.filter(
      (order) =>
        order.side !== taker.side &&
        (taker.limit === undefined || order.price === taker.limit || better(order.price, taker.limit)),
    );
    if (candidates.length === 0) break;
    const best = candidates.reduce((a, b) =>
      a.price === b.price ? (a.seq < b.seq ? a : b) : better(a.price, b.price) ? a : b,
    );
    if (taker.accountId !== undefined && best.account === taker.accountId) {
      if (stp === 'cancel-newest') {
        stopped = true;
        break;
      }
      orders.splice(orders.indexOf(best), 1);
      cancelled.push(best.id);
      if (stp === 'cancel-both') {
        stopped = true;
        break;
      }
      continue;
    }
    let most = best.visible;
    if (qtyLeft !== undefined && qtyLeft < most) most = qtyLeft;
    if (cashLeft !== undefined) {
      const affordable = cashLeft / best.price;
      if (affordable < most) most = affordable;
    }
    if (most <= 0n) break;
    fills.push({ id: best.id, price: best.price, qty: most });
    best.visible -= most;
    best.remaining -= most;
    if (qtyLeft !== undefined) qtyLeft -= most;
    if (cashLeft !== undefined) cashLeft -= best.price * most;
    if (best.visible === 0n) {
      if (best.remaining > 0n) {
        best.visible = best.peak !== undefined && best.peak < best.remaining ? best.peak : best.remaining;
        best.seq = nextSeq++;
      } else {
        orders.splice(orders.indexOf(best), 1);
      }
    }
  }
  return { fills, cancelled, stopped };
}

/** The book's levels as the model sees them: price → Σ visible, queue order by sequence. */
function modelLevels(orders: ModelOrder[], side: Side) {
  const levels = new Map<bigint, ModelOrder[]>();
  for (const order of orders.filter((candidate) => candidate.side === side)) {
    levels.set(order.price, [...(levels.get(order.price) ?? []), order]);
  }
  return [...levels.entries()]
    .sort(([a], [b]) => (side === 'buy' ? (a > b ? -1 : 1) : a < b ? -1 : 1))
    .map(([price, queue]) => ({
      price,
      visible: queue.reduce((sum, order) => sum + order.visible, 0n),
      ids: queue.sort((a, b) => a.seq - b.seq).map((order) => order.id),
    }));
}

function bookLevels(levels: readonly Level[]) {
  return levels.map((level) => ({
    price: level.price,
    visible: level.visible,
    ids: level.orders.map((order) => order.id),
  }));
}

const makerArb = fc.record({
  side: fc.constantFrom<Side>('buy', 'sell'),
  ticks: fc.integer({ min: 0, max: 7 }),
  lots: fc.integer({ min: 1, max: 400 }),
  account: fc.constantFrom<'a' | 'b' | undefined>('a', 'b', undefined, undefined),
  peakLots: fc.option(fc.integer({ min: 1, max: 120 }), { nil: undefined }),
});

const takerArb = fc.record({
  side: fc.constantFrom<Side>('buy', 'sell'),
  lots: fc.integer({ min: 1, max: 3000 }),
  byCash: fc.boolean(),
  limitTicks: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
  account: fc.constantFrom<'a' | 'b' | undefined>('a', 'b', undefined),
  stp: fc.constantFrom<Stp>('cancel-newest', 'cancel-oldest', 'cancel-both'),
});

describe('matchTaker', () => {
  it('matches in price-time priority exactly like the obvious model (limits, cash, icebergs, STP)', () => {
    fc.assert(
      fc.property(fc.array(makerArb, { maxLength: 40 }), takerArb, (makers, spec) => {
        const { book, model } = build(makers);
        const taker: UnitTaker = { side: spec.side };
        if (spec.byCash && spec.side === 'buy') taker.cash = BigInt(spec.lots) * lot * askTop;
        else taker.qty = BigInt(spec.lots) * lot;
        if (spec.limitTicks !== undefined)
          taker.limit = priceOf(spec.side === 'buy' ? 'sell' : 'buy', spec.limitTicks);
        if (spec.account !== undefined) taker.accountId = spec.account;
        const asked: string[] = [];
        taker.onSelfTrade = (id) => {
          asked.push(id);
          return spec.stp;
        };
        const before = model.reduce((sum, order) => sum + order.remaining, 0n);
        const result = matchTaker(book, taker, 1);
        const expected = modelMatch(model, taker, spec.stp);

        expect(
          result.fills.map((fill) => ({ id: fill.makerOrderId, price: fill.price, qty: fill.qty })),
        ).toEqual(expected.fills);
        expect(result.cancelledMakerOrderIds).toEqual(expected.cancelled);
        expect(result.stoppedBySelfTrade).toBe(expected.stopped);
        expect(bookLevels(book.bids.levels)).toEqual(modelLevels(model, 'buy'));
        expect(bookLevels(book.asks.levels)).toEqual(modelLevels(model, 'sell'));

        // Never worse than the limit; conservation of quantity.
        for (const fill of result.fills) {
          if (taker.limit === undefined) continue;
          expect(spec.side === 'buy' ? fill.price <= taker.limit : fill.price >= taker.limit).toBe(true);
        }
        const filled = result.fills.reduce((sum, fill) => sum + fill.qty, 0n);
        expect(result.filledQty).toBe(filled);
        expect(result.filledCost).toBe(result.fills.reduce((sum, fill) => sum + fill.qty * fill.price, 0n));
        if (taker.qty !== undefined) expect(filled <= taker.qty).toBe(true);
        if (taker.cash !== undefined) expect(result.filledCost <= taker.cash).toBe(true);
        const cancelledQty = makers.reduce(
          (sum, maker, index) =>
            result.cancelledMakerOrderIds.includes(`o${index}`)
              ? sum +
                (BigInt(maker.lots) * lot -
                  result.fills.filter((f) => f.makerOrderId === `o${index}`).reduce((s, f) => s + f.qty, 0n))
              : sum,
          0n,
        );
        const after = model.reduce((sum, order) => sum + order.remaining, 0n);
        expect(before - after).toBe(filled + cancelledQty);
        // STP asked only about the taker's own orders.
        for (const id of asked) expect(makers[Number(id.slice(1))]?.account).toBe(spec.account);
      }),
      propertyParams({ seed: 1, numRuns: 400 }),
    );
  });

  it('keeps FIFO within a level: earlier orders fill first, partial fills keep their place', () => {
    const { book } = build([
      { side: 'sell', ticks: 0, lots: 5, account: 'a', peakLots: undefined },
      { side: 'sell', ticks: 0, lots: 5, account: 'b', peakLots: undefined },
      { side: 'sell', ticks: 0, lots: 5, account: undefined, peakLots: undefined },
    ]);
    const first = matchTaker(book, { side: 'buy', qty: 7n * lot }, 1);
    expect(first.fills.map((fill) => [fill.makerOrderId, fill.qty / lot])).toEqual([
      ['o0', 5n],
      ['o1', 2n],
    ]);
    expect(book.asks.best()?.orders.map((order) => order.id)).toEqual(['o1', 'o2']);
    expect(book.asks.best()?.visible).toBe(8n * lot);
  });

  it('shows only an iceberg display part; a used-up part refills at the back of the queue', () => {
    const { book } = build([
      { side: 'sell', ticks: 0, lots: 10, account: 'a', peakLots: 3 },
      { side: 'sell', ticks: 0, lots: 4, account: 'b', peakLots: undefined },
    ]);
    expect(book.asks.best()?.visible).toBe(7n * lot);
    const result = matchTaker(book, { side: 'buy', qty: 5n * lot }, 1);
    // 3 from the iceberg's visible part (it refills behind o1), then 2 from o1.
    expect(result.fills.map((fill) => [fill.makerOrderId, fill.qty / lot, fill.refilledVisible])).toEqual([
      ['o0', 3n, 3n * lot],
      ['o1', 2n, undefined],
    ]);
    expect(
      book.asks.best()?.orders.map((order) => [order.id, order.visible / lot, order.remaining / lot]),
    ).toEqual([
      ['o1', 2n, 2n],
      ['o0', 3n, 7n],
    ]);
  });

  it('sizes cash market buys in quote currency, never spending more', () => {
    const { book } = build([
      { side: 'sell', ticks: 0, lots: 100, account: undefined, peakLots: undefined },
      { side: 'sell', ticks: 99, lots: 100, account: undefined, peakLots: undefined },
    ]);
    const cash = 15_000n * 10n ** 8n; // 150.00 USD in cost units (2 + 8 decimals)
    const result = matchTaker(book, { side: 'buy', cash }, 1);
    expect(result.filledCost <= cash).toBe(true);
    expect(result.fills[0]?.qty).toBe(100n * lot);
    expect(result.fills[1]?.price).toBe(askTop + 99n);
    expect(cash - result.filledCost < askTop + 99n).toBe(true);
  });
});
