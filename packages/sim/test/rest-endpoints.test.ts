import { describe, expect, it } from 'vitest';
import { Decimal, zero } from '../src/sim-decimal.js';
import type { LedgerEntry, SimFill, SimOrder } from '../src/sim-types.js';
import { RestClient } from './support/rest-client.js';
import { emptyExchange, startRestHarness, testAccount } from './support/rest-harness.js';

// Endpoint mapping and result shapes over HTTP, against a stand-in exchange that records what
// the REST layer asks of it (the real engine is exercised in rest-e2e.test.ts).

const credentials = testAccount as { apiKey: string; apiSecret: string };
const d = (text: string) => new Decimal(text);
const t0 = Date.UTC(2026, 0, 5, 10);

function order(id: string, overrides: Partial<SimOrder> = {}): SimOrder {
  return {
    id,
    accountId: 'tester',
    symbol: 'BTC/USD',
    side: 'buy',
    orderType: 'limit',
    qty: d('1.25'),
    filledQty: zero,
    filledCost: zero,
    fees: zero,
    feeAsset: 'USD',
    avgPrice: zero,
    limitPrice: { value: d('37500'), type: 'static' },
    timeInForce: 'gtc',
    postOnly: false,
    reduceOnly: false,
    margin: false,
    stpType: 'cancel_newest',
    feePreference: 'quote',
    status: 'open',
    amended: false,
    openedAt: t0,
    ageFrom: t0,
    tradeIds: [],
    via: 'rest',
    ...overrides,
  };
}

function fill(id: string, overrides: Partial<SimFill> = {}): SimFill {
  return {
    id,
    publicTradeId: 1000,
    orderId: 'OAAAAA-AAAAA-AAAAAA',
    accountId: 'tester',
    symbol: 'BTC/USD',
    side: 'buy',
    orderType: 'limit',
    price: d('37500'),
    qty: d('0.5'),
    cost: d('18750'),
    fee: d('75'),
    feeAsset: 'USD',
    liquidity: 't',
    time: t0,
    ledgerIds: ['LAAAAA-AAAAA-AAAAAA', 'LBBBBB-BBBBB-BBBBBB'],
    ...overrides,
  };
}

function ledgerEntry(id: string, time: number, asset: string, amount: string): LedgerEntry {
  return {
    id,
    refId: 'TAAAAA-AAAAA-AAAAAA',
    accountId: 'tester',
    time,
    type: 'trade',
    category: 'trade',
    asset,
    amount: d(amount),
    fee: zero,
    balance: d('10'),
  };
}

describe('account endpoints', () => {
  it('GetWebSocketsToken issues a token valid for 900 s', async () => {
    await using harness = await startRestHarness();
    const result = await new RestClient(harness.url, credentials).result<{ token: string; expires: number }>(
      'GetWebSocketsToken',
    );
    expect(result.expires).toBe(900);
    expect(result.token).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });

  it('Balance and BalanceEx key by REST asset id with the asset decimals; TradeBalance values them', async () => {
    await using harness = await startRestHarness({
      exchange: emptyExchange({
        balances: () =>
          new Map([
            ['USD', { balance: d('1000.5'), holdTrade: d('100') }],
            ['BTC', { balance: d('0.5'), holdTrade: zero }],
          ]),
        openOrders: () => [
          order('OAAAAA-AAAAA-AAAAAA', {
            qty: d('2'),
            filledQty: d('1'),
            limitPrice: { value: d('30'), type: 'static' },
          }),
        ],
      }),
      publicApi: {
        Ticker: (params) =>
          params.pair === 'XBTUSD'
            ? { ok: true, value: { XXBTZUSD: { c: ['60000.0', '0.1'] } } }
            : { ok: false, error: 'EQuery:Unknown asset pair' },
      },
    });
    const client = new RestClient(harness.url, credentials);
    expect((await client.call('Balance')).text).toBe(
      '{"error":[],"result":{"ZUSD":"1000.5000","XXBT":"0.5000000000"}}',
    );
    expect(await client.result('BalanceEx')).toEqual({
      ZUSD: { balance: '1000.5000', hold_trade: '100.0000' },
      XXBT: { balance: '0.5000000000', hold_trade: '0.0000000000' },
    });
    expect(await client.result('TradeBalance')).toEqual({
      eb: '31000.5000',
      tb: '31000.5000',
      m: '0.0000',
      n: '0.0000',
      c: '0.0000',
      v: '0.0000',
      e: '31000.5000',
      mf: '31000.5000',
      uv: '30.0000',
    });
    expect((await client.call('TradeBalance', { asset: 'NOPE' })).json).toEqual({
      error: ['EQuery:Unknown asset'],
    });
  });
});

describe('order queries', () => {
  it('OpenOrders passes filters and answers {open: {txid: order}}', async () => {
    const filters: unknown[] = [];
    await using harness = await startRestHarness({
      exchange: emptyExchange({
        openOrders: (_account, filter) => {
          filters.push(filter);
          return [order('OAAAAA-AAAAA-AAAAAA', { userref: 5, tradeIds: ['TX'], filledQty: d('0.1') })];
        },
      }),
    });
    const client = new RestClient(harness.url, credentials);
    const result = await client.result<{ open: Record<string, Record<string, unknown>> }>('OpenOrders', {
      trades: 'true',
      userref: '5',
    });
    expect(Object.keys(result.open)).toEqual(['OAAAAA-AAAAA-AAAAAA']);
    expect(result.open['OAAAAA-AAAAA-AAAAAA']).toMatchObject({
      status: 'open',
      userref: 5,
      descr: { order: 'buy 1.25000000 XBTUSD @ limit 37500.0', pair: 'XBTUSD' },
      vol: '1.25000000',
      vol_exec: '0.10000000',
      trades: ['TX'],
    });
    await client.call('OpenOrders', { cl_ord_id: 'abc' });
    expect(filters).toEqual([{ userref: 5 }, { clOrdId: 'abc' }]);
    expect((await client.call('OpenOrders', { userref: 'x' })).json).toEqual({
      error: ['EGeneral:Invalid arguments:userref'],
    });
  });

  it('ClosedOrders maps start/end/ofs/closetime, pages by 50 and reports the total count', async () => {
    const filters: unknown[] = [];
    const many = Array.from({ length: 60 }, (_, i) =>
      order(`O${String(i).padStart(5, 'A')}-AAAAA-AAAAAA`, {
        status: 'closed',
        closedAt: t0 + i,
      }),
    );
    await using harness = await startRestHarness({
      exchange: emptyExchange({
        closedOrders: (_account, filter) => {
          filters.push(filter);
          return { orders: many, count: 75 };
        },
      }),
    });
    const client = new RestClient(harness.url, credentials);
    const result = await client.result<{ closed: Record<string, unknown>; count: number }>('ClosedOrders', {
      start: '1767607200',
      end: 'OQCLML-BW3P3-BUCMWZ',
      ofs: '50',
      closetime: 'close',
    });
    expect(Object.keys(result.closed)).toHaveLength(50);
    expect(result.count).toBe(75);
    expect(filters[0]).toEqual({
      start: 1_767_607_200_000,
      end: 'OQCLML-BW3P3-BUCMWZ',
      offset: 50,
      closeTime: 'close',
    });
    const withoutCount = await client.result('ClosedOrders', { without_count: 'true' });
    expect(withoutCount).not.toHaveProperty('count');
    expect((await client.call('ClosedOrders', { closetime: 'never' })).json?.error).toEqual([
      'EGeneral:Invalid arguments:closetime',
    ]);
  });

  it('QueryOrders takes up to 50 txids and answers the known ones', async () => {
    const asked: string[][] = [];
    await using harness = await startRestHarness({
      exchange: emptyExchange({
        queryOrders: (_account, ids) => {
          asked.push([...ids]);
          return ids.filter((id) => id.startsWith('OA')).map((id) => order(id));
        },
      }),
    });
    const client = new RestClient(harness.url, credentials);
    const result = await client.result('QueryOrders', { txid: 'OAAAAA-AAAAA-AAAAAA,OBBBBB-BBBBB-BBBBBB' });
    expect(Object.keys(result)).toEqual(['OAAAAA-AAAAA-AAAAAA']);
    expect(asked[0]).toEqual(['OAAAAA-AAAAA-AAAAAA', 'OBBBBB-BBBBB-BBBBBB']);
    const tooMany = Array.from({ length: 51 }, (_, i) => `O${i}`).join(',');
    expect((await client.call('QueryOrders', { txid: tooMany })).json?.error).toEqual([
      'EGeneral:Invalid arguments:txid',
    ]);
    expect((await client.call('QueryOrders')).json?.error).toEqual(['EGeneral:Invalid arguments:txid']);
  });
});

describe('trade and ledger queries', () => {
  it('TradesHistory answers {trades, count}; QueryTrades finds ids across pages', async () => {
    const fills = Array.from({ length: 120 }, (_, i) => fill(`T${String(i).padStart(5, 'A')}-AAAAA-AAAAAA`));
    await using harness = await startRestHarness({
      exchange: emptyExchange({
        trades: (_account, filter) => {
          const offset = filter?.offset ?? 0;
          return { fills: fills.slice(offset, offset + 50), count: fills.length };
        },
      }),
    });
    const client = new RestClient(harness.url, credentials);
    const history = await client.result<{ trades: Record<string, Record<string, unknown>>; count: number }>(
      'TradesHistory',
      { ledgers: 'true' },
    );
    expect(history.count).toBe(120);
    expect(Object.keys(history.trades)).toHaveLength(50);
    expect(history.trades['TAAAA0-AAAAA-AAAAAA']).toMatchObject({
      ordertxid: 'OAAAAA-AAAAA-AAAAAA',
      pair: 'XXBTZUSD',
      type: 'buy',
      price: '37500.0',
      vol: '0.50000000',
      cost: '18750.00000',
      fee: '75.00000',
      trade_id: 1000,
      maker: false,
      ledgers: ['LAAAAA-AAAAA-AAAAAA', 'LBBBBB-BBBBB-BBBBBB'],
    });
    expect(await client.result('TradesHistory', { type: 'any position' })).toEqual({ trades: {}, count: 0 });
    const found = await client.result('QueryTrades', {
      txid: 'TAA110-AAAAA-AAAAAA,TAAAA5-AAAAA-AAAAAA,TNOPE',
    });
    expect(Object.keys(found)).toEqual(['TAA110-AAAAA-AAAAAA', 'TAAAA5-AAAAA-AAAAAA']);
  });

  it('Ledgers filters by asset, type and time, newest first; QueryLedgers by id', async () => {
    const entries = [
      ledgerEntry('LAAAAA-AAAAA-AAAAA1', t0, 'USD', '-100'),
      ledgerEntry('LAAAAA-AAAAA-AAAAA2', t0 + 1000, 'BTC', '0.001'),
      ledgerEntry('LAAAAA-AAAAA-AAAAA3', t0 + 2000, 'USD', '-50'),
    ];
    await using harness = await startRestHarness({ exchange: emptyExchange({ ledger: () => entries }) });
    const client = new RestClient(harness.url, credentials);
    const all = await client.result<{ ledger: Record<string, Record<string, unknown>>; count: number }>(
      'Ledgers',
    );
    expect(Object.keys(all.ledger)).toEqual([
      'LAAAAA-AAAAA-AAAAA3',
      'LAAAAA-AAAAA-AAAAA2',
      'LAAAAA-AAAAA-AAAAA1',
    ]);
    expect(all.count).toBe(3);
    expect(all.ledger['LAAAAA-AAAAA-AAAAA2']).toMatchObject({ asset: 'XXBT', amount: '0.0010000000' });
    const usd = await client.result<{ ledger: Record<string, unknown> }>('Ledgers', {
      asset: 'ZUSD',
      start: String((t0 + 500) / 1000),
    });
    expect(Object.keys(usd.ledger)).toEqual(['LAAAAA-AAAAA-AAAAA3']);
    const one = await client.result('QueryLedgers', { id: 'LAAAAA-AAAAA-AAAAA1' });
    expect(Object.keys(one)).toEqual(['LAAAAA-AAAAA-AAAAA1']);
  });
});

describe('trading endpoints', () => {
  it('AddOrder maps REST params onto the engine request and answers descr + txid array', async () => {
    const requests: unknown[] = [];
    await using harness = await startRestHarness({
      exchange: emptyExchange({
        addOrder: (_account, request, via) => {
          requests.push({ ...request, via });
          return { ok: true, value: order('ONEWAA-AAAAA-AAAAAA') };
        },
      }),
    });
    const client = new RestClient(harness.url, credentials);
    const placed = await client.call('AddOrder', {
      pair: 'XBTUSD',
      type: 'buy',
      ordertype: 'limit',
      volume: '1.25',
      price: '37500',
      'close[ordertype]': 'limit',
      'close[price]': '40000',
      cl_ord_id: 'bot-1',
    });
    expect(placed.text).toBe(
      '{"error":[],"result":{"descr":{"order":"buy 1.25000000 XBTUSD @ limit 37500.0","close":"close position @ limit 40000.0"},"txid":["ONEWAA-AAAAA-AAAAAA"]}}',
    );
    expect(JSON.parse(JSON.stringify(requests[0]))).toMatchObject({
      symbol: 'BTC/USD',
      qty: '1.25',
      clOrdId: 'bot-1',
      conditional: { orderType: 'limit', limitPrice: { value: '40000', type: 'static' } },
      validate: false,
      via: 'rest',
    });
    const validated = await client.result('AddOrder', {
      pair: 'XBTUSD',
      type: 'sell',
      ordertype: 'market',
      volume: '0.5',
      validate: 'true',
    });
    expect(validated).toEqual({ descr: { order: 'sell 0.50000000 XBTUSD @ market' } });
    const deadline = new Date(Date.now() + 10_000).toISOString();
    await client.call('AddOrder', {
      pair: 'XBTUSD',
      type: 'buy',
      ordertype: 'market',
      volume: '1',
      deadline,
    });
    expect((requests[2] as { deadline: number }).deadline).toBe(Date.parse(deadline));
  });

  it('AddOrderBatch takes a JSON body and answers per-order txid strings or errors', async () => {
    await using harness = await startRestHarness({
      exchange: emptyExchange({
        batchAdd: (_account, symbol, requests, options) => {
          expect(symbol).toBe('ETH/USD');
          expect(options).toEqual({ validate: false });
          return {
            ok: true,
            value: requests.map((request, i) =>
              i === 1
                ? { ok: false as const, error: 'EOrder:Insufficient funds' }
                : {
                    ok: true as const,
                    value: order(`OB${i}AAA-AAAAA-AAAAAA`, {
                      side: request.side,
                      symbol: 'ETH/USD',
                      ...(request.limitPrice ? { limitPrice: request.limitPrice } : {}),
                    }),
                  },
            ),
          };
        },
      }),
    });
    const client = new RestClient(harness.url, credentials);
    const response = await client.result(
      'AddOrderBatch',
      {
        pair: 'ETHUSD',
        orders: [
          {
            type: 'buy',
            ordertype: 'limit',
            volume: '1.0',
            price: '3000',
            close: { ordertype: 'limit', price: '3300' },
          },
          { type: 'sell', ordertype: 'limit', volume: 2, price: 3500 },
        ],
      },
      { json: true },
    );
    expect(response).toEqual({
      orders: [
        {
          txid: 'OB0AAA-AAAAA-AAAAAA',
          descr: { order: 'buy 1.00000000 ETHUSD @ limit 3000.00', close: 'close position @ limit 3300.00' },
        },
        { error: 'EOrder:Insufficient funds' },
      ],
    });
    expect(
      (await client.call('AddOrderBatch', { pair: 'ETHUSD', orders: [{ type: 'buy' }] }, { json: true })).json
        ?.error,
    ).toEqual(['EGeneral:Invalid arguments:orders']);
    expect(
      (
        await client.call(
          'AddOrderBatch',
          {
            pair: 'ETHUSD',
            orders: [{ type: 'buy', ordertype: 'limit', volume: '1', price: '1' }, { type: 'x' }],
          },
          { json: true },
        )
      ).json?.error,
    ).toEqual(['EGeneral:Invalid arguments:type']);
  });

  it('AmendOrder answers {amend_id}; EditOrder answers the replacement fields', async () => {
    const amends: unknown[] = [];
    const edits: unknown[] = [];
    const original = order('OOLDAA-AAAAA-AAAAAA', { userref: 3 });
    await using harness = await startRestHarness({
      exchange: emptyExchange({
        amendOrder: (_account, request) => {
          amends.push(request);
          return { ok: true, value: { amendId: 'TAMEND-AAAAA-AAAAAA', order: original } };
        },
        queryOrders: (_account, ids) => (ids.includes(original.id) ? [original] : []),
        editOrder: (_account, request) => {
          edits.push(request);
          return {
            ok: true,
            value: {
              original,
              order: order('ONEWAA-AAAAA-AAAAAA', {
                qty: d('2'),
                limitPrice: { value: d('37000'), type: 'static' },
                userref: 9,
              }),
            },
          };
        },
      }),
    });
    const client = new RestClient(harness.url, credentials);
    expect(
      await client.result('AmendOrder', {
        txid: original.id,
        order_qty: '2',
        limit_price: '-1.5%',
        post_only: 'true',
      }),
    ).toEqual({ amend_id: 'TAMEND-AAAAA-AAAAAA' });
    expect(JSON.parse(JSON.stringify(amends[0]))).toEqual({
      orderId: original.id,
      qty: '2',
      limitPrice: { value: '-1.5', type: 'pct' },
      postOnly: true,
    });
    expect((await client.call('AmendOrder', { order_qty: '2' })).json?.error).toEqual([
      'EGeneral:Invalid arguments:txid',
    ]);
    expect(
      await client.result('EditOrder', {
        txid: original.id,
        pair: 'XBTUSD',
        volume: '2',
        price: '37000',
        userref: '9',
      }),
    ).toEqual({
      descr: { order: 'buy 2.00000000 XBTUSD @ limit 37000.0' },
      txid: 'ONEWAA-AAAAA-AAAAAA',
      originaltxid: original.id,
      status: 'Ok',
      volume: '2.00000000',
      price: '37000.0',
      price2: '0',
      orders_cancelled: 1,
      newuserref: '9',
      olduserref: '3',
    });
    expect(JSON.parse(JSON.stringify(edits[0]))).toEqual({
      orderId: original.id,
      symbol: 'BTC/USD',
      validate: false,
      qty: '2',
      limitPrice: { value: '37000', type: 'static' },
      userref: 9,
    });
  });

  it('CancelOrder takes a txid or a userref; CancelOrderBatch, CancelAll, CancelAllOrdersAfter', async () => {
    const cancels: unknown[] = [];
    await using harness = await startRestHarness({
      exchange: emptyExchange({
        cancelOrders: (_account, request) => {
          cancels.push(request);
          return { ok: true, value: [order('OAAAAA-AAAAA-AAAAAA'), order('OBBBBB-BBBBB-BBBBBB')] };
        },
        cancelAll: () => ({ ok: true, value: { count: 4 } }),
        cancelAllOrdersAfter: (_account, timeout) => ({
          ok: true,
          value: { now: t0 + 400, triggerAt: timeout === 0 ? 0 : t0 + 400 + timeout * 1000 },
        }),
      }),
    });
    const client = new RestClient(harness.url, credentials);
    expect(await client.result('CancelOrder', { txid: 'OAAAAA-AAAAA-AAAAAA' })).toEqual({ count: 2 });
    await client.call('CancelOrder', { txid: '42' });
    await client.call('CancelOrder', { cl_ord_id: 'bot-1' });
    expect(
      await client.result(
        'CancelOrderBatch',
        { orders: ['OAAAAA-AAAAA-AAAAAA', 7], cl_ord_ids: ['x'] },
        { json: true },
      ),
    ).toEqual({
      count: 2,
    });
    expect(JSON.parse(JSON.stringify(cancels))).toEqual([
      { orderIds: ['OAAAAA-AAAAA-AAAAAA'] },
      { userrefs: [42] },
      { clOrdIds: ['bot-1'] },
      { orderIds: ['OAAAAA-AAAAA-AAAAAA'], userrefs: [7], clOrdIds: ['x'], batch: true },
    ]);
    expect(await client.result('CancelAll')).toEqual({ count: 4 });
    expect(await client.result('CancelAllOrdersAfter', { timeout: '60' })).toEqual({
      currentTime: '2026-01-05T10:00:00Z',
      triggerTime: '2026-01-05T10:01:00Z',
    });
    expect(await client.result('CancelAllOrdersAfter', { timeout: '0' })).toEqual({
      currentTime: '2026-01-05T10:00:00Z',
      triggerTime: '0',
    });
    expect((await client.call('CancelAllOrdersAfter', { timeout: '86400' })).json?.error).toEqual([
      'EGeneral:Invalid arguments:timeout',
    ]);
    expect((await client.call('CancelOrder')).json?.error).toEqual(['EGeneral:Invalid arguments:txid']);
  });

  it('refuses calls the key has no permission for', async () => {
    await using harness = await startRestHarness({
      accounts: [
        {
          id: 'reader',
          apiKey: 'reader-key-0000000000000',
          apiSecret: testAccount.apiSecret,
          permissions: { query: true, trade: false, cancel: false, funds: true, websocket: false },
        },
      ],
    });
    const client = new RestClient(harness.url, {
      apiKey: 'reader-key-0000000000000',
      apiSecret: testAccount.apiSecret,
    });
    for (const method of [
      'AddOrder',
      'CancelOrder',
      'CancelAll',
      'GetWebSocketsToken',
      'AmendOrder',
      'EditOrder',
    ]) {
      expect((await client.call(method)).json, method).toEqual({ error: ['EGeneral:Permission denied'] });
    }
    expect((await client.call('Balance')).json?.error).toEqual([]);
  });
});
