import { afterEach, describe, expect, it } from 'vitest';
import { createEngineHarness, d, type EngineHarness, limit, placed } from './__fixtures__/engine-harness.js';

let h: EngineHarness;
afterEach(() => {
  expect(h.errors).toEqual([]);
  h.stop();
});

describe('queries', () => {
  it('answer as of an earlier time (the "REST lags behind WS" fault): orders, holds, balances, fills', () => {
    h = createEngineHarness();
    const t0 = h.context.clock.now();
    const id = placed(h.engine.addOrder('alice', limit('sell', '0.2', '64000.0'), 'ws'));
    h.clock.advance(1_000);
    const t1 = h.context.clock.now() - 1; // just before bob's order filled it
    placed(h.engine.addOrder('bob', limit('buy', '0.2', '64000.0'), 'ws'));
    h.clock.advance(1_000);

    expect(h.engine.openOrders('alice')).toEqual([]);
    expect(h.engine.openOrders('alice', undefined, t1).map((order) => order.id)).toEqual([id]);
    expect(h.engine.openOrders('alice', undefined, t0 - 1)).toEqual([]);
    expect(h.engine.queryOrders('alice', [id], t1)[0]?.status).toBe('open');
    expect(h.engine.queryOrders('alice', [id])[0]?.status).toBe('closed');
    expect(h.engine.balances('alice', t1).get('BTC')).toEqual({ balance: d('2'), holdTrade: d('0.2') });
    expect(h.engine.balances('alice').get('BTC')).toEqual({ balance: d('1.8'), holdTrade: d('0') });
    expect(h.engine.trades('alice', {}, t1)).toEqual({ fills: [], count: 0 });
    expect(h.engine.trades('alice').count).toBe(1);
    expect(h.engine.ledger('alice', t1)).toEqual([]);
    expect(h.engine.ledger('alice')).toHaveLength(2);
    expect(h.engine.closedOrders('alice')).toMatchObject({ count: 1, orders: [{ id }] });
    expect(h.engine.closedOrders('alice', {}, t1)).toEqual({ orders: [], count: 0 });
  });

  it('pages closed orders newest first and filters by tag and time', () => {
    h = createEngineHarness({ limits: { tradingCounter: false } });
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      const id = placed(h.engine.addOrder('bob', limit('buy', '0.001', '60000.0', { userref: i % 2 }), 'ws'));
      ids.push(id);
      h.clock.advance(1_000);
      h.engine.cancelOrders('bob', { orderIds: [id] }, 'ws');
    }
    const page = h.engine.closedOrders('bob');
    expect(page.count).toBe(60);
    expect(page.orders).toHaveLength(50);
    expect(page.orders[0]?.id).toBe(ids[59]);
    expect(h.engine.closedOrders('bob', { offset: 50 }).orders.at(-1)?.id).toBe(ids[0]);
    expect(h.engine.closedOrders('bob', { userref: 1 }).count).toBe(30);
    expect(
      h.engine.closedOrders('bob', { start: ids[57]!, closeTime: 'open' }).orders.map((order) => order.id),
    ).toEqual([ids[59], ids[58]]);
  });

  it('recent fills newest last; control adjustments are ledger entries that may not dig into holds', () => {
    h = createEngineHarness();
    placed(h.engine.addOrder('alice', limit('buy', '0.5', '64000.2'), 'ws'));
    expect(h.engine.recentFills('alice', 50).map((fill) => fill.price.toFixed())).toEqual([
      '64000.1',
      '64000.2',
    ]);
    expect(h.engine.adjustBalance('starter', 'USD', d('-1000.0001'))).toEqual({
      ok: false,
      error: 'EOrder:Insufficient funds',
    });
    expect(h.engine.adjustBalance('starter', 'XYZ', d('1'))).toEqual({
      ok: false,
      error: 'EQuery:Unknown asset',
    });
    expect(h.engine.adjustBalance('starter', 'USD', d('0.00001'))).toEqual({
      ok: false,
      error: 'EGeneral:Invalid arguments:amount',
    });
    expect(h.engine.adjustBalance('starter', 'ETH', d('2.5'))).toEqual({ ok: true, value: undefined });
    expect(h.ledger.at(-1)).toMatchObject({ type: 'adjustment', asset: 'ETH', accountId: 'starter' });
    expect(h.engine.balances('starter').get('ETH')?.balance.toFixed()).toBe('2.5');
  });
});
