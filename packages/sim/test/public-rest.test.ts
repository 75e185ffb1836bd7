import { createVirtualClock, type VirtualClock } from '@krakenkit/host/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sim, startSim } from '../src/index.js';

// Kraken's public REST methods (PROTOCOL §3.1) against a sim whose market has traded for a
// few virtual minutes. Results are keyed by REST pair ids whatever name was asked for.

let sim: Sim;
let clock: VirtualClock;
const start = Date.UTC(2026, 0, 5, 23, 58);

beforeAll(async () => {
  clock = createVirtualClock({ now: start });
  sim = await startSim({ clock, marketSpeed: 1.5 });
  // Past midnight UTC, so "today" and "last 24 h" differ.
  for (let minute = 0; minute < 4; minute++) await clock.advanceAsync(60_000);
});

afterAll(async () => {
  expect(sim.control.internalErrors()).toEqual([]);
  await sim.close();
});

async function get(method: string, query: Record<string, string> = {}) {
  const response = await fetch(`${sim.urls.rest}/0/public/${method}?${new URLSearchParams(query)}`);
  expect(response.status).toBe(200);
  return (await response.json()) as { error: string[]; result?: Record<string, unknown> };
}

const decimal = (places: number) => new RegExp(`^\\d+\\.\\d{${places}}$`);

describe('Time and SystemStatus', () => {
  it('Time: unixtime and Kraken’s rfc1123 with a two-digit year', async () => {
    const body = await get('Time');
    expect(body.error).toEqual([]);
    expect(body.result).toEqual({
      unixtime: Math.floor(clock.now() / 1000),
      rfc1123: 'Tue, 06 Jan 26 00:02:00 +0000',
    });
  });

  it('SystemStatus: status and an RFC 3339 timestamp', async () => {
    expect((await get('SystemStatus')).result).toEqual({
      status: 'online',
      timestamp: '2026-01-06T00:02:00Z',
    });
  });
});

describe('Assets and AssetPairs', () => {
  it('Assets: REST ids as keys; filter by any name; unknown asset refused', async () => {
    const all = await get('Assets');
    expect(all.result?.XXBT).toEqual({
      aclass: 'currency',
      altname: 'XBT',
      decimals: 10,
      display_decimals: 5,
      status: 'enabled',
    });
    expect(Object.keys((await get('Assets', { asset: 'XBT,ZUSD,ETH' })).result ?? {})).toEqual([
      'XXBT',
      'ZUSD',
      'XETH',
    ]);
    expect((await get('Assets', { asset: 'DOGE' })).error).toEqual(['EQuery:Unknown asset']);
  });

  it('AssetPairs: every spelling finds the pair, keyed by its REST id, with Kraken’s fields', async () => {
    for (const name of ['XXBTZUSD', 'XBTUSD', 'BTC/USD', 'XBT/USD', 'xbtusd']) {
      const body = await get('AssetPairs', { pair: name });
      expect(Object.keys(body.result ?? {}), name).toEqual(['XXBTZUSD']);
    }
    const pol = (await get('AssetPairs', { pair: 'POL/USD' })).result?.POLUSD as Record<string, unknown>;
    expect(pol).toMatchObject({
      altname: 'POLUSD',
      wsname: 'POL/USD',
      base: 'POL',
      quote: 'ZUSD',
      pair_decimals: 4,
      lot_decimals: 8,
      cost_decimals: 5,
      ordermin: '10',
      costmin: '0.5',
      tick_size: '0.0001',
      status: 'online',
      fees: expect.arrayContaining([[0, 0.4]]),
      fees_maker: expect.arrayContaining([[0, 0.25]]),
      leverage_buy: [],
    });
    const btc = (await get('AssetPairs', { pair: 'XBTUSD' })).result?.XXBTZUSD as Record<string, unknown>;
    expect(btc).toMatchObject({ base: 'XXBT', quote: 'ZUSD', wsname: 'XBT/USD' });
    expect(Object.keys((await get('AssetPairs')).result ?? {})).toEqual([
      'XXBTZUSD',
      'XETHZUSD',
      'POLUSD',
      'PEPEUSD',
    ]);
    expect((await get('AssetPairs', { pair: 'XBTUSD', info: 'leverage' })).result?.XXBTZUSD).toEqual({
      leverage_buy: [],
      leverage_sell: [],
    });
    expect(
      Object.keys((await get('AssetPairs', { pair: 'XBTUSD', info: 'fees' })).result?.XXBTZUSD ?? {}),
    ).toEqual(['fees', 'fees_maker', 'fee_volume_currency']);
    expect((await get('AssetPairs', { pair: 'XBTUSD', info: 'margin' })).result?.XXBTZUSD).toEqual({
      margin_call: 80,
      margin_stop: 40,
    });
    expect((await get('AssetPairs', { pair: 'DOGEUSD' })).error).toEqual(['EQuery:Unknown asset pair']);
    expect((await get('AssetPairs', { info: 'everything' })).error).toEqual([
      'EGeneral:Invalid arguments:info',
    ]);
  });
});

describe('market data', () => {
  it('Ticker: a/b/c/v/p/t/l/h/o with string values and integer counts; today vs 24 h', async () => {
    const body = await get('Ticker', { pair: 'XBTUSD,POL/USD' });
    expect(Object.keys(body.result ?? {})).toEqual(['XXBTZUSD', 'POLUSD']);
    const pol = body.result?.POLUSD as Record<string, unknown[]>;
    expect(pol.a).toEqual([
      expect.stringMatching(decimal(4)),
      expect.stringMatching(/^\d+$/),
      expect.stringMatching(decimal(8)),
    ]);
    expect(pol.b).toHaveLength(3);
    expect(pol.c).toEqual([expect.stringMatching(decimal(4)), expect.stringMatching(decimal(8))]);
    for (const key of ['v', 'p', 'l', 'h'])
      expect(pol[key]).toEqual([expect.any(String), expect.any(String)]);
    const [todayTrades, dayTrades] = pol.t as [number, number];
    expect(Number.isInteger(todayTrades)).toBe(true);
    expect(dayTrades).toBeGreaterThan(todayTrades);
    expect(Number(pol.v?.[1])).toBeGreaterThan(Number(pol.v?.[0]));
    expect(pol.o).toEqual(expect.stringMatching(decimal(4)));
    expect(Object.keys((await get('Ticker')).result ?? {})).toHaveLength(4);
    expect((await get('Ticker', { pair: 'XBTUSD,NOPE' })).error).toEqual(['EQuery:Unknown asset pair']);
  });

  it('Depth: [price, volume, ts] rows, best first, count 1–500', async () => {
    const body = await get('Depth', { pair: 'ETHUSD', count: '5' });
    const book = body.result?.XETHZUSD as {
      asks: [string, string, number][];
      bids: [string, string, number][];
    };
    expect(book.asks).toHaveLength(5);
    expect(book.bids).toHaveLength(5);
    for (const [price, volume, time] of [...book.asks, ...book.bids]) {
      expect(price).toMatch(decimal(2));
      expect(volume).toMatch(decimal(8));
      expect(Number.isInteger(time)).toBe(true);
    }
    expect(Number(book.asks[0]?.[0])).toBeLessThan(Number(book.asks[1]?.[0]));
    expect(Number(book.bids[0]?.[0])).toBeGreaterThan(Number(book.bids[1]?.[0]));
    expect(Number(book.bids[0]?.[0])).toBeLessThan(Number(book.asks[0]?.[0]));
    expect((await get('Depth', { pair: 'ETHUSD' })).result?.XETHZUSD).toMatchObject({
      asks: expect.any(Array),
    });
    const deep = (await get('Depth', { pair: 'ETHUSD', count: '500' })).result?.XETHZUSD as
      | { asks: unknown[] }
      | undefined;
    expect(deep?.asks).toHaveLength(500);
    for (const count of ['0', '501', 'ten']) {
      expect((await get('Depth', { pair: 'ETHUSD', count })).error).toEqual([
        'EGeneral:Invalid arguments:count',
      ]);
    }
    expect((await get('Depth', { pair: 'NOPE' })).error).toEqual(['EQuery:Unknown asset pair']);
    expect((await get('Depth')).error).toEqual(['EGeneral:Invalid arguments:pair']);
  });

  it('OHLC: aligned candles up to the forming one, `last` = newest committed, since exclusive', async () => {
    const body = await get('OHLC', { pair: 'XBTUSD' });
    const rows = body.result?.XXBTZUSD as unknown[][];
    const now = Math.floor(clock.now() / 1000);
    const forming = now - (now % 60);
    expect(rows.at(-1)?.[0]).toBe(forming);
    expect(body.result?.last).toBe(forming - 60);
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) {
      expect(row).toEqual([
        expect.any(Number),
        expect.stringMatching(decimal(1)),
        expect.stringMatching(decimal(1)),
        expect.stringMatching(decimal(1)),
        expect.stringMatching(decimal(1)),
        expect.stringMatching(decimal(1)),
        expect.stringMatching(decimal(8)),
        expect.any(Number),
      ]);
      expect((row[0] as number) % 60).toBe(0);
      expect(Number(row[3])).toBeLessThanOrEqual(Math.min(Number(row[1]), Number(row[4])));
      expect(Number(row[2])).toBeGreaterThanOrEqual(Math.max(Number(row[1]), Number(row[4])));
    }
    const since = (await get('OHLC', { pair: 'XBTUSD', since: String(body.result?.last) })).result
      ?.XXBTZUSD as unknown[][];
    expect(since.map((row) => row[0])).toEqual([forming]);
    const daily = (await get('OHLC', { pair: 'XBTUSD', interval: '1440' })).result?.XXBTZUSD as unknown[][];
    expect(daily.map((row) => row[0])).toEqual([Date.UTC(2026, 0, 5) / 1000, Date.UTC(2026, 0, 6) / 1000]);
    expect((await get('OHLC', { pair: 'XBTUSD', interval: '2' })).error).toEqual([
      'EGeneral:Invalid arguments:interval',
    ]);
    expect((await get('OHLC', { pair: 'XBTUSD', since: 'yesterday' })).error).toEqual([
      'EGeneral:Invalid arguments:since',
    ]);
  });

  it('Trades: rows with taker side and type, sequential ids, and a `since` cursor that pages without gaps', async () => {
    const recent = await get('Trades', { pair: 'XBTUSD', count: '5' });
    const rows = recent.result?.XXBTZUSD as unknown[][];
    expect(rows).toHaveLength(5);
    for (const row of rows) {
      expect(row).toEqual([
        expect.stringMatching(decimal(1)),
        expect.stringMatching(decimal(8)),
        expect.any(Number),
        expect.stringMatching(/^[bs]$/),
        expect.stringMatching(/^[ml]$/),
        '',
        expect.any(Number),
      ]);
    }
    expect(recent.result?.last).toEqual(expect.stringMatching(/^\d{19}$/));
    // Page through everything from the start with a small count: ids 1, 2, 3, ... without gaps.
    let cursor = String(start / 1000);
    const ids: number[] = [];
    for (let page = 0; page < 200; page++) {
      const body = await get('Trades', { pair: 'XBTUSD', since: cursor, count: '250' });
      const batch = body.result?.XXBTZUSD as unknown[][];
      ids.push(...batch.map((row) => row[6] as number));
      cursor = body.result?.last as string;
      if (batch.length < 250) break;
    }
    expect(ids.length).toBeGreaterThan(250);
    expect(ids).toEqual(ids.map((_, index) => index + 1));
    expect((rows.at(-1)?.[6] as number) === ids.at(-1)).toBe(true);
    expect((await get('Trades', { pair: 'XBTUSD', count: '1001' })).error).toEqual([
      'EGeneral:Invalid arguments:count',
    ]);
    expect((await get('Trades', { pair: 'XBTUSD', since: '-1' })).error).toEqual([
      'EGeneral:Invalid arguments:since',
    ]);
  });

  it('Spread: [time, bid, ask] rows of best-price changes, `last`, since exclusive', async () => {
    const body = await get('Spread', { pair: 'PEPEUSD' });
    const rows = body.result?.PEPEUSD as [number, string, string][];
    expect(rows.length).toBeGreaterThan(10);
    for (const [time, bid, ask] of rows) {
      expect(Number.isInteger(time)).toBe(true);
      expect(bid).toMatch(decimal(8));
      expect(Number(bid)).toBeLessThan(Number(ask));
    }
    expect(body.result?.last).toBe(rows.at(-1)?.[0]);
    const later = (await get('Spread', { pair: 'PEPEUSD', since: String(rows.at(-1)?.[0]) })).result?.PEPEUSD;
    expect(later).toEqual([]);
  });
});
