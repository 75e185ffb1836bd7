import { afterEach, describe, expect, it } from 'vitest';
import {
  balanceOf,
  createEngineHarness,
  d,
  type EngineHarness,
  execTypesOf,
  limit,
  placed,
} from './__fixtures__/engine-harness.js';

let h: EngineHarness;
afterEach(() => {
  expect(h.errors).toEqual([]);
  h.stop();
});

describe('amend (in place)', () => {
  it('keeps the id, reports `amended` with a T… amend id, and resets the age', () => {
    h = createEngineHarness();
    const id = placed(h.engine.addOrder('alice', limit('buy', '0.02', '60000.0'), 'ws'));
    h.clock.advance(7_000);
    const amended = h.engine.amendOrder(
      'alice',
      { orderId: id, qty: d('0.01'), limitPrice: { value: d('60001.0'), type: 'static' } },
      'ws',
    );
    expect(amended.ok).toBe(true);
    if (!amended.ok) return;
    expect(amended.value.amendId).toMatch(/^T[A-Z2-7]{5}-[A-Z2-7]{5}-[A-Z2-7]{6}$/);
    expect(amended.value.order).toMatchObject({ id, amended: true, ageFrom: h.context.clock.now() });
    expect(execTypesOf(h, id)).toEqual(['pending_new', 'new', 'amended']);
    expect(h.executions.at(-1)).toMatchObject({ amendId: amended.value.amendId, reason: 'User requested' });
    expect(balanceOf(h, 'alice', 'USD').hold).toBe('602.4101'); // 600.01 + 2.40004 rounded up to 2.4001
    // add (+1) decayed away in 7 s at 2.34/s; the amend costs +1 fixed +2 (5 s ≤ age < 10 s)
    expect(h.engine.rateCounter('alice', 'BTC/USD')).toBe(3);
  });

  it('a lower quantity at the same price keeps queue priority; more quantity goes to the back', () => {
    h = createEngineHarness();
    const first = placed(h.engine.addOrder('alice', limit('sell', '0.2', '64000.0'), 'ws'));
    const second = placed(h.engine.addOrder('bob', limit('sell', '0.2', '64000.0'), 'ws'));
    expect(h.engine.amendOrder('alice', { orderId: first, qty: d('0.1') }, 'ws').ok).toBe(true);
    placed(h.engine.addOrder('starter', limit('buy', '0.001', '64000.0'), 'ws'));
    expect(execTypesOf(h, first)).toContain('trade');
    expect(h.engine.amendOrder('alice', { orderId: first, qty: d('0.3') }, 'ws').ok).toBe(true);
    placed(h.engine.addOrder('starter', limit('buy', '0.001', '64000.0'), 'ws'));
    expect(execTypesOf(h, second)).toContain('trade');
  });

  it('a quantity at or below the filled quantity cancels the rest', () => {
    h = createEngineHarness();
    const id = placed(h.engine.addOrder('alice', limit('sell', '0.2', '64000.0'), 'ws'));
    placed(h.engine.addOrder('bob', limit('buy', '0.05', '64000.0'), 'ws'));
    expect(h.engine.amendOrder('alice', { orderId: id, qty: d('0.05') }, 'ws').ok).toBe(true);
    expect(execTypesOf(h, id)).toEqual(['pending_new', 'new', 'trade', 'canceled']);
    expect(balanceOf(h, 'alice', 'BTC').hold).toBe('0');
  });

  it('refuses a post-only price amend that would take liquidity; without post-only it takes, then rests', () => {
    h = createEngineHarness();
    const id = placed(
      h.engine.addOrder('alice', limit('buy', '0.1', '60000.0', { clOrdId: 'quote-1' }), 'ws'),
    );
    const crossing = { clOrdId: 'quote-1', limitPrice: { value: d('64000.1'), type: 'static' as const } };
    expect(h.engine.amendOrder('alice', { ...crossing, postOnly: true }, 'ws')).toEqual({
      ok: false,
      error: 'EOrder:Post only order',
    });
    expect(h.engine.amendOrder('alice', crossing, 'ws').ok).toBe(true);
    expect(execTypesOf(h, id)).toEqual(['pending_new', 'new', 'amended', 'trade']);
    expect(h.market.book('BTC/USD').bestBid()?.toFixed()).toBe('64000.1');
  });

  it('refuses unknown orders, bad values and amends the account cannot pay for', () => {
    h = createEngineHarness();
    const id = placed(h.engine.addOrder('starter', limit('buy', '0.01', '60000.0'), 'ws'));
    expect(h.engine.amendOrder('starter', { orderId: 'OAAAAA-AAAAA-AAAAAA', qty: d('0.02') }, 'ws')).toEqual({
      ok: false,
      error: 'EOrder:Unknown order',
    });
    expect(h.engine.amendOrder('starter', { orderId: id, qty: d('0.1') }, 'ws')).toEqual({
      ok: false,
      error: 'EOrder:Insufficient funds',
    });
    expect(
      h.engine.amendOrder(
        'starter',
        { orderId: id, limitPrice: { value: d('60000.05'), type: 'static' } },
        'ws',
      ),
    ).toEqual({
      ok: false,
      error: 'EGeneral:Invalid arguments:limit_price',
    });
    expect(h.engine.amendOrder('starter', { orderId: id }, 'ws')).toEqual({
      ok: false,
      error: 'EGeneral:Invalid arguments:order_qty',
    });
  });
});

describe('edit (cancel and replace)', () => {
  it('replaces with a new id, the original cancelled; fills stay on the original', () => {
    h = createEngineHarness();
    const id = placed(h.engine.addOrder('alice', limit('sell', '0.2', '64000.0', { userref: 7 }), 'ws'));
    placed(h.engine.addOrder('bob', limit('buy', '0.05', '64000.0'), 'ws'));
    const edited = h.engine.editOrder(
      'alice',
      {
        orderId: '7',
        symbol: 'BTC/USD',
        limitPrice: { value: d('64100.0'), type: 'static' },
        validate: false,
      },
      'ws',
    );
    expect(edited.ok).toBe(true);
    if (!edited.ok) return;
    expect(edited.value.original.id).toBe(id);
    expect(edited.value.order.id).not.toBe(id);
    expect(edited.value.order.qty.toFixed()).toBe('0.15');
    expect(edited.value.order.userref).toBeUndefined();
    expect(execTypesOf(h, id).at(-1)).toBe('canceled');
    expect(h.executions.find((event) => event.order.id === id && event.execType === 'canceled')?.reason).toBe(
      'Order replaced',
    );
    expect(balanceOf(h, 'alice', 'BTC').hold).toBe('0.15');
  });

  it('is refused for cl_ord_id orders', () => {
    h = createEngineHarness();
    const id = placed(h.engine.addOrder('alice', limit('buy', '0.01', '60000.0', { clOrdId: 'c1' }), 'ws'));
    expect(
      h.engine.editOrder('alice', { orderId: id, symbol: 'BTC/USD', qty: d('0.02'), validate: false }, 'ws'),
    ).toEqual({
      ok: false,
      error: 'EOrder:Invalid order',
    });
  });
});

describe('cancel', () => {
  it('by order ids, cl_ord_ids and userrefs (all orders with the tag); nothing matched is an unknown order', () => {
    h = createEngineHarness();
    const a = placed(h.engine.addOrder('alice', limit('buy', '0.01', '60000.0', { clOrdId: 'a' }), 'ws'));
    const b = placed(h.engine.addOrder('alice', limit('buy', '0.01', '60000.0', { userref: 5 }), 'ws'));
    const c = placed(h.engine.addOrder('alice', limit('buy', '0.01', '60000.0', { userref: 5 }), 'ws'));
    const byTag = h.engine.cancelOrders('alice', { userrefs: [5] }, 'ws');
    expect(byTag.ok && byTag.value.map((order) => order.id)).toEqual([b, c]);
    expect(h.engine.cancelOrders('alice', { clOrdIds: ['a'] }, 'ws').ok).toBe(true);
    expect(execTypesOf(h, a).at(-1)).toBe('canceled');
    expect(h.engine.cancelOrders('alice', { orderIds: [a] }, 'ws')).toEqual({
      ok: false,
      error: 'EOrder:Unknown order',
    });
  });

  it('cancel all cancels every open order including untriggered ones', () => {
    h = createEngineHarness();
    placed(h.engine.addOrder('alice', limit('buy', '0.01', '60000.0'), 'ws'));
    placed(
      h.engine.addOrder(
        'alice',
        limit('sell', '0.01', '60000.0', {
          orderType: 'stop-loss-limit',
          trigger: { reference: 'last', price: d('63000.0'), type: 'static' },
        }),
        'ws',
      ),
    );
    expect(h.engine.cancelAll('alice', 'ws')).toEqual({ ok: true, value: { count: 2 } });
    expect(h.engine.openOrders('alice')).toEqual([]);
  });
});

describe("dead man's switch", () => {
  it('fires after the timeout, cancels everything, and stays off until re-armed', () => {
    h = createEngineHarness();
    const now = h.context.clock.now();
    placed(h.engine.addOrder('alice', limit('buy', '0.01', '60000.0'), 'ws'));
    expect(h.engine.cancelAllOrdersAfter('alice', 60)).toEqual({
      ok: true,
      value: { now, triggerAt: now + 60_000 },
    });
    h.clock.advance(30_000);
    expect(h.engine.cancelAllOrdersAfter('alice', 60).ok).toBe(true); // re-armed: fires at +90 s
    h.clock.advance(59_999);
    expect(h.engine.openOrders('alice')).toHaveLength(1);
    h.clock.advance(1);
    expect(h.engine.openOrders('alice')).toEqual([]);
    expect(h.executions.at(-1)?.reason).toBe('Cancel all orders after timeout');
    placed(h.engine.addOrder('alice', limit('buy', '0.01', '60000.0'), 'ws'));
    h.clock.advance(120_000);
    expect(h.engine.openOrders('alice')).toHaveLength(1);
  });

  it('disarms with 0, refuses a day or more, and cancels on return when it fired during maintenance', () => {
    h = createEngineHarness();
    expect(h.engine.cancelAllOrdersAfter('alice', 86_400)).toEqual({
      ok: false,
      error: 'EGeneral:Invalid arguments:timeout',
    });
    placed(h.engine.addOrder('alice', limit('buy', '0.01', '60000.0'), 'ws'));
    expect(h.engine.cancelAllOrdersAfter('alice', 10).ok).toBe(true);
    expect(h.engine.cancelAllOrdersAfter('alice', 0)).toMatchObject({ ok: true, value: { triggerAt: 0 } });
    h.clock.advance(20_000);
    expect(h.engine.openOrders('alice')).toHaveLength(1);
    expect(h.engine.cancelAllOrdersAfter('alice', 10).ok).toBe(true);
    h.context.status.set('maintenance');
    h.clock.advance(20_000);
    expect(h.engine.openOrders('alice')).toHaveLength(1);
    h.context.status.set('online');
    expect(h.engine.openOrders('alice')).toEqual([]);
  });
});
