import { describe, expect, it } from 'vitest';
import { InstrumentStore } from './instrument-store.js';
import { OhlcStore } from './ohlc-store.js';
import { StatusStore } from './status-store.js';
import { loadFrames } from './test-support/fixtures.js';
import { TickerStore } from './ticker-store.js';
import { TradeStore } from './trade-store.js';
import { decodeWireFrame } from './wire-decoder.js';
import type { OhlcBar, OhlcMessage, TradeData, TradeMessage, WireMessage } from './wire-messages.js';

function messages<K extends WireMessage['kind']>(
  fixture: string,
  kind: K,
): Extract<WireMessage, { kind: K }>[] {
  return loadFrames(fixture).map((frame) => {
    const result = decodeWireFrame(frame);
    if (!result.ok || result.message.kind !== kind) throw new Error(`fixture ${fixture} is not ${kind}`);
    return result.message as Extract<WireMessage, { kind: K }>;
  });
}

const trade = (trade_id: number): TradeData => ({
  symbol: 'BTC/USD',
  side: 'buy',
  price: '1',
  qty: '1',
  ord_type: 'limit',
  trade_id,
  timestamp: '2026-01-05T10:00:00Z',
});
const trades = (type: TradeMessage['type'], ...ids: number[]): TradeMessage => ({
  kind: 'trade',
  type,
  data: ids.map(trade),
});

describe('TradeStore', () => {
  it('dedupes the snapshot repeated after a reconnect and reports the gap', () => {
    const store = new TradeStore();
    const added: number[] = [];
    const gaps: unknown[] = [];
    store.on('trade-add', (item) => added.push(item.trade_id));
    store.on('trade-gap', (gap) => gaps.push(gap));
    const [live, snapshot] = messages('ws-trade-reconnect.json', 'trade');
    store.apply(live!);
    expect(store.apply(snapshot!).map((item) => item.trade_id)).toEqual([4665910]);
    expect(added).toEqual([4665906, 4665907, 4665910]);
    expect(gaps).toEqual([{ symbol: 'BTC/USD', after: 4665907, next: 4665910, missing: 2 }]);
    expect(store.stats()).toEqual({ added: 3, duplicates: 2, gaps: 1 });
    expect(store.lastTradeId('BTC/USD')).toBe(4665910);
  });

  it('keeps bounded memory: only the last recentLimit trades', () => {
    const store = new TradeStore({ recentLimit: 5 });
    for (let id = 0; id < 1_000; id += 10)
      store.apply(trades('update', ...Array.from({ length: 10 }, (_, i) => id + i)));
    store.apply(trades('snapshot', ...Array.from({ length: 50 }, (_, i) => 950 + i)));
    expect(store.recent('BTC/USD').map((item) => item.trade_id)).toEqual([995, 996, 997, 998, 999]);
    expect(store.recent('BTC/USD', 2).map((item) => item.trade_id)).toEqual([998, 999]);
    expect(store.stats()).toEqual({ added: 1_000, duplicates: 50, gaps: 0 });
  });
});

describe('OhlcStore', () => {
  it('replaces bars by interval_begin and closes each bar exactly once', () => {
    const store = new OhlcStore();
    const closed: string[] = [];
    store.on('ohlc-close', (bar) => closed.push(bar.interval_begin));
    const [snapshot, forming, next] = messages('ws-ohlc-update.json', 'ohlc');
    store.apply(snapshot!);
    expect(closed).toEqual([]);
    store.apply(forming!);
    expect(store.latest('BTC/USD', 1)).toMatchObject({ close: '64008.0', trades: 3 });
    store.apply(next!);
    expect(closed).toEqual(['2026-01-05T10:01:00.000000000Z']);
    // Reconnect: the snapshot repeats old bars; none is closed twice.
    store.apply(snapshot!);
    store.apply(next!);
    expect(closed).toEqual(['2026-01-05T10:01:00.000000000Z']);
    expect(store.bars('BTC/USD', 1).map((bar) => bar.interval_begin)).toEqual([
      '2026-01-05T10:00:00.000000000Z',
      '2026-01-05T10:01:00.000000000Z',
      '2026-01-05T10:02:00.000000000Z',
    ]);
  });

  it('closes bars that finished while disconnected when the next snapshot shows them', () => {
    const store = new OhlcStore({ maxBars: 3 });
    const closed: string[] = [];
    store.on('ohlc-close', (bar) => closed.push(bar.interval_begin.slice(11, 16)));
    const bar = (minute: number, close: string): OhlcBar => ({
      symbol: 'ETH/USD',
      open: '1',
      high: '1',
      low: '1',
      close,
      vwap: '1',
      trades: 1,
      volume: '1',
      interval_begin: `2026-01-05T10:0${minute}:00.000000000Z`,
      interval: 1,
    });
    const ohlc = (type: OhlcMessage['type'], ...bars: OhlcBar[]): OhlcMessage => ({
      kind: 'ohlc',
      type,
      data: bars,
    });
    store.apply(ohlc('snapshot', bar(0, '1'), bar(1, '2')));
    store.apply(ohlc('snapshot', bar(1, '3'), bar(2, '4'), bar(3, '5')));
    expect(closed).toEqual(['10:01', '10:02']);
    expect(store.bars('ETH/USD', 1)).toHaveLength(3);
    expect(store.latest('ETH/USD', 1)?.close).toBe('5');
  });
});

describe('TickerStore, InstrumentStore, StatusStore', () => {
  it('keeps the latest ticker per symbol', () => {
    const store = new TickerStore();
    for (const message of messages('ws-ticker-update.json', 'ticker')) store.apply(message);
    expect(store.get('BTC/USD')).toMatchObject({ bid: '64000.3', ask: '64000.4' });
    expect(store.symbols()).toEqual(['BTC/USD']);
  });

  it('replaces the catalogue on snapshot and merges updates', () => {
    const store = new InstrumentStore();
    const changes: unknown[] = [];
    store.on('instrument-change', (change) => changes.push(change));
    const [snapshot, update] = messages('ws-instrument-snapshot.json', 'instrument');
    expect(store.bookPrecision('MATIC/USD')).toBeUndefined();
    store.apply(snapshot!);
    expect(store.isLoaded).toBe(true);
    expect(store.bookPrecision('MATIC/USD')).toEqual({ pricePrecision: 4, qtyPrecision: 8 });
    store.apply(update!);
    expect(store.pair('ETH/USD')).toMatchObject({ status: 'post_only', qty_min: '0.004' });
    expect(store.pair('BTC/USD')).toMatchObject({ status: 'online' });
    expect(store.asset('BTC')).toMatchObject({ precision: 10 });
    expect(changes).toHaveLength(2);
    expect(changes[1]).toEqual({ type: 'update', assets: [], pairs: ['ETH/USD'] });
  });

  it('keeps the system state and the exact connection id', () => {
    const store = new StatusStore();
    const [online, maintenance] = messages('ws-status-connect.json', 'status');
    store.apply(online!);
    expect(store.connectionId).toBe('13834774380200032777');
    store.apply(maintenance!);
    expect(store.system).toBe('maintenance');
    store.clear();
    expect(store.current).toBeUndefined();
  });
});
