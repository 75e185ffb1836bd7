import { afterEach, describe, expect, it } from 'vitest';
import { type Sim, startSim } from '../src/index.js';
import { numberText, parseLossless } from './support/kraken-book-model.js';
import { SimClient } from './support/sim-client.js';

// Conformance of the public WS v2 endpoint: envelopes, acks, field names and types
// (PROTOCOL §5, §7), and every refusal. The market runs slowly; nothing here waits on time.

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const rfc3339Nanos = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000000000Z$/;

let sim: Sim | undefined;
const clients: SimClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  if (sim) expect(sim.control.internalErrors()).toEqual([]);
  await sim?.close();
  sim = undefined;
});

async function connect(options: Parameters<typeof startSim>[0] = {}): Promise<SimClient> {
  sim = await startSim({ marketSpeed: 0.2, ...options });
  const client = await SimClient.connect(sim.urls.publicWs);
  clients.push(client);
  await client.next((message) => message.channel === 'status');
  return client;
}

/** The raw text of the next frame matching, parsed losslessly (numbers keep their digits). */
async function nextRaw(client: SimClient, predicate: (message: Record<string, unknown>) => boolean) {
  await client.next(predicate);
  const index = client.messages.findLastIndex((message) => predicate(message as Record<string, unknown>));
  return { text: client.raw[index] as string, lossless: parseLossless(client.raw[index] as string) };
}

const isNumber = (value: unknown) => typeof value === 'number';

describe('subscribe acks', () => {
  it('answers one ack per symbol with the same req_id, echoing the params, then that symbol’s snapshot', async () => {
    const client = await connect();
    client.request('subscribe', { channel: 'book', symbol: ['BTC/USD', 'ETH/USD'], depth: 25 }, 7);
    const first = await client.next((message) => message.req_id === 7);
    const firstSnapshot = await client.next((message) => message.channel === 'book');
    const second = await client.next((message) => message.req_id === 7);
    expect(first).toEqual({
      method: 'subscribe',
      req_id: 7,
      result: { channel: 'book', depth: 25, snapshot: true, symbol: 'BTC/USD' },
      success: true,
      time_in: expect.stringMatching(rfc3339),
      time_out: expect.stringMatching(rfc3339),
    });
    expect(firstSnapshot).toMatchObject({ type: 'snapshot', data: [{ symbol: 'BTC/USD' }] });
    expect(second).toMatchObject({ result: { symbol: 'ETH/USD', depth: 25 }, success: true });
    const ackIndex = client.raw.findIndex((text) => text.includes('"req_id":7'));
    expect(client.raw[ackIndex]).toMatch(
      /^\{"method":"subscribe","req_id":7,"result":\{"channel":"book","depth":25,/,
    );
  });

  it('echoes each channel’s identifying params and Kraken’s deprecation warnings', async () => {
    const client = await connect();
    client.request('subscribe', { channel: 'ticker', symbol: ['BTC/USD'], event_trigger: 'bbo' }, 1);
    client.request('subscribe', { channel: 'trade', symbol: ['BTC/USD'] }, 2);
    client.request('subscribe', { channel: 'ohlc', symbol: ['BTC/USD'], interval: 5 }, 3);
    client.request('subscribe', { channel: 'instrument' }, 4);
    client.request('subscribe', { channel: 'book', symbol: ['POL/USD'] }, 5);
    expect((await client.response(1)).result).toEqual({
      channel: 'ticker',
      event_trigger: 'bbo',
      snapshot: true,
      symbol: 'BTC/USD',
    });
    expect((await client.response(2)).result).toEqual({
      channel: 'trade',
      snapshot: false,
      symbol: 'BTC/USD',
    });
    expect((await client.response(3)).result).toEqual({
      channel: 'ohlc',
      interval: 5,
      snapshot: true,
      symbol: 'BTC/USD',
      warnings: ['timestamp is deprecated, use interval_begin'],
    });
    expect((await client.response(4)).result).toEqual({
      channel: 'instrument',
      snapshot: true,
      warnings: ['tick_size is deprecated, use price_increment'],
    });
    expect((await client.response(5)).result).toEqual({
      channel: 'book',
      depth: 10,
      snapshot: true,
      symbol: 'POL/USD',
    });
    expect(sim?.control.connections()[0]?.subscriptions).toBe(5);
  });
});

describe('refusals', () => {
  it('refuses unknown and v1 symbols per symbol, with a top-level symbol and no result', async () => {
    const client = await connect();
    client.request('subscribe', { channel: 'ticker', symbol: ['XBT/USD', 'BTC/USD', 'DOGE/USD'] }, 9);
    const answers = [
      await client.response(9),
      await client.next((message) => message.req_id === 9),
      await client.next((message) => message.req_id === 9),
    ];
    expect(answers[0]).toEqual({
      error: 'Currency pair not supported XBT/USD',
      method: 'subscribe',
      req_id: 9,
      symbol: 'XBT/USD',
      success: false,
      time_in: expect.stringMatching(rfc3339),
      time_out: expect.stringMatching(rfc3339),
    });
    expect(answers[1]).toMatchObject({ success: true, result: { symbol: 'BTC/USD' } });
    expect(answers[2]).toMatchObject({ error: 'Currency pair not supported DOGE/USD', symbol: 'DOGE/USD' });
    expect(answers[2]).not.toHaveProperty('result');
    expect(sim?.control.stats()['public.unknown_symbol']).toBe(2);
  });

  it.each([
    [{ channel: 'level2', symbol: ['BTC/USD'] }, 'Subscription name invalid'],
    [{ channel: 'executions' }, 'Subscription name invalid'],
    [{ channel: 'book', symbol: ['BTC/USD'], depth: 7 }, 'EGeneral:Invalid arguments:depth'],
    [{ channel: 'book', symbol: ['BTC/USD'], depth: '10' }, 'EGeneral:Invalid arguments:depth'],
    [{ channel: 'ohlc', symbol: ['BTC/USD'], interval: 2 }, 'EGeneral:Invalid arguments:interval'],
    [{ channel: 'ohlc', symbol: ['BTC/USD'] }, 'EGeneral:Invalid arguments:interval'],
    [{ channel: 'ticker', symbol: 'BTC/USD' }, 'EGeneral:Invalid arguments:symbol'],
    [{ channel: 'ticker', symbol: [] }, 'EGeneral:Invalid arguments:symbol'],
    [{ channel: 'ticker', symbol: [1] }, 'EGeneral:Invalid arguments:symbol'],
    [
      { channel: 'ticker', symbol: ['BTC/USD'], event_trigger: 'quotes' },
      'EGeneral:Invalid arguments:event_trigger',
    ],
    [{ channel: 'trade', symbol: ['BTC/USD'], snapshot: 'yes' }, 'EGeneral:Invalid arguments:snapshot'],
    [{ channel: 'trade', symbol: ['BTC/USD'], depth: 10 }, "Unsupported field: 'depth'"],
    [{ channel: 'book', symbol: ['BTC/USD'], speed: 1 }, "Unsupported field: 'speed'"],
    [{ symbol: ['BTC/USD'] }, 'EGeneral:Invalid arguments:channel'],
  ])('refuses %j with %s', async (params, error) => {
    const client = await connect();
    client.request('subscribe', params as Record<string, unknown>, 3);
    const answer = await client.response(3);
    expect(answer).toEqual({
      error,
      method: 'subscribe',
      req_id: 3,
      success: false,
      time_in: expect.stringMatching(rfc3339),
      time_out: expect.stringMatching(rfc3339),
    });
    expect(sim?.control.connections()[0]?.subscriptions).toBe(0);
  });

  it('refuses a duplicate subscription and an unsubscribe without one, keeping the count right', async () => {
    const client = await connect();
    client.request('subscribe', { channel: 'book', symbol: ['BTC/USD'], snapshot: false }, 1);
    await client.response(1);
    client.request('subscribe', { channel: 'book', symbol: ['BTC/USD'], depth: 25 }, 2);
    expect(await client.response(2)).toMatchObject({
      error: 'Already subscribed',
      symbol: 'BTC/USD',
      success: false,
    });
    client.request('unsubscribe', { channel: 'book', symbol: ['BTC/USD'], depth: 25 }, 3);
    expect(await client.response(3)).toMatchObject({ error: 'Subscription not found', symbol: 'BTC/USD' });
    client.request('unsubscribe', { channel: 'trade', symbol: ['BTC/USD'] }, 4);
    expect(await client.response(4)).toMatchObject({ error: 'Subscription not found', success: false });
    expect(sim?.control.connections()[0]?.subscriptions).toBe(1);
    client.request('add_order', { order_type: 'limit' }, 5);
    expect(await client.response(5)).toMatchObject({
      error: "Unsupported method: 'add_order'",
      success: false,
    });
  });
});

describe('unsubscribe', () => {
  it('needs the identifying params (depth, interval, non-default event_trigger) and acks without snapshot', async () => {
    const client = await connect();
    client.request('subscribe', { channel: 'book', symbol: ['BTC/USD'], depth: 100, snapshot: false }, 1);
    client.request('subscribe', { channel: 'ohlc', symbol: ['BTC/USD'], interval: 60, snapshot: false }, 2);
    client.request(
      'subscribe',
      { channel: 'ticker', symbol: ['BTC/USD'], event_trigger: 'bbo', snapshot: false },
      3,
    );
    await client.response(3);
    client.request('unsubscribe', { channel: 'book', symbol: ['BTC/USD'] }, 4);
    expect(await client.response(4)).toMatchObject({ success: false });
    client.request('unsubscribe', { channel: 'book', symbol: ['BTC/USD'], depth: 100 }, 5);
    expect((await client.response(5)).result).toEqual({ channel: 'book', depth: 100, symbol: 'BTC/USD' });
    client.request('unsubscribe', { channel: 'ohlc', symbol: ['BTC/USD'] }, 6);
    expect(await client.response(6)).toMatchObject({ error: 'EGeneral:Invalid arguments:interval' });
    client.request('unsubscribe', { channel: 'ohlc', symbol: ['BTC/USD'], interval: 60 }, 7);
    expect((await client.response(7)).result).toEqual({ channel: 'ohlc', interval: 60, symbol: 'BTC/USD' });
    client.request('unsubscribe', { channel: 'ticker', symbol: ['BTC/USD'] }, 8);
    expect(await client.response(8)).toMatchObject({ error: 'Subscription not found' });
    client.request('unsubscribe', { channel: 'ticker', symbol: ['BTC/USD'], event_trigger: 'bbo' }, 9);
    expect((await client.response(9)).result).toEqual({
      channel: 'ticker',
      event_trigger: 'bbo',
      symbol: 'BTC/USD',
    });
    expect(sim?.control.connections()[0]?.subscriptions).toBe(0);
  });
});

describe('channel messages', () => {
  it('book: snapshot levels as JSON numbers at the pair’s precision, uint32 checksum, one data element', async () => {
    const client = await connect();
    client.request('subscribe', { channel: 'book', symbol: ['POL/USD'], depth: 10 });
    const { text, lossless } = await nextRaw(client, (message) => message.channel === 'book');
    expect(Object.keys(lossless)).toEqual(['channel', 'type', 'data']);
    const data = (lossless.data as Record<string, unknown>[])[0] as Record<string, unknown>;
    expect(Object.keys(data)).toEqual(['symbol', 'bids', 'asks', 'checksum', 'timestamp']);
    expect(data.timestamp).toMatch(rfc3339);
    for (const side of [data.bids, data.asks] as { price: unknown; qty: unknown }[][]) {
      expect(side).toHaveLength(10);
      for (const level of side) {
        expect(numberText(level.price)).toMatch(/^0\.\d{4}$/);
        expect(numberText(level.qty)).toMatch(/^\d+\.\d{8}$/);
      }
    }
    expect(Number(numberText(data.checksum))).toBeLessThan(2 ** 32);
    expect(text).toMatch(/"checksum":\d+,/);
  });

  it('ticker, trade and ohlc: Kraken’s field names, numbers for prices and quantities', async () => {
    const client = await connect({ marketSpeed: 20 });
    client.request('subscribe', { channel: 'ticker', symbol: ['ETH/USD'] });
    client.request('subscribe', { channel: 'trade', symbol: ['ETH/USD'] });
    client.request('subscribe', { channel: 'ohlc', symbol: ['ETH/USD'], interval: 1, snapshot: false });
    const ticker = (await client.next((message) => message.channel === 'ticker')) as {
      data: Record<string, unknown>[];
    };
    expect(Object.keys(ticker.data[0] as object)).toEqual([
      'symbol',
      'bid',
      'bid_qty',
      'ask',
      'ask_qty',
      'last',
      'volume',
      'vwap',
      'low',
      'high',
      'change',
      'change_pct',
      'timestamp',
    ]);
    for (const [key, value] of Object.entries(ticker.data[0] as object)) {
      if (key === 'symbol' || key === 'timestamp') continue;
      expect(isNumber(value), key).toBe(true);
    }
    const trade = (await client.next((message) => message.channel === 'trade')) as {
      type: string;
      data: Record<string, unknown>[];
    };
    expect(trade.type).toBe('update');
    expect(trade.data[0]).toEqual({
      symbol: 'ETH/USD',
      side: expect.stringMatching(/^(buy|sell)$/),
      price: expect.any(Number),
      qty: expect.any(Number),
      ord_type: expect.stringMatching(/^(limit|market)$/),
      trade_id: expect.any(Number),
      timestamp: expect.stringMatching(rfc3339),
    });
    const ohlc = (await client.next((message) => message.channel === 'ohlc')) as {
      type: string;
      timestamp: string;
      data: Record<string, unknown>[];
    };
    expect(ohlc.type).toBe('update');
    expect(ohlc.timestamp).toMatch(rfc3339);
    expect(ohlc.data[0]).toEqual({
      symbol: 'ETH/USD',
      open: expect.any(Number),
      high: expect.any(Number),
      low: expect.any(Number),
      close: expect.any(Number),
      trades: expect.any(Number),
      volume: expect.any(Number),
      vwap: expect.any(Number),
      interval_begin: expect.stringMatching(rfc3339Nanos),
      interval: 1,
      timestamp: expect.stringMatching(rfc3339),
    });
  });

  it('ticker with event_trigger bbo: an update whenever the best bid or offer changes, never a repeat', async () => {
    const client = await connect({ marketSpeed: 20 });
    client.request(
      'subscribe',
      { channel: 'ticker', symbol: ['ETH/USD'], event_trigger: 'bbo', snapshot: false },
      1,
    );
    await client.response(1);
    const quotes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const message = (await client.next((candidate) => candidate.channel === 'ticker')) as {
        type: string;
        data: Record<string, number>[];
      };
      expect(message.type).toBe('update');
      const quote = message.data[0] as Record<string, number>;
      expect(quote.bid).toBeLessThan(quote.ask as number);
      quotes.push(`${quote.bid}/${quote.bid_qty}/${quote.ask}/${quote.ask_qty}`);
    }
    for (let i = 1; i < quotes.length; i++) expect(quotes[i]).not.toBe(quotes[i - 1]);
  });

  it('trade snapshot: the last 50 trades when asked, oldest first, sequential ids', async () => {
    const client = await connect({ marketSpeed: 40 });
    client.request('subscribe', { channel: 'trade', symbol: ['BTC/USD'] }, 1);
    // Let enough trades happen, then subscribe again on a second connection with a snapshot.
    for (let seen = 0; seen < 60; ) {
      const message = (await client.next((candidate) => candidate.channel === 'trade')) as {
        data: unknown[];
      };
      seen += message.data.length;
    }
    const second = await SimClient.connect(sim!.urls.publicWs);
    clients.push(second);
    second.request('subscribe', { channel: 'trade', symbol: ['BTC/USD'], snapshot: true }, 2);
    const snapshot = (await second.next((message) => message.channel === 'trade')) as {
      type: string;
      data: { trade_id: number }[];
    };
    expect(snapshot.type).toBe('snapshot');
    expect(snapshot.data).toHaveLength(50);
    const ids = snapshot.data.map((trade) => trade.trade_id);
    expect(ids).toEqual(ids.map((_, index) => (ids[0] as number) + index));
  });

  it('instrument: an object {assets, pairs} with Kraken’s fields; precisions the checksum needs', async () => {
    const client = await connect();
    client.request('subscribe', { channel: 'instrument' });
    const { lossless } = await nextRaw(client, (message) => message.channel === 'instrument');
    const data = lossless.data as { assets: Record<string, unknown>[]; pairs: Record<string, unknown>[] };
    expect(lossless.type).toBe('snapshot');
    expect(data.assets.map((asset) => asset.id)).toEqual(
      expect.arrayContaining(['BTC', 'USD', 'POL', 'PEPE']),
    );
    const pol = data.pairs.find((pair) => pair.symbol === 'POL/USD') as Record<string, unknown>;
    expect(Object.keys(pol)).toEqual([
      'symbol',
      'base',
      'quote',
      'status',
      'qty_precision',
      'qty_increment',
      'price_precision',
      'cost_precision',
      'marginable',
      'has_index',
      'cost_min',
      'tick_size',
      'price_increment',
      'qty_min',
    ]);
    expect(numberText(pol.price_precision)).toBe('4');
    expect(numberText(pol.price_increment)).toBe('0.0001');
    expect(numberText(pol.qty_increment)).toBe('0.00000001');
    expect(pol.status).toBe('online');
  });

  it('heartbeats once a second while subscribed and nothing else was sent', async () => {
    const client = await connect({ marketSpeed: 0 });
    client.request('subscribe', { channel: 'trade', symbol: ['BTC/USD'] }, 1);
    await client.response(1);
    expect(await client.next((message) => message.channel === 'heartbeat', 3_000)).toEqual({
      channel: 'heartbeat',
    });
  });
});
