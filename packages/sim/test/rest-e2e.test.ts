import { createVirtualClock } from '@krakenkit/host/testing';
import { describe, expect, it } from 'vitest';
import { startSim } from '../src/index.js';
import { RestClient, rawRequest } from './support/rest-client.js';
import { vectorSecret } from './support/rest-harness.js';
import { SimClient } from './support/sim-client.js';

type Orders = Record<string, Record<string, unknown>>;

async function sim(options: Parameters<typeof startSim>[0] = {}) {
  const started = await startSim({ marketSpeed: 0, ...options });
  const alice = started.accounts.find((account) => account.id === 'alice')!;
  return { sim: started, client: new RestClient(started.urls.rest, alice) };
}

describe('REST against the running exchange', () => {
  it('places the official vector order and shows it in OpenOrders, holding its funds', async () => {
    await using started = await startSim({
      marketSpeed: 0,
      accounts: [
        {
          id: 'vector',
          apiKey: 'vector-form-key-00000000',
          apiSecret: vectorSecret,
          balances: { USD: '100000' },
        },
      ],
    });
    const placed = await rawRequest(started.urls.rest, '/0/private/AddOrder', {
      headers: {
        'api-key': 'vector-form-key-00000000',
        'api-sign':
          '4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==',
      },
      body: 'nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25',
    });
    expect(placed.json).toMatchObject({
      error: [],
      result: {
        descr: { order: 'buy 1.25000000 XBTUSD @ limit 37500.0' },
        txid: [expect.stringMatching(/^O/)],
      },
    });
    const client = new RestClient(started.urls.rest, {
      apiKey: 'vector-form-key-00000000',
      apiSecret: vectorSecret,
    });
    const open = await client.result<{ open: Orders }>('OpenOrders');
    const [txid] = (placed.json?.result as { txid: string[] } | undefined)?.txid ?? [];
    expect(open.open[txid as string]).toMatchObject({
      status: 'open',
      descr: {
        pair: 'XBTUSD',
        type: 'buy',
        ordertype: 'limit',
        price: '37500.0',
        order: 'buy 1.25000000 XBTUSD @ limit 37500.0',
      },
      vol: '1.25000000',
      vol_exec: '0.00000000',
      oflags: 'fciq',
    });
    const balance = await client.result<Record<string, { balance: string; hold_trade: string }>>('BalanceEx');
    expect(balance.ZUSD?.balance).toBe('100000.0000');
    expect(Number(balance.ZUSD?.hold_trade)).toBeGreaterThanOrEqual(46875);
    expect(started.control.internalErrors()).toEqual([]);
  });

  it('runs an order through amend, edit and cancel, visible in every query', async () => {
    const { sim: started, client } = await sim();
    await using _ = started;
    const placed = await client.result<{ txid: string[] }>('AddOrder', {
      pair: 'XBTUSD',
      type: 'buy',
      ordertype: 'limit',
      volume: '0.1',
      price: '50000',
      cl_ord_id: 'e2e-1',
    });
    const [txid = ''] = placed.txid;
    const amend = await client.result<{ amend_id: string }>('AmendOrder', {
      cl_ord_id: 'e2e-1',
      order_qty: '0.2',
    });
    expect(amend.amend_id).toMatch(/^T/);
    const queried = await client.result<Orders>('QueryOrders', { txid });
    expect(queried[txid]).toMatchObject({ vol: '0.20000000', misc: 'amended', cl_ord_id: 'e2e-1' });

    const tagged = await client.result<{ txid: string[] }>('AddOrder', {
      pair: 'ETHUSD',
      type: 'sell',
      ordertype: 'limit',
      volume: '1',
      price: '4000',
      userref: '31',
    });
    const edited = await client.result<Record<string, unknown>>('EditOrder', {
      txid: '31',
      pair: 'ETHUSD',
      volume: '2',
      price: '4100',
      userref: '32',
    });
    expect(edited).toMatchObject({
      originaltxid: tagged.txid[0],
      status: 'Ok',
      volume: '2.00000000',
      price: '4100.00',
      orders_cancelled: 1,
      newuserref: '32',
      olduserref: '31',
      descr: { order: 'sell 2.00000000 ETHUSD @ limit 4100.00' },
    });

    expect(await client.result('CancelOrder', { txid })).toEqual({ count: 1 });
    const closed = await client.result<{ closed: Orders; count: number }>('ClosedOrders');
    expect(closed.closed[txid]).toMatchObject({ status: 'canceled', closetm: expect.any(Number) });
    expect(closed.closed[tagged.txid[0] as string]).toMatchObject({ status: 'canceled' });
    expect((await client.call('CancelOrder', { txid })).json?.error).toEqual(['EOrder:Unknown order']);
    expect(await client.result('CancelAll')).toEqual({ count: 1 });
    expect(started.control.internalErrors()).toEqual([]);
  });

  it('fills a market order and reports it consistently in trades, ledgers and balances', async () => {
    // Many history queries in a row: beyond any tier's REST call counter, so it is off here.
    const { sim: started, client } = await sim({ limits: { restCounter: false } });
    await using _ = started;
    const placed = await client.result<{ txid: string[] }>('AddOrder', {
      pair: 'XBTUSD',
      type: 'sell',
      ordertype: 'market',
      volume: '0.25',
    });
    const [txid = ''] = placed.txid;
    const order = (await client.result<Orders>('QueryOrders', { txid, trades: 'true' }))[txid]!;
    expect(order).toMatchObject({ status: 'closed', vol_exec: '0.25000000' });
    const tradeIds = order.trades as string[];
    expect(tradeIds.length).toBeGreaterThan(0);

    const history = await client.result<{ trades: Orders; count: number }>('TradesHistory', {
      ledgers: 'true',
    });
    expect(history.count).toBe(tradeIds.length);
    const trades = await client.result<Orders>('QueryTrades', { txid: tradeIds.join(',') });
    expect(Object.keys(trades).sort()).toEqual([...tradeIds].sort());
    let volume = 0;
    for (const id of tradeIds) {
      expect(trades[id]).toMatchObject({ ordertxid: txid, pair: 'XXBTZUSD', type: 'sell', maker: false });
      volume += Number(trades[id]?.vol);
    }
    expect(volume).toBeCloseTo(0.25, 8);

    const ledgers = await client.result<{ ledger: Orders; count: number }>('Ledgers');
    expect(ledgers.count).toBe(tradeIds.length * 2);
    const ledgerIds = tradeIds.flatMap((id) => history.trades[id]?.ledgers as string[]);
    const queried = await client.result<Orders>('QueryLedgers', { id: ledgerIds.slice(0, 20).join(',') });
    expect(Object.keys(queried)).toHaveLength(Math.min(20, ledgerIds.length));
    const btc = await client.result<{ ledger: Orders }>('Ledgers', { asset: 'XBT' });
    expect(Object.values(btc.ledger).every((entry) => entry.asset === 'XXBT')).toBe(true);

    const balance = await client.result<Record<string, string>>('Balance');
    expect(balance.XXBT).toBe('1.7500000000');
    expect(started.control.internalErrors()).toEqual([]);
  });

  it('places batches, and reports engine refusals as Kraken errors', async () => {
    const { sim: started, client } = await sim();
    await using _ = started;
    const batch = await client.result<{ orders: Record<string, unknown>[] }>(
      'AddOrderBatch',
      {
        pair: 'BTC/USD',
        orders: [
          { type: 'buy', ordertype: 'limit', volume: '0.01', price: '40000' },
          { type: 'buy', ordertype: 'limit', volume: '500', price: '40000' },
        ],
      },
      { json: true },
    );
    expect(batch.orders[0]).toMatchObject({
      txid: expect.stringMatching(/^O/),
      descr: { order: 'buy 0.01000000 XBTUSD @ limit 40000.0' },
    });
    expect(batch.orders[1]).toEqual({ error: 'EOrder:Insufficient funds' });
    expect(
      (await client.call('AddOrder', { pair: 'NOPE', type: 'buy', ordertype: 'market', volume: '1' })).json,
    ).toEqual({
      error: ['EQuery:Unknown asset pair'],
    });
    const after = await client.result<{ currentTime: string; triggerTime: string }>('CancelAllOrdersAfter', {
      timeout: '60',
    });
    expect(after.currentTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(after.triggerTime) - Date.parse(after.currentTime)).toBe(60_000);
    expect(await client.result('CancelAllOrdersAfter', { timeout: '0' })).toMatchObject({ triggerTime: '0' });
    expect(started.control.internalErrors()).toEqual([]);
  });

  it('rest-lag: private reads show the account as it was lagMs ago, then catch up', async () => {
    const clock = createVirtualClock();
    const { sim: started, client } = await sim({ clock });
    await using _ = started;
    const before = await client.result<Record<string, string>>('Balance');
    await clock.advanceAsync(10_000);
    const placed = await client.result<{ txid: string[] }>('AddOrder', {
      pair: 'XBTUSD',
      type: 'buy',
      ordertype: 'limit',
      volume: '0.1',
      price: '50000',
    });
    await client.call('AddOrder', { pair: 'XBTUSD', type: 'buy', ordertype: 'market', volume: '0.1' });
    const id = started.control.inject({ kind: 'rest-lag', lagMs: 5_000 });
    expect(await client.result('Balance')).toEqual(before);
    expect(await client.result('OpenOrders')).toEqual({ open: {} });
    // Trading is not delayed: the order can be cancelled while reads still lag.
    expect(await client.result('CancelOrder', { txid: placed.txid[0] })).toEqual({ count: 1 });
    await clock.advanceAsync(5_001);
    expect((await client.result<Record<string, string>>('Balance')).XXBT).not.toBe(before.XXBT);
    started.control.clearFaults(id);
    expect((await client.result<{ open: Orders }>('OpenOrders')).open).toEqual({});
    expect(started.control.internalErrors()).toEqual([]);
  });

  it('issues WebSocket tokens the private endpoint accepts', async () => {
    const { sim: started, client } = await sim();
    await using _ = started;
    const { token, expires } = await client.result<{ token: string; expires: number }>('GetWebSocketsToken');
    expect(expires).toBe(900);
    const ws = await SimClient.connect(started.urls.privateWs);
    const reqId = ws.request('subscribe', { channel: 'balances', token });
    expect(await ws.response(reqId)).toMatchObject({ success: true });
    await ws.close();
    expect(started.control.internalErrors()).toEqual([]);
  });
});
