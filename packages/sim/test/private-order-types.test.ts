import { describe, expect, it } from 'vitest';
import { startSim } from '../src/index.js';
import { connectPrivate, subscribeExecutions } from './support/private-client.js';

// Seeded BTC/USD book: bids from 63999.9 down, asks from 64000.1 up, last trade 64000.
const base = { symbol: 'BTC/USD', order_qty: 0.01 };
const cases: [string, Record<string, unknown>, string[], Record<string, unknown>?][] = [
  ['market buy', { order_type: 'market', side: 'buy' }, ['pending_new', 'new', 'trade', 'trade', 'filled']],
  [
    'market buy by cash',
    { order_type: 'market', side: 'buy', order_qty: undefined, cash_order_qty: 100 },
    ['pending_new', 'new', 'trade', 'filled'],
  ],
  ['limit gtc resting', { order_type: 'limit', side: 'buy', limit_price: 60000 }, ['pending_new', 'new']],
  [
    'limit fok unfillable',
    { order_type: 'limit', side: 'buy', limit_price: 64000.1, time_in_force: 'fok' },
    ['pending_new', 'new', 'canceled'],
  ],
  [
    'limit gtd too far',
    {
      order_type: 'limit',
      side: 'buy',
      limit_price: 60000,
      time_in_force: 'gtd',
      expire_time: '2099-01-01T00:00:00Z',
    },
    [],
    { error: 'EGeneral:Invalid arguments:expire_time' },
  ],
  [
    'limit gtd resting',
    {
      order_type: 'limit',
      side: 'buy',
      limit_price: 60000,
      time_in_force: 'gtd',
      expire_time: new Date(Date.now() + 3_600_000).toISOString(),
    },
    ['pending_new', 'new'],
  ],
  [
    'iceberg',
    { order_type: 'iceberg', side: 'sell', limit_price: 70000, order_qty: 0.15, display_qty: 0.01 },
    ['pending_new', 'new'],
  ],
  [
    'stop-loss already past',
    { order_type: 'stop-loss', side: 'sell', triggers: { price: 64500 } },
    ['pending_new', 'new', 'status', 'trade', 'filled'],
  ],
  [
    'take-profit-limit waiting',
    {
      order_type: 'take-profit-limit',
      side: 'sell',
      limit_price: 66000,
      triggers: { price: 66000, reference: 'index' },
    },
    ['pending_new', 'new'],
  ],
  [
    'trailing-stop waiting',
    { order_type: 'trailing-stop', side: 'sell', triggers: { price: 1, price_type: 'pct' } },
    ['pending_new', 'new'],
  ],
  [
    'settle-position',
    { order_type: 'settle-position', side: 'sell' },
    [],
    { error: 'EOrder:Unknown position' },
  ],
  [
    'margin',
    { order_type: 'market', side: 'sell', margin: true },
    [],
    { error: 'EOrder:Cannot open position' },
  ],
];

describe('executions lifecycle per order type and time in force', () => {
  it.each(cases)('%s', async (_name, params, lifecycle, failure) => {
    await using sim = await startSim({ marketSpeed: 0 });
    const alice = await connectPrivate(sim, 'alice');
    await subscribeExecutions(alice);
    const order = Object.fromEntries(
      Object.entries({ ...base, ...params }).filter(([, value]) => value !== undefined),
    );
    const response = await alice.client.response(alice.send('add_order', order));
    if (failure) {
      expect(response).toMatchObject({ success: false, ...failure });
      return;
    }
    expect(response).toMatchObject({ success: true });
    const orderId = (response.result as { order_id: string }).order_id;
    const last = lifecycle.at(-1)!;
    await alice.execution((report) => report.order_id === orderId && report.exec_type === last);
    const types = alice.client.messages
      .filter(
        (message) =>
          (message as { channel?: string; type?: string }).channel === 'executions' &&
          (message as { type?: string }).type === 'update',
      )
      .flatMap((message) => (message as { data: Record<string, unknown>[] }).data)
      .filter((report) => report.order_id === orderId)
      .map((report) => report.exec_type);
    if (lifecycle.includes('trade')) {
      expect(types[0]).toBe('pending_new');
      expect(types.at(-1)).toBe(last);
      expect(types.filter((type) => type !== 'trade')).toEqual(lifecycle.filter((type) => type !== 'trade'));
    } else {
      expect(types).toEqual(lifecycle);
    }
    expect(sim.control.internalErrors()).toEqual([]);
    await alice.close();
  });

  it('reports triggers in pending_new and on status', async () => {
    await using sim = await startSim({ marketSpeed: 0 });
    const alice = await connectPrivate(sim, 'alice');
    await subscribeExecutions(alice);
    alice.send('add_order', {
      ...base,
      order_type: 'stop-loss-limit',
      side: 'sell',
      limit_price: 63000,
      triggers: { price: 64500, reference: 'last' },
    });
    expect(await alice.execution((report) => report.exec_type === 'pending_new')).toMatchObject({
      triggers: {
        reference: 'last',
        price: 64500,
        price_type: 'static',
        actual_price: 64500,
        status: 'untriggered',
      },
      limit_price: 63000,
    });
    expect(await alice.execution((report) => report.exec_type === 'status')).toMatchObject({
      triggers: { status: 'triggered', last_price: 64000, timestamp: expect.stringMatching(/Z$/) },
    });
    await alice.close();
  });
});
