import { createVirtualClock } from '@krakenkit/host/testing';
import { describe, expect, it } from 'vitest';
import { startSim } from '../src/index.js';
import { connectPrivate, subscribeExecutions } from './support/private-client.js';

// Seeded BTC/USD book: best bid 63999.9, best ask 64000.1; 64000.0 is inside the spread.

describe('executions channel', () => {
  it('acks with maxratecount, sends a snapshot (sequence 1) of open orders and, on request, the last fills', async () => {
    await using sim = await startSim({ marketSpeed: 0 });
    const bob = await connectPrivate(sim, 'bob');
    const first = await subscribeExecutions(bob);
    expect(first.ack).toMatchObject({
      method: 'subscribe',
      success: true,
      result: { channel: 'executions', snap_orders: true, snap_trades: false, maxratecount: 180 },
    });
    expect(first.snapshot).toEqual({ channel: 'executions', type: 'snapshot', data: [], sequence: 1 });

    bob.sendRaw(
      'add_order',
      '"order_type":"limit","side":"buy","order_qty":2,"symbol":"BTC/USD","limit_price":64000.2,"cl_ord_id":"bob-1"',
      50,
    );
    await bob.client.response(50);
    await bob.execution((report) => report.exec_type === 'trade' && report.last_price === 64000.2);
    const resting = bob.send('add_order', {
      order_type: 'limit',
      side: 'sell',
      order_qty: 0.01,
      symbol: 'BTC/USD',
      limit_price: 70000,
      order_userref: 3,
    });
    await bob.client.response(resting);
    await bob.execution((report) => report.exec_type === 'new');

    const again = await connectPrivate(sim, 'bob');
    const { snapshot } = await subscribeExecutions(again, { snap_trades: true });
    const data = snapshot.data as Record<string, unknown>[];
    expect(snapshot.sequence).toBe(1);
    // Open orders first (full details), then fills newest first.
    const liveFills = bob.client.messages
      .flatMap((message) =>
        (message as { channel?: string }).channel === 'executions'
          ? (message as { data: Record<string, unknown>[] }).data
          : [],
      )
      .filter((report) => report.exec_type === 'trade')
      .map((report) => report.exec_id);
    expect(data.map((report) => report.exec_type)).toEqual(['new', 'new', ...liveFills.map(() => 'trade')]);
    expect(data.slice(2).map((report) => report.exec_id)).toEqual([...liveFills].reverse());
    expect(data[0]).toMatchObject({
      cl_ord_id: 'bob-1',
      order_status: 'partially_filled',
      symbol: 'BTC/USD',
      time_in_force: 'GTC',
      limit_price_type: 'static',
    });
    expect(data[1]).toMatchObject({
      order_userref: 3,
      order_status: 'new',
      order_type: 'limit',
      side: 'sell',
    });
    expect(data[2]).toMatchObject({
      last_price: 64000.2,
      liquidity_ind: 't',
      order_id: data[0]?.order_id,
      cl_ord_id: 'bob-1',
      order_status: 'partially_filled',
    });
    expect(data.at(-1)).toMatchObject({ last_price: 64000.1 });
    expect(again.client.raw.find((text) => text.includes('"type":"snapshot"'))).toContain(
      '"order_qty":0.01000000',
    );
    await bob.close();
    await again.close();
    expect(sim.control.internalErrors()).toEqual([]);
  });

  it('streams the lifecycle after the response: pending_new (full) → new → trade → filled, with per-subscription sequence', async () => {
    await using sim = await startSim({ marketSpeed: 0 });
    const alice = await connectPrivate(sim, 'alice');
    const bob = await connectPrivate(sim, 'bob');
    await subscribeExecutions(alice);
    await subscribeExecutions(bob);
    alice.sendRaw(
      'add_order',
      '"order_type":"limit","side":"sell","order_qty":0.1,"symbol":"BTC/USD","limit_price":64000.0,"time_in_force":"gtc","post_only":true',
      7,
    );
    const response = await alice.client.response(7);
    expect(response).toMatchObject({
      method: 'add_order',
      success: true,
      req_id: 7,
      result: { order_id: expect.stringMatching(/^O[A-Z2-7]{5}-[A-Z2-7]{5}-[A-Z2-7]{6}$/) },
    });
    const orderId = (response.result as { order_id: string }).order_id;
    const responseIndex = alice.client.messages.indexOf(response);
    const pending = await alice.execution((report) => report.exec_type === 'pending_new');
    expect(
      alice.client.messages.findIndex((message) => (message as { data?: unknown[] }).data?.includes(pending)),
    ).toBeGreaterThan(responseIndex);
    expect(pending).toEqual({
      order_id: orderId,
      exec_type: 'pending_new',
      order_status: 'pending_new',
      timestamp: expect.stringMatching(/Z$/),
      order_userref: 0,
      symbol: 'BTC/USD',
      side: 'sell',
      order_type: 'limit',
      order_qty: 0.1,
      time_in_force: 'GTC',
      limit_price: 64000,
      limit_price_type: 'static',
      post_only: true,
      fee_ccy_pref: 'fciq',
      cum_qty: 0,
      cum_cost: 0,
    });
    expect(alice.client.raw.find((text) => text.includes('"pending_new"'))).toMatch(
      /"order_qty":0\.10000000,.*"limit_price":64000\.0,/,
    );
    expect(await alice.execution((report) => report.exec_type === 'new')).toEqual({
      order_id: orderId,
      exec_type: 'new',
      order_status: 'new',
      timestamp: expect.any(String),
      order_userref: 0,
      post_only: true,
    });

    bob.send('add_order', {
      order_type: 'limit',
      side: 'buy',
      order_qty: 0.1,
      symbol: 'BTC/USD',
      limit_price: 64000,
    });
    const trade = await alice.execution((report) => report.exec_type === 'trade');
    expect(trade).toMatchObject({
      order_id: orderId,
      order_status: 'partially_filled',
      exec_id: expect.stringMatching(/^T/),
      trade_id: expect.any(Number),
      last_qty: 0.1,
      last_price: 64000,
      liquidity_ind: 'm',
      cost: 6400,
      fees: [{ asset: 'USD', qty: 16 }],
      fee_usd_equiv: 16,
      cum_qty: 0.1,
      cum_cost: 6400,
      avg_price: 64000,
    });
    const filled = await alice.execution((report) => report.exec_type === 'filled');
    expect(filled).toMatchObject({ order_id: orderId, order_status: 'filled', cum_qty: 0.1 });
    expect(filled.fees).toBeUndefined();
    const sequences = alice.client.messages
      .filter((message) => (message as { channel?: string }).channel === 'executions')
      .map((message) => (message as { sequence: number }).sequence);
    expect(sequences).toEqual([1, 2, 3, 4, 5]);
    await alice.close();
    await bob.close();
    expect(sim.control.internalErrors()).toEqual([]);
  });

  it('order_status: false sends only open/close transitions and fills; ratecounter adds ratecount', async () => {
    // A virtual clock: the counter decays in real time, so on a loaded machine the few ms
    // between the add (+1) and its IOC cancel once showed `ratecount: 0.95`.
    const clock = createVirtualClock();
    await using sim = await startSim({ marketSpeed: 0, clock });
    const alice = await connectPrivate(sim, 'alice');
    await subscribeExecutions(alice, { order_status: false, ratecounter: true });
    const reqId = alice.send('add_order', {
      order_type: 'limit',
      side: 'buy',
      order_qty: 0.01,
      symbol: 'BTC/USD',
      limit_price: 60000,
      time_in_force: 'ioc',
    });
    await alice.client.response(reqId);
    const canceled = await alice.execution((report) => report.exec_type === 'canceled');
    expect(canceled).toMatchObject({ reason: 'Immediate or cancel', ratecount: 1 });
    const types = alice.client.messages
      .filter(
        (message) =>
          (message as { channel?: string; type?: string }).channel === 'executions' &&
          (message as { type?: string }).type === 'update',
      )
      .flatMap((message) =>
        (message as { data: { exec_type: string }[] }).data.map((report) => report.exec_type),
      );
    expect(types).toEqual(['new', 'canceled']);
    await alice.close();
  });

  it('faults: duplicate-executions sends the next update twice; reorder-executions swaps the next two', async () => {
    await using sim = await startSim({ marketSpeed: 0 });
    const alice = await connectPrivate(sim, 'alice');
    await subscribeExecutions(alice);
    sim.control.inject({ kind: 'duplicate-executions', target: { accountId: 'alice' } });
    let reqId = alice.send('add_order', {
      order_type: 'limit',
      side: 'buy',
      order_qty: 0.01,
      symbol: 'BTC/USD',
      limit_price: 60000,
    });
    await alice.client.response(reqId);
    await alice.execution((report) => report.exec_type === 'new');
    const updates = () =>
      alice.client.raw.filter((text) => text.startsWith('{"channel":"executions","type":"update"'));
    expect(updates()).toHaveLength(3);
    expect(updates()[0]).toBe(updates()[1]);
    expect(updates()[0]).toContain('"sequence":2');

    sim.control.inject({ kind: 'reorder-executions', target: { accountId: 'alice' } });
    reqId = alice.send('add_order', {
      order_type: 'limit',
      side: 'buy',
      order_qty: 0.01,
      symbol: 'BTC/USD',
      limit_price: 60000,
    });
    await alice.client.response(reqId);
    await alice.execution((report) => report.exec_type === 'pending_new');
    const tail = updates()
      .slice(3)
      .map((text) => JSON.parse(text) as { sequence: number; data: { exec_type: string }[] });
    expect(tail.map((frame) => [frame.sequence, frame.data[0]?.exec_type])).toEqual([
      [5, 'new'],
      [4, 'pending_new'],
    ]);
    expect(sim.control.stats()).toMatchObject({
      'faults.duplicated_executions': 1,
      'faults.reordered_executions': 1,
    });
    await alice.close();
    expect(sim.control.internalErrors()).toEqual([]);
  });
});
