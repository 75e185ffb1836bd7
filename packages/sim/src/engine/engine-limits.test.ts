import { afterEach, describe, expect, it } from 'vitest';
import { defaultPairs, type SimPair } from '../sim-pairs.js';
import {
  createEngineHarness,
  d,
  type EngineHarness,
  limit,
  marketOrder,
  placed,
} from './__fixtures__/engine-harness.js';

let h: EngineHarness;
afterEach(() => {
  expect(h.errors).toEqual([]);
  h.stop();
});

const small = (extra = {}) => limit('buy', '0.0001', '60000.0', extra);

describe('trading rate counter and open-order limit', () => {
  it('refuses the transaction that would go over the tier threshold, and charges fixed costs even on failures', () => {
    h = createEngineHarness();
    for (let i = 0; i < 59; i++) placed(h.engine.addOrder('starter', small(), 'ws'));
    expect(h.engine.addOrder('starter', limit('buy', '0.0001', '60000.05'), 'ws')).toEqual({
      ok: false,
      error: 'EGeneral:Invalid arguments:limit_price',
    });
    expect(h.engine.rateCounter('starter', 'BTC/USD')).toBe(60);
    expect(h.engine.addOrder('starter', small(), 'ws')).toEqual({
      ok: false,
      error: 'EOrder:Rate limit exceeded',
    });
    expect(h.context.stats.get('engine.trading_rate_limited')).toBe(1);
    h.clock.advance(2_000); // decays 1/s (the refused add still cost 1)
    expect(h.engine.rateCounter('starter', 'BTC/USD')).toBe(59);
    placed(h.engine.addOrder('starter', small(), 'ws'));
    expect(h.engine.maxRateCount('starter')).toBe(60);
    expect(h.engine.rateCounter('starter', 'ETH/USD')).toBe(0);
  });

  it('cancels of young orders cost their age penalty; a batch cancel over the threshold is still accepted', () => {
    h = createEngineHarness();
    const ids = Array.from({ length: 20 }, () => placed(h.engine.addOrder('starter', small(), 'ws')));
    expect(h.engine.cancelOrders('starter', { orderIds: ids.slice(0, 5) }, 'ws').ok).toBe(true);
    expect(h.engine.rateCounter('starter', 'BTC/USD')).toBe(20 + 5 * 8);
    expect(h.engine.cancelOrders('starter', { orderIds: [ids[5]!] }, 'ws')).toEqual({
      ok: false,
      error: 'EOrder:Rate limit exceeded',
    });
    expect(h.engine.cancelOrders('starter', { orderIds: ids.slice(5, 10), batch: true }, 'ws').ok).toBe(true);
    expect(h.engine.rateCounter('starter', 'BTC/USD')).toBe(100);
  });

  it('limits open orders per pair by tier', () => {
    h = createEngineHarness();
    for (let i = 0; i < 80; i++) placed(h.engine.addOrder('alice', small(), 'ws'));
    expect(h.engine.addOrder('alice', small(), 'ws')).toEqual({
      ok: false,
      error: 'EOrder:Orders limit exceeded',
    });
    placed(h.engine.addOrder('alice', limit('buy', '0.01', '3000.00', { symbol: 'ETH/USD' }), 'ws'));
  });

  it('enforces neither when limits.tradingCounter is off', () => {
    h = createEngineHarness({ limits: { tradingCounter: false } });
    for (let i = 0; i < 100; i++) placed(h.engine.addOrder('starter', small(), 'ws'));
    expect(h.engine.rateCounter('starter', 'BTC/USD')).toBe(100);
  });

  it('batch add costs n/2 and rejects the whole batch when one order is invalid', () => {
    h = createEngineHarness();
    const batch = h.engine.batchAdd(
      'alice',
      'BTC/USD',
      [small(), small(), small({ qty: d('0.000000001') })],
      { validate: false },
      'ws',
    );
    expect(batch).toEqual({ ok: false, error: 'EGeneral:Invalid arguments:order_qty' });
    expect(h.engine.rateCounter('alice', 'BTC/USD')).toBe(1.5);
    const ok = h.engine.batchAdd(
      'alice',
      'BTC/USD',
      [small({ clOrdId: 'x' }), small({ clOrdId: 'x' })],
      { validate: false },
      'ws',
    );
    expect(ok.ok && ok.value.map((row) => (row.ok ? 'placed' : row.error))).toEqual([
      'placed',
      'EOrder:Duplicate order',
    ]);
    expect(h.engine.batchAdd('alice', 'BTC/USD', [small()], { validate: false }, 'ws')).toEqual({
      ok: false,
      error: 'EGeneral:Invalid arguments:orders',
    });
  });
});

describe('status gating', () => {
  it('maintenance refuses everything, cancels included', () => {
    h = createEngineHarness();
    const id = placed(h.engine.addOrder('alice', small(), 'ws'));
    h.context.status.set('maintenance');
    const unavailable = { ok: false, error: 'EService:Unavailable' };
    expect(h.engine.addOrder('alice', small(), 'ws')).toEqual(unavailable);
    expect(h.engine.cancelOrders('alice', { orderIds: [id] }, 'ws')).toEqual(unavailable);
    expect(h.engine.cancelAll('alice', 'ws')).toEqual(unavailable);
    expect(h.engine.amendOrder('alice', { orderId: id, qty: d('0.0002') }, 'ws')).toEqual(unavailable);
    expect(h.engine.cancelAllOrdersAfter('alice', 60)).toEqual(unavailable);
  });

  it('cancel_only accepts cancels only; post_only accepts post-only limit orders and cancels', () => {
    h = createEngineHarness();
    const id = placed(h.engine.addOrder('alice', small(), 'ws'));
    h.context.status.set('cancel_only');
    expect(h.engine.addOrder('alice', small({ postOnly: true }), 'ws')).toEqual({
      ok: false,
      error: 'EService:Market in cancel_only mode',
    });
    expect(h.engine.amendOrder('alice', { orderId: id, qty: d('0.0002') }, 'ws')).toEqual({
      ok: false,
      error: 'EService:Market in cancel_only mode',
    });
    h.context.status.set('post_only');
    expect(h.engine.addOrder('alice', small(), 'ws')).toEqual({
      ok: false,
      error: 'EService:Market in post_only mode',
    });
    expect(h.engine.addOrder('alice', marketOrder('buy', '0.001'), 'ws')).toEqual({
      ok: false,
      error: 'EService:Market in post_only mode',
    });
    placed(h.engine.addOrder('alice', small({ postOnly: true }), 'ws'));
    const crossing = placed(
      h.engine.addOrder('alice', limit('buy', '0.01', '64000.1', { postOnly: true }), 'ws'),
    );
    expect(
      h.executions.filter((event) => event.order.id === crossing).map((event) => event.execType),
    ).toEqual(['pending_new', 'new', 'canceled']);
    expect(h.engine.cancelOrders('alice', { orderIds: [id] }, 'ws').ok).toBe(true);
  });

  it('applies the pair status from the catalog', () => {
    const pairs: SimPair[] = [
      { ...defaultPairs[0]!, status: 'limit_only' },
      { ...defaultPairs[1]!, status: 'reduce_only' },
      { ...defaultPairs[2]!, status: 'cancel_only' },
      { ...defaultPairs[3]!, status: 'post_only' },
    ];
    h = createEngineHarness({ pairs });
    expect(h.engine.addOrder('alice', marketOrder('buy', '0.001'), 'ws')).toEqual({
      ok: false,
      error: 'EService:Market in limit_only mode',
    });
    placed(h.engine.addOrder('alice', small(), 'ws'));
    expect(h.engine.addOrder('alice', limit('buy', '0.01', '3000.00', { symbol: 'ETH/USD' }), 'ws')).toEqual({
      ok: false,
      error: 'EService:Market in reduce_only mode',
    });
    expect(h.engine.addOrder('alice', limit('buy', '100', '0.5000', { symbol: 'POL/USD' }), 'ws')).toEqual({
      ok: false,
      error: 'EService:Market in cancel_only mode',
    });
    expect(
      h.engine.addOrder('alice', limit('buy', '1000000', '0.00001000', { symbol: 'PEPE/USD' }), 'ws'),
    ).toEqual({
      ok: false,
      error: 'EService:Market in post_only mode',
    });
  });

  it('refuses unknown pairs, unknown accounts and keys without trade permission', () => {
    h = createEngineHarness();
    expect(h.engine.addOrder('alice', small({ symbol: 'XBT/USD' }), 'ws')).toEqual({
      ok: false,
      error: 'EQuery:Unknown asset pair',
    });
    expect(h.engine.addOrder('viewer', small(), 'ws')).toEqual({
      ok: false,
      error: 'EGeneral:Permission denied',
    });
    expect(h.engine.addOrder('nobody', small(), 'ws')).toEqual({ ok: false, error: 'EAPI:Invalid key' });
    expect(h.engine.hasAccount('nobody')).toBe(false);
  });
});
