import { describe, expect, it } from 'vitest';
import { Decimal } from '../sim-decimal.js';
import { defaultAssets, defaultPairs } from '../sim-pairs.js';
import type { OrderRequest, Via } from '../sim-types.js';
import { clean, type RequestOverrides } from './__fixtures__/engine-harness.js';
import { isValidClOrdId, isValidUserref } from './engine-cl-ord-id.js';
import { isForward, type WsOrderStatus } from './engine-order.js';
import { validateOrderRequest } from './engine-validation.js';

const d = (text: string) => new Decimal(text);
const pair = defaultPairs.find((candidate) => candidate.symbol === 'BTC/USD')!;
const asset = (id: string) => defaultAssets.find((candidate) => candidate.id === id)!;
const now = Date.UTC(2026, 0, 1);

function check(change: RequestOverrides, via: Via = 'ws') {
  const request: OrderRequest = clean({
    symbol: 'BTC/USD',
    side: 'buy',
    orderType: 'limit',
    qty: d('0.01'),
    limitPrice: { value: d('60000.0'), type: 'static' },
    timeInForce: 'gtc',
    postOnly: false,
    reduceOnly: false,
    margin: false,
    stpType: 'cancel_newest',
    validate: false,
    ...change,
  });
  const result = validateOrderRequest(request, {
    pair,
    base: asset('BTC'),
    quote: asset('USD'),
    now,
    reference: d('64000.0'),
    via,
  });
  return result.ok ? 'ok' : result.error;
}

describe('order validation (Kraken strings)', () => {
  it('accepts a plain limit order and resolves relative prices against the last price', () => {
    expect(check({})).toBe('ok');
    const relative = validateOrderRequest(
      {
        symbol: 'BTC/USD',
        side: 'sell',
        orderType: 'stop-loss',
        qty: d('0.01'),
        trigger: { reference: 'last', price: d('-2'), type: 'pct' },
        timeInForce: 'gtc',
        postOnly: false,
        reduceOnly: false,
        margin: false,
        stpType: 'cancel_newest',
        validate: false,
      },
      { pair, base: asset('BTC'), quote: asset('USD'), now, reference: d('64000.0'), via: 'ws' },
    );
    expect(relative.ok && relative.value.trigger?.actualPrice?.toFixed(1)).toBe('62720.0');
  });

  it.each([
    ['quantity below qtyMin', { qty: d('0.00001') }, 'EOrder:Order minimum not met'],
    [
      'cost below costMin',
      { qty: d('0.0001'), limitPrice: { value: d('1.0'), type: 'static' as const } },
      'EOrder:Cost minimum not met',
    ],
    [
      'too many price decimals',
      { limitPrice: { value: d('60000.05'), type: 'static' as const } },
      'EGeneral:Invalid arguments:limit_price',
    ],
    ['too many quantity decimals', { qty: d('0.000000001') }, 'EGeneral:Invalid arguments:order_qty'],
    [
      'non-positive price',
      { limitPrice: { value: d('0'), type: 'static' as const } },
      'EOrder:Invalid price',
    ],
    ['missing limit price', { limitPrice: undefined }, 'EGeneral:Invalid arguments:limit_price'],
    ['margin', { margin: true }, 'EOrder:Cannot open position'],
    ['reduce-only', { reduceOnly: true }, 'EOrder:Reduce only:No position exists'],
    ['settle-position', { orderType: 'settle-position' as const }, 'EOrder:Unknown position'],
    ['cl_ord_id with userref', { clOrdId: 'abc', userref: 1 }, 'EGeneral:Invalid arguments:cl_ord_id'],
    ['cl_ord_id too long', { clOrdId: 'x'.repeat(19) }, 'EGeneral:Invalid arguments:cl_ord_id'],
    ['userref beyond int32', { userref: 2 ** 31 }, 'EGeneral:Invalid arguments:order_userref'],
    [
      'fok on a market order',
      { orderType: 'market' as const, limitPrice: undefined, timeInForce: 'fok' as const },
      'EGeneral:Invalid arguments:time_in_force',
    ],
    ['gtd without expiry', { timeInForce: 'gtd' as const }, 'EGeneral:Invalid arguments:expire_time'],
    [
      'gtd in the past',
      { timeInForce: 'gtd' as const, expireTime: now - 1 },
      'EGeneral:Invalid arguments:expire_time',
    ],
    [
      'post-only IOC',
      { timeInForce: 'ioc' as const, postOnly: true },
      'EGeneral:Invalid arguments:post_only',
    ],
    [
      'post-only market',
      { orderType: 'market' as const, limitPrice: undefined, postOnly: true },
      'EGeneral:Invalid arguments:post_only',
    ],
    ['iceberg without display', { orderType: 'iceberg' as const }, 'EGeneral:Invalid arguments:display_qty'],
    [
      'iceberg display under 1/15',
      { orderType: 'iceberg' as const, qty: d('1.5'), displayQty: d('0.09') },
      'EGeneral:Invalid arguments:display_qty',
    ],
    [
      'cash quantity on a limit order',
      { cashQty: d('100'), qty: undefined },
      'EGeneral:Invalid arguments:cash_order_qty',
    ],
    [
      'stop without trigger',
      { orderType: 'stop-loss' as const, limitPrice: undefined },
      'EGeneral:Invalid arguments:triggers',
    ],
    [
      'trailing stop with a static distance',
      {
        orderType: 'trailing-stop' as const,
        limitPrice: undefined,
        trigger: { reference: 'last' as const, price: d('100'), type: 'static' as const },
      },
      'EGeneral:Invalid arguments:triggers',
    ],
  ])('%s', (_name, change, error) => {
    expect(check(change)).toBe(error);
  });

  it('names fields the way the client API does', () => {
    expect(check({ qty: d('0.000000001') }, 'rest')).toBe('EGeneral:Invalid arguments:volume');
    expect(check({ limitPrice: { value: d('60000.05'), type: 'static' } }, 'rest')).toBe(
      'EGeneral:Invalid arguments:price',
    );
  });

  it('refuses an off-tick price when decimals are fine', () => {
    const coarse = { ...pair, priceIncrement: '0.5' };
    const result = validateOrderRequest(
      {
        symbol: 'BTC/USD',
        side: 'buy',
        orderType: 'limit',
        qty: d('0.01'),
        limitPrice: { value: d('60000.3'), type: 'static' },
        timeInForce: 'gtc',
        postOnly: false,
        reduceOnly: false,
        margin: false,
        stpType: 'cancel_newest',
        validate: false,
      },
      { pair: coarse, base: asset('BTC'), quote: asset('USD'), now, reference: undefined, via: 'ws' },
    );
    expect(result).toEqual({ ok: false, error: 'EOrder:Tick size check failed' });
  });
});

describe('cl_ord_id and userref formats', () => {
  it('accepts long UUIDs, short UUIDs and free text up to 18 printable characters', () => {
    expect(isValidClOrdId('6d1b345e-2821-40e2-ad83-4ecb18a06876')).toBe(true);
    expect(isValidClOrdId('6d1b345e282140e2ad834ecb18a06876')).toBe(true);
    expect(isValidClOrdId('mm-20260105-0001')).toBe(true);
    expect(isValidClOrdId('a'.repeat(18))).toBe(true);
    expect(isValidClOrdId('a'.repeat(19))).toBe(false);
    expect(isValidClOrdId('')).toBe(false);
    expect(isValidClOrdId('tab\there')).toBe(false);
    expect(isValidClOrdId('é')).toBe(false);
    expect(isValidUserref(-2147483648)).toBe(true);
    expect(isValidUserref(2147483648)).toBe(false);
    expect(isValidUserref(1.5)).toBe(false);
  });
});

describe('order state machine', () => {
  it('only moves forward and never leaves a terminal state', () => {
    const all: WsOrderStatus[] = ['pending_new', 'new', 'partially_filled', 'filled', 'canceled', 'expired'];
    expect(isForward('pending_new', 'new')).toBe(true);
    expect(isForward('new', 'partially_filled')).toBe(true);
    expect(isForward('partially_filled', 'canceled')).toBe(true);
    expect(isForward('partially_filled', 'new')).toBe(false);
    for (const terminal of ['filled', 'canceled', 'expired'] as const) {
      for (const to of all) expect(isForward(terminal, to)).toBe(to === terminal);
    }
  });
});
