import { createVirtualClock } from '@krakenkit/host/testing';
import { describe, expect, it } from 'vitest';
import { SimClock } from '../sim-clock.js';
import { RestCallCounter, restCallCost } from './rest-counter.js';

function counter(tier: 'starter' | 'intermediate' | 'pro') {
  const virtual = createVirtualClock();
  return { virtual, counter: new RestCallCounter(new SimClock(virtual), tier) };
}

describe('restCallCost', () => {
  it('charges 1 per call, 4 for history queries, nothing for trading calls', () => {
    for (const method of ['Balance', 'BalanceEx', 'TradeBalance', 'OpenOrders', 'GetWebSocketsToken']) {
      expect(restCallCost(method)).toBe(1);
    }
    for (const method of ['TradesHistory', 'QueryTrades', 'Ledgers', 'QueryLedgers']) {
      expect(restCallCost(method)).toBe(4);
    }
    for (const method of [
      'AddOrder',
      'AddOrderBatch',
      'AmendOrder',
      'EditOrder',
      'CancelOrder',
      'CancelAll',
      'CancelAllOrdersAfter',
      'CancelOrderBatch',
    ]) {
      expect(restCallCost(method)).toBe(0);
    }
  });
});

describe('RestCallCounter', () => {
  it.each([
    ['starter', 15, 3031],
    ['intermediate', 20, 2000],
    ['pro', 20, 1000],
  ] as const)('%s: %i calls in a burst, then one more after ~1/decay seconds', (tier, max, recoverMs) => {
    const { virtual, counter: calls } = counter(tier);
    for (let i = 0; i < max; i++) expect(calls.charge(1)).toBe(true);
    expect(calls.charge(1)).toBe(false);
    virtual.advance(recoverMs - 1);
    expect(calls.charge(1)).toBe(false);
    // The refused call reset the counter to the maximum: the full wait starts again.
    virtual.advance(recoverMs - 1);
    expect(calls.charge(1)).toBe(false);
    virtual.advance(recoverMs);
    expect(calls.charge(1)).toBe(true);
  });

  it('decays continuously to zero and never below', () => {
    const { virtual, counter: calls } = counter('intermediate');
    calls.charge(4);
    calls.charge(4);
    expect(calls.value).toBe(8);
    virtual.advance(3_000);
    expect(calls.value).toBeCloseTo(6.5, 9);
    virtual.advance(60_000);
    expect(calls.value).toBe(0);
  });

  it('refuses a costly call that would overflow while a cheap one still fits', () => {
    const { counter: calls } = counter('pro');
    for (let i = 0; i < 17; i++) calls.charge(1);
    expect(calls.charge(4)).toBe(false);
    expect(calls.value).toBe(20);
  });
});
