import { createVirtualClock } from '@krakenkit/host/testing';
import { describe, expect, it } from 'vitest';
import { SimClock } from '../sim-clock.js';
import { Decimal, zero } from '../sim-decimal.js';
import { defaultAssets, defaultPairs, SimPairCatalog } from '../sim-pairs.js';
import type { LedgerEntry, SimFill, SimOrder } from '../sim-types.js';
import { describeClose, describeOrder } from './rest-describe.js';
import { formatRestLedger, formatRestTrade, positionIdOf } from './rest-history-format.js';
import { formatRestOrder } from './rest-order-format.js';

const catalog = new SimPairCatalog(defaultPairs, defaultAssets);
const format = { catalog, clock: new SimClock(createVirtualClock()) };
const btc = catalog.bySymbol('BTC/USD')!;
const usd = catalog.asset('USD');
const d = (text: string) => new Decimal(text);
const openedAt = Date.UTC(2026, 0, 5, 10, 0, 0, 123);

function order(overrides: Partial<SimOrder> = {}): SimOrder {
  return {
    id: 'OABCDE-FGHIJ-KLMNOP',
    accountId: 'alice',
    symbol: 'BTC/USD',
    side: 'buy',
    orderType: 'limit',
    qty: d('1.25'),
    filledQty: zero,
    filledCost: zero,
    fees: zero,
    feeAsset: 'USD',
    avgPrice: zero,
    limitPrice: { value: d('37500'), type: 'static' },
    timeInForce: 'gtc',
    postOnly: false,
    reduceOnly: false,
    margin: false,
    stpType: 'cancel_newest',
    feePreference: 'quote',
    status: 'open',
    amended: false,
    openedAt,
    ageFrom: openedAt,
    tradeIds: [],
    via: 'rest',
    ...overrides,
  };
}

describe('descr.order', () => {
  it("matches Kraken's texts", () => {
    expect(describeOrder(btc, usd, order())).toBe('buy 1.25000000 XBTUSD @ limit 37500.0');
    const market = order({ orderType: 'market' });
    delete market.limitPrice;
    expect(describeOrder(btc, usd, market)).toBe('buy 1.25000000 XBTUSD @ market');
    expect(
      describeOrder(
        btc,
        usd,
        order({
          side: 'sell',
          orderType: 'stop-loss-limit',
          trigger: { reference: 'last', price: d('30000'), type: 'static', triggered: false },
          limitPrice: { value: d('29900'), type: 'static' },
        }),
      ),
    ).toBe('sell 1.25000000 XBTUSD @ stop loss 30000.0 -> limit 29900.0');
    expect(
      describeOrder(btc, usd, {
        side: 'sell',
        orderType: 'trailing-stop-limit',
        qty: d('1'),
        trigger: { price: d('2'), type: 'pct' },
        limitPrice: { value: d('-10'), type: 'quote' },
      }),
    ).toBe('sell 1.00000000 XBTUSD @ trailing stop +2% -> limit -10.0');
    expect(describeOrder(btc, usd, { side: 'buy', orderType: 'market', cashQty: d('100') })).toBe(
      'buy 100.00000 USD of XBTUSD @ market',
    );
    expect(
      describeClose(btc, {
        orderType: 'stop-loss-limit',
        triggerPrice: { value: d('38000'), type: 'static' },
        limitPrice: { value: d('36000'), type: 'static' },
      }),
    ).toBe('close position @ stop loss 38000.0 -> limit 36000.0');
  });
});

describe('formatRestOrder', () => {
  it('writes an open order in Kraken shape', () => {
    expect(formatRestOrder(format, order({ userref: 7 }), { trades: true })).toEqual({
      refid: null,
      userref: 7,
      cl_ord_id: null,
      status: 'open',
      opentm: 1767607200.123,
      starttm: 0,
      expiretm: 0,
      descr: {
        pair: 'XBTUSD',
        aclass: 'forex',
        type: 'buy',
        ordertype: 'limit',
        price: '37500.0',
        price2: '0',
        leverage: 'none',
        order: 'buy 1.25000000 XBTUSD @ limit 37500.0',
        close: '',
      },
      vol: '1.25000000',
      vol_exec: '0.00000000',
      cost: '0.00000',
      fee: '0.00000',
      price: '0.0',
      stopprice: '0.0',
      limitprice: '0.0',
      misc: '',
      oflags: 'fciq',
      margin: false,
    });
  });

  it('writes a partly filled, cancelled order with its reason, close time and trades', () => {
    const formatted = formatRestOrder(
      format,
      order({
        status: 'canceled',
        reason: 'User requested',
        closedAt: openedAt + 5_000,
        filledQty: d('0.5'),
        filledCost: d('18750'),
        fees: d('48.75'),
        avgPrice: d('37500'),
        amended: true,
        postOnly: true,
        clOrdId: 'mm-1',
        tradeIds: ['TAAAAA-BBBBB-CCCCCC'],
      }),
      { trades: true },
    );
    expect(formatted).toMatchObject({
      status: 'canceled',
      reason: 'User requested',
      closetm: 1767607205.123,
      cl_ord_id: 'mm-1',
      vol_exec: '0.50000000',
      cost: '18750.00000',
      fee: '48.75000',
      price: '37500.0',
      misc: 'partial,amended',
      oflags: 'post,fciq',
      trades: ['TAAAAA-BBBBB-CCCCCC'],
    });
    expect(formatRestOrder(format, order({ tradeIds: ['T1'] }), { trades: false })).not.toHaveProperty(
      'trades',
    );
  });

  it('writes trigger orders with their trigger reference, stop price and touched/stopped flags', () => {
    const formatted = formatRestOrder(
      format,
      order({
        side: 'sell',
        orderType: 'stop-loss-limit',
        trigger: { reference: 'index', price: d('30000'), type: 'static', triggered: true },
        limitPrice: { value: d('29900'), type: 'static' },
        feePreference: 'base',
      }),
      { trades: false },
    );
    expect(formatted).toMatchObject({
      descr: { price: '30000.0', price2: '29900.0' },
      stopprice: '30000.0',
      limitprice: '29900.0',
      trigger: 'index',
      misc: 'stopped',
      oflags: 'fcib',
    });
  });
});

describe('trade and ledger rows', () => {
  const fill: SimFill = {
    id: 'TCCCTY-WE2O6-P3NB37',
    publicTradeId: 40274859,
    orderId: 'OQCLML-BW3P3-BUCMWZ',
    accountId: 'alice',
    symbol: 'BTC/USD',
    side: 'buy',
    orderType: 'stop-loss',
    price: d('30010'),
    qty: d('0.02'),
    cost: d('600.2'),
    fee: d('0.00004'),
    feeAsset: 'BTC',
    liquidity: 'm',
    time: openedAt,
    ledgerIds: ['L1', 'L2'],
  };

  it('writes a trade in TradesHistory shape', () => {
    expect(formatRestTrade(format, fill, { ledgers: true })).toEqual({
      ordertxid: 'OQCLML-BW3P3-BUCMWZ',
      postxid: positionIdOf('TCCCTY-WE2O6-P3NB37'),
      pair: 'XXBTZUSD',
      aclass: 'forex',
      time: 1767607200.123,
      type: 'buy',
      ordertype: 'stop-loss',
      tradeordertype: 'market',
      price: '30010.0',
      cost: '600.20000',
      fee: '1.20040',
      vol: '0.02000000',
      margin: '0.00000',
      leverage: '0',
      misc: '',
      trade_id: 40274859,
      maker: true,
      ledgers: ['L1', 'L2'],
    });
    expect(positionIdOf(fill.id)).toMatch(/^T[A-Z2-7]{5}-[A-Z2-7]{5}-[A-Z2-7]{6}$/);
  });

  it('writes a ledger entry with REST asset ids and asset decimals', () => {
    const entry: LedgerEntry = {
      id: 'L4UESK-KG3EQ-UFO4T5',
      refId: fill.id,
      accountId: 'alice',
      time: openedAt,
      type: 'trade',
      category: 'trade',
      asset: 'USD',
      amount: d('-600.2'),
      fee: d('0'),
      balance: d('99399.8'),
    };
    expect(formatRestLedger(format, entry)).toEqual({
      refid: fill.id,
      time: 1767607200.123,
      type: 'trade',
      subtype: '',
      aclass: 'currency',
      asset: 'ZUSD',
      amount: '-600.2000',
      fee: '0.0000',
      balance: '99399.8000',
    });
  });
});
