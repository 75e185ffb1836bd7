import { createVirtualClock } from '@krakenkit/host/testing';
import { describe, expect, it } from 'vitest';
import { startSim } from '../src/index.js';
import { connectPrivate, subscribeExecutions } from './support/private-client.js';

const resting = (extra: Record<string, unknown> = {}) => ({
  order_type: 'limit',
  side: 'buy',
  order_qty: 0.01,
  symbol: 'BTC/USD',
  limit_price: 60000,
  ...extra,
});

describe('trading methods', () => {
  it('amend_order keeps the id (amended event), edit_order replaces it', async () => {
    await using sim = await startSim({ marketSpeed: 0 });
    const alice = await connectPrivate(sim, 'alice');
    await subscribeExecutions(alice);
    let reqId = alice.send('add_order', resting({ cl_ord_id: 'q-1' }));
    const added = await alice.client.response(reqId);
    expect(added).toMatchObject({ success: true, result: { cl_ord_id: 'q-1' } });
    const orderId = (added.result as { order_id: string }).order_id;

    reqId = alice.send('amend_order', { cl_ord_id: 'q-1', order_qty: 0.02, limit_price: 60100.5 });
    expect(await alice.client.response(reqId)).toMatchObject({
      success: true,
      result: { amend_id: expect.stringMatching(/^T/), order_id: orderId, cl_ord_id: 'q-1' },
    });
    expect(await alice.execution((report) => report.exec_type === 'amended')).toMatchObject({
      order_id: orderId,
      amended: true,
      reason: 'User requested',
      order_qty: 0.02,
      limit_price: 60100.5,
      order_status: 'new',
    });
    reqId = alice.send('amend_order', { order_id: orderId, limit_price: 64000.1, post_only: true });
    expect(await alice.client.response(reqId)).toMatchObject({
      success: false,
      error: 'EOrder:Post only order',
    });

    reqId = alice.send('add_order', resting({ order_userref: 11 }));
    const plain = ((await alice.client.response(reqId)).result as { order_id: string }).order_id;
    reqId = alice.send('edit_order', { order_id: plain, symbol: 'BTC/USD', order_qty: 0.03 });
    const edited = await alice.client.response(reqId);
    expect(edited).toMatchObject({ success: true, result: { original_order_id: plain } });
    expect((edited.result as { order_id: string }).order_id).not.toBe(plain);
    expect(
      await alice.execution((report) => report.order_id === plain && report.exec_type === 'canceled'),
    ).toMatchObject({
      reason: 'Order replaced',
    });
    reqId = alice.send('edit_order', { order_id: orderId, symbol: 'BTC/USD', order_qty: 0.03 });
    expect(await alice.client.response(reqId)).toMatchObject({
      success: false,
      error: 'EOrder:Invalid order',
    });
    await alice.close();
    expect(sim.control.internalErrors()).toEqual([]);
  });

  it('cancel_order answers once per cancelled order (same req_id) and once per unknown id; cancel_all counts', async () => {
    await using sim = await startSim({ marketSpeed: 0 });
    const alice = await connectPrivate(sim, 'alice');
    const ids: string[] = [];
    for (const userref of [1, 2, 2]) {
      const reqId = alice.send('add_order', resting({ order_userref: userref }));
      ids.push(((await alice.client.response(reqId)).result as { order_id: string }).order_id);
    }
    const reqId = alice.send('cancel_order', {
      order_id: [ids[0], 'OAAAAA-AAAAA-AAAAAA'],
      order_userref: [2],
    });
    const answers = [
      await alice.client.response(reqId),
      await alice.client.response(reqId),
      await alice.client.response(reqId),
      await alice.client.response(reqId),
    ];
    expect(
      answers.map((answer) =>
        answer.success ? (answer.result as { order_id: string }).order_id : answer.error,
      ),
    ).toEqual([ids[0], 'EOrder:Unknown order', ids[1], ids[2]]);
    for (let i = 0; i < 2; i++) await alice.client.response(alice.send('add_order', resting()));
    const all = alice.send('cancel_all');
    expect(await alice.client.response(all)).toMatchObject({ success: true, result: { count: 2 } });
    await alice.close();
  });

  it('batch_add answers an array in request order (rows carry their own errors); batch_cancel counts', async () => {
    await using sim = await startSim({ marketSpeed: 0 });
    const alice = await connectPrivate(sim, 'alice');
    const batch = (orders: Record<string, unknown>[], extra: Record<string, unknown> = {}) =>
      alice.send('batch_add', { symbol: 'BTC/USD', orders, ...extra });
    const strip = ({ symbol: _symbol, ...order }: Record<string, unknown>) => order;
    let reqId = batch([strip(resting({ cl_ord_id: 'b1' })), strip(resting({ order_userref: 9 }))]);
    const ok = await alice.client.response(reqId);
    expect(ok).toMatchObject({ success: true, result: [{ cl_ord_id: 'b1' }, { order_userref: 9 }] });
    const placed = (ok.result as { order_id: string }[]).map((row) => row.order_id);

    reqId = batch([strip(resting({ cl_ord_id: 'b2' })), strip(resting({ cl_ord_id: 'b1' }))]);
    expect(await alice.client.response(reqId)).toMatchObject({
      success: false,
      error: 'EOrder:Duplicate order',
      result: [
        { cl_ord_id: 'b2', order_id: expect.stringMatching(/^O/) },
        { error: 'EOrder:Duplicate order' },
      ],
    });
    reqId = batch([strip(resting()), { ...strip(resting()), symbol: 'BTC/USD' }]);
    expect(await alice.client.response(reqId)).toMatchObject({
      success: false,
      error: "Unsupported field: 'symbol'",
    });
    reqId = batch([strip(resting()), strip(resting())], { validate: true });
    expect(await alice.client.response(reqId)).toMatchObject({
      success: true,
      result: [{ order_id: '' }, { order_id: '' }],
    });

    reqId = alice.send('batch_cancel', { orders: [placed[0], '9'] });
    expect(await alice.client.response(reqId)).toMatchObject({ success: true, result: { count: 2 } });
    reqId = alice.send('batch_cancel', { orders: [placed[0]] });
    expect(await alice.client.response(reqId)).toMatchObject({
      success: false,
      error: 'EGeneral:Invalid arguments:orders',
    });
    await alice.close();
    expect(sim.control.internalErrors()).toEqual([]);
  });

  it('cancel_all_orders_after: (re)arms with second-resolution times, fires, cancels everything, stays off', async () => {
    const clock = createVirtualClock({ now: Date.UTC(2026, 0, 5, 10, 0, 0) });
    await using sim = await startSim({ marketSpeed: 0, clock });
    const alice = await connectPrivate(sim, 'alice');
    await subscribeExecutions(alice);
    await alice.client.response(alice.send('add_order', resting()));
    let reqId = alice.send('cancel_all_orders_after', { timeout: 30 });
    expect(await alice.client.response(reqId)).toMatchObject({
      success: true,
      result: { currentTime: '2026-01-05T10:00:00Z', triggerTime: '2026-01-05T10:00:30Z' },
    });
    clock.advance(29_999);
    await alice.client.response(alice.send('cancel_all_orders_after', { timeout: 30 })); // re-armed: 10:00:59.999
    clock.advance(29_999);
    expect(sim.control.connections()).toHaveLength(1);
    clock.advance(1);
    expect(await alice.execution((report) => report.exec_type === 'canceled')).toMatchObject({
      reason: 'Cancel all orders after timeout',
    });
    reqId = alice.send('cancel_all_orders_after', { timeout: 0 });
    expect(await alice.client.response(reqId)).toMatchObject({
      result: { currentTime: '2026-01-05T10:00:59Z', triggerTime: '0' },
    });
    await alice.close();
  });

  it('status gating and the trading rate counter answer with Kraken errors', async () => {
    // A virtual clock: the starter counter decays 1/s, so on the system clock the 61st add
    // is refused only if all 61 round trips fit in a second (not on a loaded machine).
    const clock = createVirtualClock();
    await using sim = await startSim({ marketSpeed: 0, clock });
    const starter = await connectPrivate(sim, 'starter');
    const small = resting({ order_qty: 0.0001 });
    sim.control.setStatus('cancel_only');
    await starter.client.next(
      (message) =>
        message.channel === 'status' && (message.data as { system: string }[])[0]?.system === 'cancel_only',
    );
    expect(await starter.client.response(starter.send('add_order', small))).toMatchObject({
      error: 'EService:Market in cancel_only mode',
    });
    sim.control.setStatus('maintenance');
    expect(await starter.client.response(starter.send('cancel_all'))).toMatchObject({
      error: 'EService:Unavailable',
    });
    sim.control.setStatus('online');
    let last: Record<string, unknown> = {};
    for (let i = 0; i < 61; i++) last = await starter.client.response(starter.send('add_order', small));
    expect(last).toMatchObject({ success: false, error: 'EOrder:Rate limit exceeded' });
    await starter.close();
  });
});

describe('balances channel', () => {
  it('snapshot with wallets, then one update per ledger entry (two legs of a trade share ref_id)', async () => {
    await using sim = await startSim({ marketSpeed: 0 });
    const alice = await connectPrivate(sim, 'alice');
    let reqId = alice.send('subscribe', { channel: 'balances' });
    expect(await alice.client.response(reqId)).toMatchObject({
      result: { channel: 'balances', snapshot: true },
    });
    const snapshot = await alice.client.next((message) => message.channel === 'balances');
    expect(snapshot).toMatchObject({ type: 'snapshot', sequence: 1 });
    expect((snapshot.data as unknown[])[0]).toEqual({
      asset: 'USD',
      asset_class: 'currency',
      balance: 100000,
      wallets: [{ type: 'spot', id: 'main', balance: 100000 }],
    });
    expect(alice.client.raw.find((text) => text.startsWith('{"channel":"balances"'))).toContain(
      '"balance":100000.0000,',
    );
    reqId = alice.send('add_order', {
      order_type: 'market',
      side: 'sell',
      order_qty: 0.001,
      symbol: 'BTC/USD',
    });
    await alice.client.response(reqId);
    const base = await alice.client.next((message) => message.channel === 'balances');
    const quote = await alice.client.next((message) => message.channel === 'balances');
    const [baseLeg, quoteLeg] = [base, quote].map(
      (message) => (message.data as Record<string, unknown>[])[0]!,
    );
    expect(base.sequence).toBe(2);
    expect(quote.sequence).toBe(3);
    expect(baseLeg).toMatchObject({
      type: 'trade',
      category: 'trade',
      asset: 'BTC',
      amount: -0.001,
      fee: 0,
      wallet_type: 'spot',
      wallet_id: 'main',
    });
    expect(quoteLeg).toMatchObject({
      asset: 'USD',
      ref_id: baseLeg?.ref_id,
      ledger_id: expect.stringMatching(/^L/),
    });
    sim.control.adjustBalance('alice', 'ETH', '1.5');
    const adjustment = await alice.client.next((message) => message.channel === 'balances');
    expect((adjustment.data as unknown[])[0]).toMatchObject({
      type: 'adjustment',
      asset: 'ETH',
      amount: 1.5,
      balance: 26.5,
    });
    await alice.close();
    expect(sim.control.internalErrors()).toEqual([]);
  });
});
