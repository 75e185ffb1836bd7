import { createVirtualClock } from '@krakenkit/host/testing';
import { compareDecimal } from '@krakenkit/plugin-api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BookPrecision } from './book-checksum.js';
import { BookStore, type PrecisionSource, type ResyncNeededEvent } from './book-store.js';
import { bookFrame, loadFrames, referenceChecksum, type TextLevel } from './test-support/fixtures.js';
import { decodeWireFrame } from './wire-decoder.js';
import type { BookMessage } from './wire-messages.js';

function precisions(
  entries: Record<string, [number, number]>,
): PrecisionSource & { set(symbol: string, p: [number, number] | undefined): void } {
  const map = new Map<string, BookPrecision>();
  const set = (symbol: string, value: [number, number] | undefined) => {
    if (value === undefined) map.delete(symbol);
    else map.set(symbol, { pricePrecision: value[0], qtyPrecision: value[1] });
  };
  for (const [symbol, value] of Object.entries(entries)) set(symbol, value);
  return { bookPrecision: (symbol) => map.get(symbol), set };
}

function book(text: string): BookMessage {
  const result = decodeWireFrame(text);
  if (!result.ok || result.message.kind !== 'book')
    throw new Error(`not a book frame: ${JSON.stringify(result)}`);
  return result.message;
}

const fixturePrecisions = {
  'MATIC/USD': [4, 8],
  'BTC/USD': [1, 8],
  'TINY/USD': [1, 8],
  'ETH/USD': [2, 8],
  'SHIB/USD': [8, 8],
  'BIG/USD': [8, 8],
} satisfies Record<string, [number, number]>;

function createStore(options: Partial<ConstructorParameters<typeof BookStore>[0]> = {}) {
  const clock = createVirtualClock();
  const source = precisions(fixturePrecisions);
  const store = new BookStore({ clock, precision: source, ...options });
  const events: { name: string; payload: unknown }[] = [];
  for (const name of ['book-state-change', 'checksum-mismatch', 'resync-needed', 'resync-alert'] as const) {
    store.on(name, (payload) => events.push({ name, payload }));
  }
  return { clock, source, store, events };
}

describe('BookStore with Kraken fixtures', () => {
  it.each([
    ['ws-book-matic-docs.json', 'MATIC/USD'],
    ['ws-book-matic-padded.json', 'MATIC/USD'],
  ])('verifies example A and its update from %s (0.566 vs 0.5660 wire text)', (fixture, symbol) => {
    const { store, events } = createStore();
    store.track(symbol, 10);
    const [snapshot, update] = loadFrames(fixture);
    store.apply(book(snapshot!));
    expect(store.state(symbol)).toBe('ready');
    expect(store.book(symbol)?.checksum).toBe(2439117997);
    store.apply(book(update!));
    const view = store.book(symbol)!;
    expect(view.checksum).toBe(2114181697);
    expect(view.bids().at(-1)).toEqual(
      fixture.includes('docs')
        ? { price: '0.5657', qty: '1098.3947558' }
        : { price: '0.5657', qty: '1098.39475580' },
    );
    // Readers get the wire text exactly: 0.566 stays 0.566, 0.5660 stays 0.5660.
    expect(view.bids()[6]?.price).toBe(fixture.includes('docs') ? '0.566' : '0.5660');
    expect(events.filter((event) => event.name !== 'book-state-change')).toEqual([]);
  });

  it('verifies example B (BTC/USD, 3310070434) and example C (598671602)', () => {
    const { store } = createStore();
    store.track('BTC/USD', 10);
    store.track('TINY/USD', 10);
    store.apply(book(loadFrames('ws-book-btc-snapshot.json')[0]!));
    store.apply(book(loadFrames('ws-book-tiny-snapshot.json')[0]!));
    expect(store.book('BTC/USD')?.checksum).toBe(3310070434);
    expect(store.book('BTC/USD')?.bestBid()).toEqual({ price: '45283.5', qty: '0.1' });
    expect(store.book('TINY/USD')?.checksum).toBe(598671602);
    expect(store.book('TINY/USD')?.bestAsk()).toEqual({ price: '100.5', qty: '0.25000000' });
  });

  it('handles trailing zeros and scientific notation exactly', () => {
    const { store } = createStore();
    store.track('ETH/USD', 10);
    const [snapshot, update] = loadFrames('ws-book-eth-trailing-zeros.json');
    store.apply(book(snapshot!));
    expect(store.state('ETH/USD')).toBe('ready');
    expect(store.book('ETH/USD')?.asks()).toEqual([
      { price: '2000.2', qty: '2' },
      { price: '2000.300', qty: '0.1000000000' },
      { price: '2000.4', qty: '0.00000001' },
    ]);
    store.apply(book(update!));
    const view = store.book('ETH/USD')!;
    expect(view.bids()).toEqual([
      { price: '2000.05', qty: '0.00000025' },
      { price: '2000.0', qty: '1.5' },
      { price: '1999.90', qty: '10' },
    ]);
    expect(view.asks()).toEqual([
      { price: '2000.15', qty: '1.25' },
      { price: '2000.300', qty: '0.1000000000' },
      { price: '2000.4', qty: '0.00000001' },
    ]);
    expect(view.spread()).toBe('0.1');
    expect(view.mid()).toBe('2000.1');
  });

  it('keeps 8-decimal prices, 1e-8 quantities and 123456789.12345678 exactly', () => {
    const { store } = createStore();
    store.track('SHIB/USD', 10);
    store.track('BIG/USD', 10);
    store.apply(book(loadFrames('ws-book-shib-small-values.json')[0]!));
    const shib = store.book('SHIB/USD')!;
    expect(shib.bids()).toEqual([
      { price: '0.00001234', qty: '100000000.00000001' },
      { price: '0.00001233', qty: '0.00000001' },
      { price: '0.00000001', qty: '0.00000001' },
    ]);
    expect(shib.spread()).toBe('0.00000001');
    expect(shib.mid()).toBe('0.000012345');
    const [snapshot, update] = loadFrames('ws-book-big-large-prices.json');
    store.apply(book(snapshot!));
    // 123456789.12345678 and ...77 are the same double: ordering falls back to exact text.
    expect(Number('123456789.12345678')).toBe(Number('123456789.12345677'));
    expect(
      store
        .book('BIG/USD')
        ?.bids()
        .map((level) => level.price),
    ).toEqual(['123456789.12345678', '123456789.12345677', '123456789.1234567']);
    store.apply(book(update!));
    const big = store.book('BIG/USD')!;
    expect(big.bestBid()).toEqual({ price: '123456789.12345678', qty: '0.6' });
    expect(big.bestAsk()).toEqual({ price: '123456789.12345679', qty: '0.75' });
    expect(big.spread()).toBe('0.00000001');
    expect(big.mid()).toBe('123456789.123456785');
    expect(store.state('BIG/USD')).toBe('ready');
  });
});

const maticFrames = () => loadFrames('ws-book-matic-padded.json');
const btcSnapshot = () => loadFrames('ws-book-btc-snapshot.json')[0]!;
/** The MATIC update with a wrong checksum. */
const badMaticUpdate = () => maticFrames()[1]!.replace('"checksum":2114181697', '"checksum":1');

describe('BookStore checksum mismatch and resync', () => {
  it('detects a mismatch on that message and invalidates only that symbol', () => {
    const { store, events, clock } = createStore();
    const matic = store.track('MATIC/USD', 10);
    store.track('BTC/USD', 10);
    store.apply(book(maticFrames()[0]!));
    store.apply(book(btcSnapshot()));
    const btcVersion = store.view('BTC/USD')!.version;
    events.length = 0;
    store.apply(book(badMaticUpdate()));

    expect(store.state('MATIC/USD')).toBe('resyncing');
    expect(store.book('MATIC/USD')).toBeUndefined();
    // A view kept from before reads empty: a known-bad book is never readable.
    expect(matic.bestBid()).toBeUndefined();
    expect(matic.bids()).toEqual([]);
    expect(matic.spread()).toBeUndefined();
    expect([...matic.levels('bid')]).toEqual([]);
    expect(events.map((event) => event.name)).toEqual([
      'checksum-mismatch',
      'book-state-change',
      'resync-needed',
    ]);
    expect(events[0]?.payload).toEqual({
      symbol: 'MATIC/USD',
      type: 'update',
      expected: 1,
      computed: 2114181697,
      consecutive: 1,
    });
    expect(events[2]?.payload).toEqual({
      symbol: 'MATIC/USD',
      depth: 10,
      reason: 'checksum-mismatch',
      consecutive: 1,
      delayMs: 0,
      notBefore: clock.monotonic(),
    } satisfies ResyncNeededEvent);

    // Other symbols untouched.
    expect(store.state('BTC/USD')).toBe('ready');
    expect(store.view('BTC/USD')!.version).toBe(btcVersion);
    expect(store.book('BTC/USD')?.checksum).toBe(3310070434);
  });

  it('ignores frames for the symbol until a new snapshot, then recovers', () => {
    const { store } = createStore();
    store.track('MATIC/USD', 10);
    store.apply(book(maticFrames()[0]!));
    store.apply(book(badMaticUpdate()));
    const version = store.view('MATIC/USD')!.version;
    store.apply(book(maticFrames()[1]!));
    expect(store.state('MATIC/USD')).toBe('resyncing');
    expect(store.view('MATIC/USD')!.version).toBe(version);
    expect(store.stats().ignoredAwaitingSnapshot).toBe(1);
    store.apply(book(maticFrames()[0]!));
    expect(store.state('MATIC/USD')).toBe('ready');
    expect(store.book('MATIC/USD')?.checksum).toBe(2439117997);
  });

  it('backs off repeated mismatches on the injected clock and alerts after the configured count', () => {
    const { store, events, clock } = createStore({
      alertAfter: 3,
      resyncBackoff: { initialDelayMs: 1_000, maxDelayMs: 4_000, multiplier: 2 },
      stableAfterMs: 30_000,
    });
    store.track('MATIC/USD', 10);
    const delays: number[] = [];
    const alerts: unknown[] = [];
    store.on('resync-needed', (event) => delays.push(event.delayMs));
    store.on('resync-alert', (event) => alerts.push(event));
    for (let attempt = 1; attempt <= 5; attempt++) {
      store.apply(book(maticFrames()[0]!));
      expect(store.state('MATIC/USD')).toBe('ready');
      clock.advance(100);
      store.apply(book(badMaticUpdate()));
      expect(store.nextResyncAt('MATIC/USD')).toBe(clock.monotonic() + delays.at(-1)!);
      expect(store.consecutiveFailures('MATIC/USD')).toBe(attempt);
    }
    expect(delays).toEqual([0, 1_000, 2_000, 4_000, 4_000]);
    expect(alerts).toEqual([
      { symbol: 'MATIC/USD', reason: 'checksum-mismatch', consecutive: 3 },
      { symbol: 'MATIC/USD', reason: 'checksum-mismatch', consecutive: 4 },
      { symbol: 'MATIC/USD', reason: 'checksum-mismatch', consecutive: 5 },
    ]);
    expect(store.stats()).toMatchObject({ checksumMismatches: 5, resyncsRequested: 5, alerts: 3 });
    expect(events.filter((event) => event.name === 'resync-alert')).toHaveLength(3);

    // A book that stays verified for stableAfterMs resets the count.
    store.apply(book(maticFrames()[0]!));
    clock.advance(30_000);
    store.apply(book(maticFrames()[1]!));
    expect(store.consecutiveFailures('MATIC/USD')).toBe(0);
    store.apply(book(maticFrames()[0]!));
    store.apply(book(badMaticUpdate()));
    expect(delays.at(-1)).toBe(0);
  });

  it('treats a value finer than the pair precision as a failure, before applying it', () => {
    const { store, events } = createStore();
    store.track('MATIC/USD', 10);
    store.apply(book(maticFrames()[0]!));
    const finer = maticFrames()[1]!.replace('"price":0.5657', '"price":0.56571');
    store.apply(book(finer));
    expect(store.state('MATIC/USD')).toBe('resyncing');
    expect(events.find((event) => event.name === 'resync-needed')?.payload).toMatchObject({
      reason: 'precision-exceeded',
    });
    expect(store.stats().precisionExceeded).toBe(1);
  });

  it('waits in awaiting-instrument without precision, then verifies when it arrives', () => {
    const { store, source } = createStore();
    source.set('MATIC/USD', undefined);
    const view = store.track('MATIC/USD', 10);
    store.apply(book(maticFrames()[0]!));
    expect(store.state('MATIC/USD')).toBe('awaiting-instrument');
    expect(view.bestBid()).toBeUndefined();
    store.apply(book(maticFrames()[1]!));
    expect(store.state('MATIC/USD')).toBe('awaiting-instrument');
    source.set('MATIC/USD', [4, 8]);
    store.refreshPrecision();
    expect(store.state('MATIC/USD')).toBe('ready');
    expect(view.checksum).toBe(2114181697);
    expect(view.bestBid()).toEqual({ price: '0.5666', qty: '4831.75496356' });
  });

  it('verifies an awaiting book on the next message when nobody refreshes', () => {
    const { store, source } = createStore();
    source.set('MATIC/USD', undefined);
    store.track('MATIC/USD', 10);
    store.apply(book(maticFrames()[0]!));
    source.set('MATIC/USD', [4, 8]);
    store.apply(book(maticFrames()[1]!));
    expect(store.book('MATIC/USD')?.checksum).toBe(2114181697);
  });

  it('ignores updates before the snapshot and data for untracked symbols; a second snapshot replaces', () => {
    const { store } = createStore();
    store.track('MATIC/USD', 10);
    store.apply(book(maticFrames()[1]!));
    expect(store.state('MATIC/USD')).toBe('syncing');
    store.apply(book(btcSnapshot()));
    expect(store.state('BTC/USD')).toBeUndefined();
    expect(store.stats()).toMatchObject({ ignoredAwaitingSnapshot: 1, ignoredUntracked: 1, applied: 0 });
    store.apply(book(maticFrames()[0]!));
    store.apply(book(maticFrames()[1]!));
    store.apply(book(maticFrames()[0]!));
    expect(store.book('MATIC/USD')?.checksum).toBe(2439117997);
  });

  it('reset() discards books without counting a failure; untrack() forgets', () => {
    const { store } = createStore();
    const view = store.track('MATIC/USD', 10);
    store.apply(book(maticFrames()[0]!));
    store.reset();
    expect(store.state('MATIC/USD')).toBe('syncing');
    expect(store.consecutiveFailures('MATIC/USD')).toBe(0);
    expect(view.bidCount).toBe(0);
    expect(store.untrack('MATIC/USD')).toBe(true);
    expect(store.view('MATIC/USD')).toBeUndefined();
  });

  it('never reports a listener error into apply()', () => {
    const errors: unknown[] = [];
    const { store } = createStore({ onListenerError: (error) => errors.push(error) });
    store.on('book-change', () => {
      throw new Error('user bug');
    });
    store.track('MATIC/USD', 10);
    expect(() => store.apply(book(maticFrames()[0]!))).not.toThrow();
    expect(errors).toHaveLength(1);
    expect(store.state('MATIC/USD')).toBe('ready');
  });

  it('iterates levels lazily and refuses to mix versions', () => {
    const { store } = createStore();
    const view = store.track('MATIC/USD', 10);
    store.apply(book(maticFrames()[0]!));
    expect([...view.levels('ask')].map((level) => level.price)).toEqual(
      view.asks().map((level) => level.price),
    );
    const iterator = view.levels('bid');
    iterator.next();
    store.apply(book(maticFrames()[1]!));
    expect(() => iterator.next()).toThrow(/changed while/);
    expect(view.version).toBeGreaterThan(1);
  });
});

/** The independent model: a map from exact value to the latest wire text and quantity. */
class ModelBook {
  bids = new Map<string, TextLevel>();
  asks = new Map<string, TextLevel>();

  apply(side: 'bids' | 'asks', levels: readonly TextLevel[], depth: number): void {
    const map = this[side];
    for (const level of levels) {
      const key = canonical(level.price);
      if (/^[0.]+$/.test(level.qty)) map.delete(key);
      else map.set(key, level);
    }
    const sorted = this.sorted(side);
    this[side] = new Map(sorted.slice(0, depth).map((level) => [canonical(level.price), level]));
  }

  sorted(side: 'bids' | 'asks'): TextLevel[] {
    const levels = [...this[side].values()];
    levels.sort((a, b) =>
      side === 'bids' ? compareDecimal(b.price, a.price) : compareDecimal(a.price, b.price),
    );
    return levels;
  }
}

function canonical(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

describe('BookStore equals a model book (property)', () => {
  const pricePrecision = 2;
  const qtyPrecision = 4;
  // A small pool of price units so messages repeat prices, delete and re-insert.
  const priceText = fc
    .tuple(fc.integer({ min: 9_900, max: 10_100 }), fc.nat({ max: 2 }))
    .map(([units, extraZeros]) => {
      const text = `${Math.floor(units / 100)}.${String(units % 100).padStart(2, '0')}`;
      const trimmed =
        extraZeros === 0 ? text.replace(/0+$/, '').replace(/\.$/, '') : text + '0'.repeat(extraZeros - 1);
      return trimmed;
    });
  const qtyText = fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom('0', '0.0000', '0.0') },
    {
      weight: 4,
      arbitrary: fc.integer({ min: 1, max: 5_000_000 }).map((units) => {
        const text = String(units).padStart(5, '0');
        return `${text.slice(0, -4).replace(/^0+(?=\d)/, '')}.${text.slice(-4)}`;
      }),
    },
  );
  const level = fc.record({ price: priceText, qty: qtyText });
  const message = fc.record({
    bids: fc.array(level, { maxLength: 12 }),
    asks: fc.array(level, { maxLength: 12 }),
  });

  it.each([1, 10, 25, 100])('at depth %i', (depth) => {
    fc.assert(
      fc.property(message, fc.array(message, { maxLength: 30 }), (snapshot, updates) => {
        const clock = createVirtualClock();
        const store = new BookStore({
          clock,
          precision: { bookPrecision: () => ({ pricePrecision, qtyPrecision }) },
        });
        const mismatches: unknown[] = [];
        store.on('checksum-mismatch', (event) => mismatches.push(event));
        store.track('XBT/EUR', depth);
        const model = new ModelBook();
        // Bids sit below asks: shift bid prices down so the model book is never crossed.
        const shift = (levels: TextLevel[]) =>
          levels.map((item) => ({
            ...item,
            price: item.price.replace(/^\d+/, (whole) => String(Number(whole) - 50)),
          }));
        const frames = [snapshot, ...updates].map((entry, index) => {
          const bids = shift(entry.bids);
          model.apply('bids', bids, depth);
          model.apply('asks', entry.asks, depth);
          const checksum = referenceChecksum(
            model.sorted('asks'),
            model.sorted('bids'),
            pricePrecision,
            qtyPrecision,
          );
          return {
            text: bookFrame(index === 0 ? 'snapshot' : 'update', 'XBT/EUR', bids, entry.asks, checksum),
            bids: model.sorted('bids'),
            asks: model.sorted('asks'),
          };
        });
        for (const frame of frames) {
          store.apply(book(frame.text));
          expect(mismatches).toEqual([]);
          const view = store.book('XBT/EUR')!;
          expect(view.bids()).toEqual(frame.bids);
          expect(view.asks()).toEqual(frame.asks);
        }
      }),
      { numRuns: depth === 100 ? 40 : 80 },
    );
  });

  it('a store fed a corrupted frame never shows it (property)', () => {
    fc.assert(
      fc.property(message, fc.integer({ min: 1, max: 0xffff_ffff }), (update, wrong) => {
        const clock = createVirtualClock();
        const store = new BookStore({
          clock,
          precision: { bookPrecision: () => ({ pricePrecision, qtyPrecision }) },
        });
        store.track('XBT/EUR', 10);
        store.apply(book(bookFrame('snapshot', 'XBT/EUR', [], [], 0)));
        const model = new ModelBook();
        model.apply('asks', update.asks, 10);
        model.apply('bids', update.bids, 10);
        const good = referenceChecksum(
          model.sorted('asks'),
          model.sorted('bids'),
          pricePrecision,
          qtyPrecision,
        );
        const checksum = good === wrong ? (wrong + 1) >>> 0 : wrong;
        store.apply(book(bookFrame('update', 'XBT/EUR', update.bids, update.asks, checksum)));
        expect(store.state('XBT/EUR')).toBe('resyncing');
        expect(store.book('XBT/EUR')).toBeUndefined();
        expect(store.view('XBT/EUR')?.bids()).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
