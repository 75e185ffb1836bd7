import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBookFrame } from './book-frame-decoder.js';
import { loadFrames } from './test-support/fixtures.js';
import { decodeWireFrame, decodeWireValue } from './wire-decoder.js';
import type { WireMessage } from './wire-messages.js';
import { parseWireFrame } from './wire-parser.js';

function decoded(text: string): WireMessage {
  const result = decodeWireFrame(text);
  if (!result.ok) throw new Error(`rejected ${result.reason} ${result.detail}`);
  return result.message;
}

describe('decodeWireFrame fixtures', () => {
  it('keeps status connection_id exact', () => {
    const [online, maintenance] = loadFrames('ws-status-connect.json').map(decoded);
    expect(online).toEqual({
      kind: 'status',
      type: 'update',
      data: [
        { api_version: 'v2', connection_id: '13834774380200032777', system: 'online', version: '2.0.0' },
      ],
    });
    expect(maintenance).toMatchObject({ data: [{ system: 'maintenance' }] });
  });

  it('decodes tickers sent as numbers or decimal strings', () => {
    const [snapshot, update] = loadFrames('ws-ticker-update.json').map(decoded);
    expect(snapshot).toMatchObject({
      kind: 'ticker',
      type: 'snapshot',
      data: [{ bid: '64000.1', low: '62000.0', change: '-150.3', change_pct: '-0.23' }],
    });
    expect(update).toMatchObject({
      data: [{ bid: '64000.3', bid_qty: '0.50000000', ask_qty: '0.00000001' }],
    });
  });

  it('decodes trades, OHLC, instruments, responses, pong and heartbeat', () => {
    expect(decoded(loadFrames('ws-trade-reconnect.json')[0]!)).toMatchObject({
      kind: 'trade',
      data: [
        { trade_id: 4665906, qty: '0.01000000', side: 'buy', ord_type: 'market' },
        { trade_id: 4665907 },
      ],
    });
    expect(decoded(loadFrames('ws-ohlc-update.json')[0]!)).toMatchObject({
      kind: 'ohlc',
      type: 'snapshot',
      timestamp: '2026-01-05T10:01:30.000000Z',
      data: [
        { interval: 1, trades: 12, volume: '1.25000000', interval_begin: '2026-01-05T10:00:00.000000000Z' },
        {},
      ],
    });
    const [instruments, instrumentUpdate] = loadFrames('ws-instrument-snapshot.json').map(decoded);
    expect(instruments).toMatchObject({
      kind: 'instrument',
      type: 'snapshot',
      data: {
        assets: [{ id: 'USD', precision: 4, collateral_value: '1.0' }, { id: 'BTC' }],
        pairs: expect.arrayContaining([
          expect.objectContaining({
            symbol: 'MATIC/USD',
            price_precision: 4,
            qty_precision: 8,
            price_increment: '0.0001',
            qty_min: '4.5',
            cost_min: '0.5',
            status: 'online',
          }),
        ]),
      },
    });
    expect(instrumentUpdate).toMatchObject({
      type: 'update',
      data: { assets: [], pairs: [{ status: 'post_only' }] },
    });
    const [ack, failure, pong, heartbeat] = loadFrames('ws-response-variants.json').map(decoded);
    expect(ack).toMatchObject({
      kind: 'method-response',
      method: 'subscribe',
      success: true,
      req_id: 7,
      warnings: ['tick_size is deprecated, use price_increment'],
      time_in: '2026-01-05T10:00:00.100000Z',
    });
    expect(failure).toMatchObject({
      kind: 'method-response',
      success: false,
      error: 'Currency pair not supported XBT/USD',
      symbol: 'XBT/USD',
      req_id: 8,
    });
    expect(pong).toEqual({
      kind: 'pong',
      req_id: 101,
      time_in: '2026-01-05T10:00:01.000000Z',
      time_out: '2026-01-05T10:00:01.000020Z',
    });
    expect(heartbeat).toEqual({ kind: 'heartbeat' });
  });

  it('decodes registered extension channels and rejects unknown ones', () => {
    const text = '{"channel":"executions","type":"update","data":[{"exec_id":"X"}]}';
    expect(decodeWireFrame(text)).toMatchObject({
      ok: false,
      reason: 'unknown-channel',
      channel: 'executions',
    });
    const result = decodeWireFrame(text, { channels: { executions: (frame) => frame.data ?? 'data' } });
    expect(result).toMatchObject({
      ok: true,
      message: { kind: 'extension', channel: 'executions', type: 'update' },
    });
    expect(decodeWireFrame('{"channel":"toString"}', { channels: {} })).toMatchObject({
      reason: 'unknown-channel',
    });
    const throwing = decodeWireFrame(text, {
      channels: {
        executions: () => {
          throw new Error('bug');
        },
      },
    });
    expect(throwing).toMatchObject({ ok: false, reason: 'invalid-message' });
  });
});

describe('decodeWireFrame rejections', () => {
  const book = (data: string) => `{"channel":"book","type":"update","data":[${data}]}`;
  const level = (price: string, qty: string) =>
    book(`{"symbol":"BTC/USD","bids":[{"price":${price},"qty":${qty}}],"asks":[],"checksum":1}`);

  it.each([
    ['NaN price', level('NaN', '1'), 'invalid-json'],
    ['string NaN price', level('"NaN"', '1'), 'invalid-message'],
    ['string Infinity qty', level('1', '"Infinity"'), 'invalid-message'],
    ['1e400 price', level('1e400', '1'), 'invalid-message'],
    ['-0 qty', level('1', '-0'), 'invalid-message'],
    ['negative qty', level('1', '-1.5'), 'invalid-message'],
    ['negative price', level('-1', '1'), 'invalid-message'],
    ['zero price', level('0.0', '1'), 'invalid-message'],
    ['40-digit qty', level('1', '1'.repeat(40)), 'invalid-message'],
    ['boolean price', level('true', '1'), 'invalid-message'],
    ['null price', level('null', '1'), 'invalid-message'],
    ['array qty', level('1', '[1]'), 'invalid-message'],
    [
      'missing qty',
      book('{"symbol":"BTC/USD","bids":[{"price":1}],"asks":[],"checksum":1}'),
      'invalid-message',
    ],
    ['missing checksum', book('{"symbol":"BTC/USD","bids":[],"asks":[]}'), 'invalid-message'],
    [
      'checksum > uint32',
      book('{"symbol":"BTC/USD","bids":[],"asks":[],"checksum":4294967296}'),
      'invalid-message',
    ],
    [
      'fractional checksum',
      book('{"symbol":"BTC/USD","bids":[],"asks":[],"checksum":1.5}'),
      'invalid-message',
    ],
    ['string bids', book('{"symbol":"BTC/USD","bids":"x","asks":[],"checksum":1}'), 'invalid-message'],
    ['null data', '{"channel":"book","type":"update","data":null}', 'invalid-message'],
    ['empty data', '{"channel":"book","type":"update","data":[]}', 'invalid-message'],
    [
      'long symbol',
      book(`{"symbol":"${'A'.repeat(40)}/USD","bids":[],"asks":[],"checksum":1}`),
      'invalid-message',
    ],
    ['symbol without slash', book('{"symbol":"BTCUSD","bids":[],"asks":[],"checksum":1}'), 'invalid-message'],
    [
      'bad timestamp',
      book('{"symbol":"BTC/USD","bids":[],"asks":[],"checksum":1,"timestamp":"yesterday"}'),
      'invalid-message',
    ],
    ['unknown type', '{"channel":"book","type":"delta","data":[]}', 'unknown-type'],
    ['missing type', '{"channel":"ticker","data":[]}', 'unknown-type'],
    ['unknown channel', '{"channel":"level4","type":"update","data":[]}', 'unknown-channel'],
    ['number channel', '{"channel":5}', 'not-a-message'],
    ['array frame', '[1,2]', 'not-a-message'],
    ['string frame', '"book"', 'not-a-message'],
    ['method without success', '{"method":"subscribe"}', 'unknown-method'],
    ['non-boolean success', '{"method":"subscribe","success":"yes"}', 'invalid-message'],
    ['error as array', '{"method":"add_order","success":false,"error":["EOrder"]}', 'invalid-message'],
    ['huge error', `{"method":"add_order","success":false,"error":"${'x'.repeat(2000)}"}`, 'invalid-message'],
    ['negative req_id', '{"method":"pong","req_id":-1}', 'invalid-message'],
    [
      'status with 2^64 id',
      '{"channel":"status","type":"update","data":[{"api_version":"v2","connection_id":18446744073709551616,"system":"online","version":"2"}]}',
      'invalid-message',
    ],
    [
      'trade with fractional id',
      '{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"buy","price":1,"qty":1,"ord_type":"limit","trade_id":1.5,"timestamp":"2026-01-05T10:00:00Z"}]}',
      'invalid-message',
    ],
    [
      'trade with bad side',
      '{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"long","price":1,"qty":1,"ord_type":"limit","trade_id":1,"timestamp":"2026-01-05T10:00:00Z"}]}',
      'invalid-message',
    ],
    [
      'ohlc with bad interval',
      '{"channel":"ohlc","type":"update","data":[{"symbol":"BTC/USD","open":1,"high":1,"low":1,"close":1,"vwap":1,"trades":1,"volume":1,"interval_begin":"2026-01-05T10:00:00Z","interval":7}]}',
      'invalid-message',
    ],
    [
      'instrument pairs as object',
      '{"channel":"instrument","type":"snapshot","data":{"assets":[],"pairs":{}}}',
      'invalid-message',
    ],
    ['instrument data as array', '{"channel":"instrument","type":"snapshot","data":[]}', 'invalid-message'],
    ['proto key', '{"channel":"book","__proto__":{"x":1}}', 'forbidden-key'],
    [
      'duplicate checksum',
      book('{"symbol":"BTC/USD","bids":[],"asks":[],"checksum":1,"checksum":2}'),
      'duplicate-key',
    ],
  ])('rejects %s', (_, text, reason) => {
    const result = decodeWireFrame(text);
    expect(result).toMatchObject({ ok: false, reason });
  });

  it('accepts a string decimal, an exponent and extra fields (forward compatible)', () => {
    const text = book(
      '{"symbol":"BTC/USD","bids":[{"price":"45283.5","qty":1e-8,"extra":1}],"asks":[],"checksum":1,"new":true}',
    );
    expect(decoded(text)).toMatchObject({ data: [{ bids: [{ price: '45283.5', qty: '0.00000001' }] }] });
  });
});

describe('book fast path', () => {
  it('takes compact Kraken frames and declines anything else', () => {
    const frame = loadFrames('ws-book-btc-snapshot.json')[0]!;
    expect(decodeBookFrame(frame)).toEqual(decoded(frame));
    expect(decodeBookFrame(frame.replace('{"channel":"book",', '{ "channel":"book",'))).toBeUndefined();
    expect(decodeBookFrame(frame.replace('"price":45283.5', '"price":4.52835e4'))).toBeUndefined();
    expect(decodeBookFrame(`${frame} `)).toBeUndefined();
  });

  it('steps aside when options change how the general path treats book frames', () => {
    const frame = loadFrames('ws-book-btc-snapshot.json')[0]!;
    expect(decodeWireFrame(frame, { maxDepth: 3 })).toMatchObject({ ok: false, reason: 'nesting-too-deep' });
    expect(decodeWireFrame(frame, { channels: { book: () => 'custom' } })).toMatchObject({
      ok: false,
      detail: 'custom',
    });
  });

  it('agrees with the general path whenever it answers (property)', () => {
    const base = loadFrames('ws-book-matic-docs.json');
    const mutation = fc.tuple(fc.nat(), fc.nat({ max: 6 }), fc.string({ maxLength: 4 }));
    fc.assert(
      fc.property(fc.constantFrom(...base), fc.array(mutation, { maxLength: 3 }), (frame, mutations) => {
        let text = frame;
        for (const [at, remove, insert] of mutations) {
          const index = at % (text.length + 1);
          text = text.slice(0, index) + insert + text.slice(index + remove);
        }
        const fast = decodeBookFrame(text);
        if (fast === undefined) return;
        const parsed = parseWireFrame(text);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        expect(decodeWireValue(parsed.value)).toEqual({ ok: true, message: fast });
      }),
      { numRuns: 3000 },
    );
  });
});
