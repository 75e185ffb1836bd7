import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startSim } from '../src/index.js';
import { propertyParams } from './support/property-params.js';
import { RestClient } from './support/rest-client.js';

// Signed, well-formed requests with hostile parameter values: every answer must be Kraken's
// envelope, and nothing may reach the sim's internal-error log.

const fieldValues = fc.oneof(
  fc.constantFrom(
    '',
    '0',
    '-1',
    '1',
    '0.00000001',
    '1e3',
    '+5',
    '-5%',
    '#2',
    '99999999999999999999999',
    'true',
    'buy',
    'sell',
    'limit',
    'market',
    'stop-loss-limit',
    'trailing-stop',
    'iceberg',
    'XBTUSD',
    'PEPE/USD',
    'post,viqc',
    'fcib',
    'GTD',
    'IOC',
    '+60',
    '2026-01-01T00:00:00Z',
    'OAAAAA-AAAAA-AAAAAA',
  ),
  fc.string({ maxLength: 12 }),
);
const orderFields = fc.dictionary(
  fc.constantFrom(
    'pair',
    'type',
    'ordertype',
    'volume',
    'price',
    'price2',
    'trigger',
    'oflags',
    'timeinforce',
    'starttm',
    'expiretm',
    'userref',
    'cl_ord_id',
    'displayvol',
    'stptype',
    'deadline',
    'validate',
    'leverage',
    'reduce_only',
    'close[ordertype]',
    'close[price]',
    'txid',
    'order_qty',
    'limit_price',
    'timeout',
    'start',
    'end',
    'ofs',
    'asset',
  ),
  fieldValues,
  { maxKeys: 10 },
);
const methods = fc.constantFrom(
  'AddOrder',
  'AddOrderBatch',
  'AmendOrder',
  'EditOrder',
  'CancelOrder',
  'CancelOrderBatch',
  'CancelAllOrdersAfter',
  'OpenOrders',
  'ClosedOrders',
  'QueryOrders',
  'TradesHistory',
  'QueryTrades',
  'Ledgers',
  'QueryLedgers',
  'TradeBalance',
);

describe('REST under hostile parameters', () => {
  it('always answers with an envelope and never records an internal error', async () => {
    await using sim = await startSim({
      marketSpeed: 0,
      limits: { restCounter: false, tradingCounter: false },
    });
    const alice = sim.accounts.find((account) => account.id === 'alice')!;
    const client = new RestClient(sim.urls.rest, alice);
    await fc.assert(
      fc.asyncProperty(methods, orderFields, fc.boolean(), async (method, fields, json) => {
        const params: Record<string, unknown> =
          method === 'AddOrderBatch' || method === 'CancelOrderBatch'
            ? {
                pair: fields.pair ?? 'XBTUSD',
                orders: [fields, fields],
                cl_ord_ids: [fields.cl_ord_id ?? 'x'],
              }
            : fields;
        const response = await client.call(method, params, { json: json || method.endsWith('Batch') });
        expect(response.status).toBe(200);
        expect(Array.isArray(response.json?.error)).toBe(true);
        for (const error of response.json?.error ?? []) {
          expect(error).toMatch(/^[EW][A-Za-z]+:/);
          expect(error).not.toBe('EGeneral:Internal error');
        }
      }),
      propertyParams({ seed: 1, numRuns: 300 }),
    );
    expect(sim.control.internalErrors()).toEqual([]);
    await client.call('CancelAll');
  });
});
