import { createVirtualClock } from '@krakenkit/host/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MarketDataRouter } from './market-data-router.js';
import { loadFrames } from './test-support/fixtures.js';

function createRouter() {
  const router = new MarketDataRouter({ clock: createVirtualClock() });
  router.receive(loadFrames('ws-instrument-snapshot.json')[0]!);
  router.books.track('MATIC/USD', 10);
  router.books.track('BTC/USD', 10);
  return router;
}

/** Everything a bad frame must not change. */
function observable(router: MarketDataRouter) {
  return JSON.stringify({
    books: router.books.symbols().map((symbol) => router.books.view(symbol)?.toJSON()),
    bookStats: router.books.stats(),
    trades: router.trades.stats(),
    tickers: router.tickers.symbols().map((symbol) => router.tickers.get(symbol)),
    status: router.status.current,
    pairs: router.instruments.pairs().length,
    ohlc: router.ohlc.bars('BTC/USD', 1),
  });
}

describe('MarketDataRouter', () => {
  it('runs the README example', () => {
    const router = new MarketDataRouter({ clock: createVirtualClock() });
    router.books.track('BTC/USD', 10);
    const seen: string[] = [];
    router.books.on('book-change', (book) => seen.push(`${book.bestBid()?.price}/${book.bestAsk()?.price}`));
    router.receive(
      '{"channel":"instrument","type":"snapshot","data":{"assets":[],"pairs":[{"symbol":"BTC/USD","base":"BTC","quote":"USD","status":"online","qty_precision":8,"qty_increment":0.00000001,"qty_min":0.0001,"price_precision":1,"price_increment":0.1}]}}',
    );
    router.receive(
      '{"channel":"book","type":"snapshot","data":[{"symbol":"BTC/USD","bids":[{"price":100.0,"qty":2.5},{"price":99.5,"qty":0.005}],"asks":[{"price":100.5,"qty":0.25},{"price":101.0,"qty":1.0}],"checksum":598671602}]}',
    );
    const book = router.books.book('BTC/USD');
    expect(book?.bestBid()).toEqual({ price: '100.0', qty: '2.5' });
    expect(book?.bestAsk()).toEqual({ price: '100.5', qty: '0.25' });
    expect(book?.mid()).toBe('100.25');
    expect(seen).toEqual(['100.0/100.5']);
  });

  it('routes every fixture to its store', () => {
    const router = createRouter();
    const changes: string[] = [];
    router.books.on('book-change', (book) => changes.push(`${book.symbol}@${book.checksum}`));
    for (const frame of loadFrames('ws-book-matic-docs.json')) router.receive(frame);
    for (const frame of loadFrames('ws-status-connect.json')) router.receive(frame);
    for (const frame of loadFrames('ws-ticker-update.json')) router.receive(frame);
    for (const frame of loadFrames('ws-trade-reconnect.json')) router.receive(frame);
    for (const frame of loadFrames('ws-ohlc-update.json')) router.receive(frame);
    expect(changes).toEqual(['MATIC/USD@2439117997', 'MATIC/USD@2114181697']);
    expect(router.status.connectionId).toBe('13834774380200032777');
    expect(router.status.system).toBe('maintenance');
    expect(router.tickers.get('BTC/USD')?.ask_qty).toBe('0.00000001');
    expect(router.trades.stats()).toEqual({ added: 3, duplicates: 2, gaps: 1 });
    expect(router.ohlc.bars('BTC/USD', 1)).toHaveLength(3);
    expect(router.receive('{"method":"pong","req_id":1}')).toEqual({ kind: 'pong', req_id: 1 });
    expect(router.decoder.stats()).toMatchObject({ rejected: 0 });
  });

  it('verifies books waiting for the instrument as soon as it arrives', () => {
    const router = new MarketDataRouter({ clock: createVirtualClock() });
    router.books.track('MATIC/USD', 10);
    router.receive(loadFrames('ws-book-matic-docs.json')[0]!);
    expect(router.books.state('MATIC/USD')).toBe('awaiting-instrument');
    router.receive(loadFrames('ws-instrument-snapshot.json')[0]!);
    expect(router.books.book('MATIC/USD')?.checksum).toBe(2439117997);
  });

  it('counts and skips hostile frames without throwing, changing state or polluting prototypes', () => {
    const router = createRouter();
    for (const frame of loadFrames('ws-book-matic-docs.json')) router.receive(frame);
    router.receive(loadFrames('ws-book-btc-snapshot.json')[0]!);
    for (const frame of loadFrames('ws-trade-reconnect.json')) router.receive(frame);
    for (const frame of loadFrames('ws-ticker-update.json')) router.receive(frame);
    const rejected: unknown[] = [];
    router.decoder.on('frame-reject', (event) => rejected.push(event));
    const userCallbacks: unknown[] = [];
    router.books.on('book-change', (book) => userCallbacks.push(book));
    router.trades.on('trade-add', (trade) => userCallbacks.push(trade));
    router.tickers.on('ticker-update', (ticker) => userCallbacks.push(ticker));
    const before = observable(router);
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).join();

    const seeds = [
      ...loadFrames('ws-book-matic-docs.json'),
      ...loadFrames('ws-ticker-update.json'),
      ...loadFrames('ws-trade-reconnect.json'),
      ...loadFrames('ws-status-connect.json'),
      ...loadFrames('ws-instrument-snapshot.json').slice(1),
    ];
    // Each value is out of schema for the field it replaces, so any frame that still
    // parses must be rejected by validation.
    const hostileValue = fc.constantFrom(
      'NaN',
      'Infinity',
      '-Infinity',
      '1e400',
      '-1e400',
      '-0',
      '-1',
      '1234567890123456789012345678901234567890',
      '"NaN"',
      '"Infinity"',
      '"-5"',
      'null',
      'true',
      '[]',
      '{}',
      '{"__proto__":{"polluted":1}}',
      '{"constructor":{"prototype":{"polluted":1}}}',
      `"${'x'.repeat(100)}"`,
      '"2026-13-45T99:99:99Z"',
    );
    const numberField = /(?<=":)-?\d[\d.eE+-]*/g;
    const stringField = /(?<=":)"[^"]*"/g;
    const mutatedFrame = fc
      .tuple(fc.constantFrom(...seeds), fc.constantFrom(numberField, stringField), fc.nat(), hostileValue)
      .map(([seed, pattern, at, value]) => {
        const matches = [...seed.matchAll(pattern)].filter(
          (match) => !/^"(update|snapshot|book|ticker|trade|status|instrument|v2|2\.0\.0)"$/.test(match[0]),
        );
        const match = matches[at % Math.max(1, matches.length)];
        if (match === undefined) return seed.slice(0, -1);
        return seed.slice(0, match.index) + value + seed.slice(match.index + match[0].length);
      });
    const truncated = fc
      .tuple(fc.constantFrom(...seeds), fc.nat())
      .map(([seed, at]) => seed.slice(0, at % seed.length));
    const byteMutation = fc
      .tuple(fc.constantFrom(...seeds), fc.nat(), fc.integer({ min: 0, max: 0xffff }))
      .map(([seed, at, code]) => {
        const index = at % seed.length;
        return seed.slice(0, index) + String.fromCharCode(code) + seed.slice(index + 1);
      })
      .filter((text) => !seeds.includes(text));
    const nesting = fc
      .integer({ min: 33, max: 5_000 })
      .map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
    const garbage = fc.oneof(
      fc.string({ maxLength: 64 }),
      fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
      fc.constant(''),
      fc.constant('\u0000\u0001\u0002'),
      fc.constant(
        '{"channel":"book","type":"update","data":[{"symbol":"MATIC/USD","bids":[],"asks":[],"checksum":2114181697}]}x',
      ),
    );
    const wrongTypes = fc.constantFrom(
      '{"channel":"book","type":"update","data":"MATIC/USD"}',
      '{"channel":"book","type":"update","data":[null]}',
      '{"channel":"book","type":"snapshot","data":{"symbol":"MATIC/USD"}}',
      '{"channel":"ticker","type":"update","data":[{"symbol":"BTC/USD"}]}',
      '{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","trade_id":"1"}]}',
      '{"channel":"status","type":"update","data":[{"connection_id":1.5}]}',
      '{"channel":"instrument","type":"update","data":{"assets":[{"id":"X"}],"pairs":[]}}',
      '{"channel":"instrument","type":"update","data":{"assets":[],"pairs":[{"symbol":"MATIC/USD","price_precision":99}]}}',
    );
    let frames = 0;
    fc.assert(
      fc.property(fc.oneof(mutatedFrame, truncated, byteMutation, nesting, garbage, wrongTypes), (text) => {
        frames++;
        const snapshot = observable(router);
        const accepted = router.decoder.stats().accepted;
        const calls = userCallbacks.length;
        expect(() => router.receive(text)).not.toThrow();
        if (router.decoder.stats().accepted !== accepted) {
          // A mutation that happens to stay valid (e.g. a digit changed): allowed, but it must
          // have been a well-formed message. Restore a known state for the next run.
          return;
        }
        expect(observable(router)).toBe(snapshot);
        expect(userCallbacks.length).toBe(calls);
      }),
      { numRuns: 3000 },
    );
    // Oversized frame (20 MB) is refused before parsing.
    expect(router.receive(`{"channel":"book","x":"${'a'.repeat(20 * 1024 * 1024)}"}`)).toBeUndefined();

    const stats = router.decoder.stats();
    expect(stats.rejected).toBeGreaterThan(frames * 0.8);
    expect(rejected).toHaveLength(stats.rejected);
    expect(Object.values(stats.rejectedByReason).reduce((sum, count) => sum + (count ?? 0), 0)).toBe(
      stats.rejected,
    );
    expect(stats.rejectedByReason['frame-too-large']).toBe(1);
    expect(Object.getOwnPropertyNames(Object.prototype).join()).toBe(prototypeKeys);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.toString.call([])).toBe('[object Array]');
    expect(before.length).toBeGreaterThan(0);
  });
});
