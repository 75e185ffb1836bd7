import { describe, expect, it } from 'vitest';
import { SimClock } from '../sim-clock.js';
import { Decimal, zero } from '../sim-decimal.js';
import { defaultPairs } from '../sim-pairs.js';
import type { ExecutionEvent, SimOrder } from '../sim-types.js';
import { encodeFrame } from '../sim-wire.js';
import { executionReport, PairNumbers } from './private-report.js';

const d = (text: string) => new Decimal(text);
const clock = new SimClock();
const at = Date.UTC(2026, 0, 5, 10, 0, 0);
const numbers = new PairNumbers(defaultPairs.find((pair) => pair.symbol === 'POL/USD')!, 'padded');

const order: SimOrder = {
  id: 'OAAAAA-BBBBB-CCCCCC',
  accountId: 'alice',
  clOrdId: 'c-1',
  symbol: 'POL/USD',
  side: 'sell',
  orderType: 'trailing-stop-limit',
  qty: d('100'),
  filledQty: zero,
  filledCost: zero,
  fees: zero,
  feeAsset: 'USD',
  avgPrice: zero,
  limitPrice: { value: d('-0.001'), type: 'quote' },
  trigger: {
    reference: 'index',
    price: d('1.5'),
    type: 'pct',
    triggered: false,
    actualPrice: d('0.5575'),
    peakPrice: d('0.566'),
  },
  timeInForce: 'gtd',
  postOnly: false,
  reduceOnly: false,
  margin: false,
  stpType: 'cancel_newest',
  feePreference: 'base',
  conditional: { orderType: 'stop-loss', triggerPrice: { value: d('0.5'), type: 'static' } },
  status: 'pending',
  amended: false,
  openedAt: at,
  expireAt: at + 3_600_000,
  ageFrom: at,
  tradeIds: [],
  via: 'ws',
};

const report = (event: Partial<ExecutionEvent>) =>
  encodeFrame(
    executionReport(
      { accountId: 'alice', execType: 'pending_new', order, time: at, ...event },
      numbers,
      clock,
    ),
  );

describe('execution reports', () => {
  it('pending_new carries the whole order in Kraken field names, numbers at the pair precision', () => {
    expect(report({})).toBe(
      '{"order_id":"OAAAAA-BBBBB-CCCCCC","exec_type":"pending_new","order_status":"pending_new",' +
        '"timestamp":"2026-01-05T10:00:00.000000Z","cl_ord_id":"c-1","symbol":"POL/USD","side":"sell",' +
        '"order_type":"trailing-stop-limit","order_qty":100.00000000,"time_in_force":"GTD","limit_price":-0.0010,' +
        '"limit_price_type":"quote","expire_time":"2026-01-05T11:00:00.000000Z","triggers":{"reference":"index",' +
        '"price":1.5,"price_type":"pct","actual_price":0.5575,"peak_price":0.5660,"status":"untriggered"},' +
        '"contingent":{"order_type":"stop-loss","trigger_price":0.5000,"trigger_price_type":"static"},' +
        '"fee_ccy_pref":"fcib","cum_qty":0.00000000,"cum_cost":0.00000}',
    );
  });

  it('status reports the trigger; canceled the reason and cumulative state; new is sparse', () => {
    const triggered = {
      ...order,
      status: 'open' as const,
      trigger: { ...order.trigger!, triggered: true, triggeredAt: at, lastPrice: d('0.5575') },
    };
    expect(report({ execType: 'status', order: triggered })).toContain(
      '"triggers":{"reference":"index","price":1.5,"price_type":"pct","actual_price":0.5575,"peak_price":0.5660,"last_price":0.5575,"status":"triggered","timestamp":"2026-01-05T10:00:00.000000Z"}',
    );
    expect(
      report({ execType: 'canceled', order: { ...order, status: 'canceled' }, reason: 'User requested' }),
    ).toBe(
      '{"order_id":"OAAAAA-BBBBB-CCCCCC","exec_type":"canceled","order_status":"canceled","timestamp":"2026-01-05T10:00:00.000000Z",' +
        '"cl_ord_id":"c-1","cum_qty":0.00000000,"cum_cost":0.00000,"avg_price":0.0000,"fee_usd_equiv":0.00000,"reason":"User requested"}',
    );
    expect(report({ execType: 'new', order: { ...order, status: 'open' } })).toBe(
      '{"order_id":"OAAAAA-BBBBB-CCCCCC","exec_type":"new","order_status":"new","timestamp":"2026-01-05T10:00:00.000000Z","cl_ord_id":"c-1"}',
    );
  });
});
