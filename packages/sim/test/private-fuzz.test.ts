import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startSim } from '../src/index.js';
import { connectPrivate } from './support/private-client.js';

const methods = [
  'add_order',
  'amend_order',
  'edit_order',
  'cancel_order',
  'cancel_all',
  'cancel_all_orders_after',
  'batch_add',
  'batch_cancel',
  'subscribe',
  'unsubscribe',
];
const fields = [
  'order_type',
  'side',
  'order_qty',
  'symbol',
  'limit_price',
  'limit_price_type',
  'triggers',
  'time_in_force',
  'post_only',
  'cl_ord_id',
  'order_userref',
  'order_id',
  'display_qty',
  'cash_order_qty',
  'expire_time',
  'deadline',
  'orders',
  'timeout',
  'channel',
  'stp_type',
  'validate',
  'trigger_price',
];
const value = fc.oneof(
  fc.constantFrom(
    'limit',
    'market',
    'iceberg',
    'stop-loss',
    'buy',
    'sell',
    'BTC/USD',
    'gtc',
    'ioc',
    'gtd',
    'fok',
    'executions',
    'balances',
    'pct',
    'quote',
  ),
  fc.constantFrom(
    '0',
    '1e-9',
    '-5',
    '64000.0',
    '0.01',
    '1e400',
    '99999999999999999999',
    '0.00000001',
    '2026-13-01T00:00:00Z',
  ),
  fc.boolean(),
  fc.string({ maxLength: 20 }),
  fc.constant(null),
  fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.integer()), { maxLength: 3 }),
  fc.dictionary(
    fc.constantFrom('price', 'reference', 'price_type', 'x'),
    fc.oneof(fc.integer(), fc.string({ maxLength: 6 })),
  ),
);

/** Numeric-looking strings go out as raw JSON numbers, to reach the decimal parser. */
function encode(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([key, entry]) => {
      const text =
        typeof entry === 'string' && /^-?[0-9][0-9.e+-]*$/.test(entry) ? entry : JSON.stringify(entry);
      return `${JSON.stringify(key)}:${text}`;
    })
    .join(',');
}

describe('private endpoint fuzz', () => {
  it('answers every request, never crashes, never corrupts the account', async () => {
    await using sim = await startSim({
      marketSpeed: 0,
      limits: { tradingCounter: false, wsMessagesPerSecond: 10_000 },
    });
    const alice = await connectPrivate(sim, 'alice');
    let reqId = 1000;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...methods),
        fc.dictionary(fc.constantFrom(...fields), value, { maxKeys: 6 }),
        async (method, params) => {
          reqId += 1;
          alice.sendRaw(method, encode(params), reqId);
          const answer = await alice.client.response(reqId);
          expect(typeof answer.success).toBe('boolean');
        },
      ),
      { numRuns: 300 },
    );
    const balances = sim.control.balances('alice');
    for (const { balance, holdTrade } of Object.values(balances)) {
      expect(Number(balance) >= Number(holdTrade)).toBe(true);
    }
    expect(sim.control.internalErrors()).toEqual([]);
    await alice.close();
  });
});
