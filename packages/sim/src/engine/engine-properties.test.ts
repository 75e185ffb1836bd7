import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyParams } from '../../test/support/property-params.js';
import { type Big, zero } from '../sim-decimal.js';
import type { OrderRequest, OrderType } from '../sim-types.js';
import {
  clean,
  createEngineHarness,
  d,
  type EngineHarness,
  harnessAccounts,
  limit,
} from './__fixtures__/engine-harness.js';
import { isForward, isOpenStatus, type WsOrderStatus, wsOrderStatus } from './engine-order.js';

const accounts = ['alice', 'bob', 'starter'] as const;
// Tight balances: orders often need nearly everything, so a hold one unit short shows up.
const tightAccounts = harnessAccounts.map((account) => ({
  ...account,
  balances: { USD: '1500', BTC: '0.03' },
}));
const assets = ['USD', 'BTC'] as const;

type Command =
  | { kind: 'add'; account: number; request: OrderRequest }
  | { kind: 'amend'; pick: number; qty: string | undefined; price: string | undefined }
  | { kind: 'edit'; pick: number; qty: string }
  | { kind: 'cancel'; pick: number }
  | { kind: 'cancel-all'; account: number }
  | { kind: 'dead-man'; account: number; seconds: number }
  | { kind: 'wait'; ms: number }
  /** A limit order for everything the account has available (exercises holds at the edge). */
  | { kind: 'all-in'; account: number; side: 'buy' | 'sell'; price: string; fee: 'base' | 'quote' };

// Prices around the seeded spread (63999.9 / 64000.1), in-spread 64000.0 included.
const price = fc
  .integer({ min: -30, max: 30 })
  .map((ticks) => (640000 + ticks) / 10)
  .map((value) => value.toFixed(1));
const qty = fc.integer({ min: 1, max: 400 }).map((units) => (units / 10_000).toFixed(4));
const side = fc.constantFrom('buy', 'sell' as const);

const orderRequest: fc.Arbitrary<OrderRequest> = fc
  .record({
    side,
    qty,
    price,
    trigger: price,
    type: fc.constantFrom<OrderType>(
      'limit',
      'limit',
      'limit',
      'market',
      'iceberg',
      'stop-loss',
      'take-profit-limit',
      'trailing-stop',
    ),
    tif: fc.constantFrom('gtc', 'gtc', 'ioc', 'fok', 'gtd' as const),
    postOnly: fc.boolean(),
    fee: fc.constantFrom('quote', 'base' as const),
    stp: fc.constantFrom('cancel_newest', 'cancel_oldest', 'cancel_both' as const),
    cash: fc.boolean(),
  })
  .map((spec): OrderRequest => {
    const base = limit(spec.side, spec.qty, spec.price, { feePreference: spec.fee, stpType: spec.stp });
    const trigger = { reference: 'last' as const, price: d(spec.trigger), type: 'static' as const };
    switch (spec.type) {
      case 'market':
        return spec.cash && spec.side === 'buy'
          ? clean({ ...base, orderType: 'market', limitPrice: undefined, qty: undefined, cashQty: d('250') })
          : clean({ ...base, orderType: 'market', limitPrice: undefined });
      case 'iceberg':
        return clean({
          ...base,
          orderType: 'iceberg',
          displayQty: d(spec.qty).div('4').round(8, 0).plus('0.0001'),
          postOnly: spec.postOnly,
        });
      case 'stop-loss':
        return clean({ ...base, orderType: 'stop-loss', limitPrice: undefined, trigger });
      case 'take-profit-limit':
        return clean({ ...base, orderType: 'take-profit-limit', trigger });
      case 'trailing-stop':
        return clean({
          ...base,
          orderType: 'trailing-stop',
          limitPrice: undefined,
          trigger: { reference: 'last', price: d('0.5'), type: 'quote' },
        });
      default:
        return clean({
          ...base,
          timeInForce: spec.tif,
          postOnly: spec.postOnly && spec.tif !== 'ioc' && spec.tif !== 'fok',
          expireTime: spec.tif === 'gtd' ? Date.UTC(2026, 0, 1) + 20_000 : undefined,
        });
    }
  });

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant('add' as const), account: fc.nat(2), request: orderRequest }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('amend' as const),
      pick: fc.nat(),
      qty: fc.option(qty, { nil: undefined }),
      price: fc.option(price, { nil: undefined }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('edit' as const), pick: fc.nat(), qty }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel-all' as const), account: fc.nat(2) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('dead-man' as const),
      account: fc.nat(2),
      seconds: fc.integer({ min: 0, max: 30 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 15_000 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('all-in' as const),
      account: fc.nat(2),
      side,
      price,
      fee: fc.constantFrom('quote', 'base' as const),
    }),
  },
);

function run(h: EngineHarness, step: Command): void {
  const open =
    h.state.orders.size === 0
      ? []
      : [...h.state.orders.values()].filter((order) => isOpenStatus(order.view.status));
  const target = open.length > 0 && 'pick' in step ? open[step.pick % open.length] : undefined;
  switch (step.kind) {
    case 'add':
      h.engine.addOrder(accounts[step.account]!, step.request, 'ws');
      return;
    case 'amend':
      if (target)
        h.engine.amendOrder(
          target.view.accountId,
          {
            orderId: target.view.id,
            ...(step.qty ? { qty: d(step.qty) } : {}),
            ...(step.price ? { limitPrice: { value: d(step.price), type: 'static' as const } } : {}),
          },
          'rest',
        );
      return;
    case 'edit':
      if (target)
        h.engine.editOrder(
          target.view.accountId,
          { orderId: target.view.id, symbol: 'BTC/USD', qty: d(step.qty), validate: false },
          'ws',
        );
      return;
    case 'cancel':
      if (target) h.engine.cancelOrders(target.view.accountId, { orderIds: [target.view.id] }, 'ws');
      return;
    case 'cancel-all':
      h.engine.cancelAll(accounts[step.account]!, 'ws');
      return;
    case 'dead-man':
      h.engine.cancelAllOrdersAfter(accounts[step.account]!, step.seconds);
      return;
    case 'wait':
      h.clock.advance(step.ms);
      return;
    case 'all-in': {
      // The largest order the account might afford: first without any fee margin (a correct
      // engine refuses it when the fee needs a hold), then with the taker fee.
      const account = h.state.accounts.get(accounts[step.account]!)!;
      for (const factor of ['1', '1.004']) {
        const qty =
          step.side === 'buy'
            ? account.available('USD').div(d(step.price).times(step.fee === 'quote' ? d(factor) : d('1')))
            : account.available('BTC').div(step.fee === 'base' ? d(factor) : d('1'));
        const rounded = qty.round(8, 0);
        if (rounded.lt(d('0.0001'))) return;
        const result = h.engine.addOrder(
          account.id,
          limit(step.side, rounded.toFixed(), step.price, { feePreference: step.fee }),
          'ws',
        );
        if (result.ok || result.error !== 'EOrder:Insufficient funds') return;
      }
      return;
    }
  }
}

function total(h: EngineHarness, asset: string): Big {
  let sum = zero;
  for (const account of h.state.accounts.values()) sum = sum.plus(account.balance(asset));
  const house = h.state.house;
  for (const tally of [house.fees, house.rounding, house.background])
    sum = sum.plus(tally.get(asset) ?? zero);
  return sum;
}

describe('engine invariants over random command sequences (real market, virtual clock)', () => {
  it('no negative balance, holds = reservations, assets conserved, cum ≤ qty, states only move forward', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 20, maxLength: 60, size: 'max' }), (steps) => {
        const h = createEngineHarness({ limits: { tradingCounter: false }, accounts: tightAccounts });
        try {
          const initial = new Map(assets.map((asset) => [asset, total(h, asset)]));
          const lastStatus = new Map<string, WsOrderStatus>();
          h.context.events.on('execution', (event) => {
            const status = wsOrderStatus(event.order);
            const previous = lastStatus.get(event.order.id);
            if (previous)
              expect(isForward(previous, status), `${event.order.id}: ${previous} → ${status}`).toBe(true);
            lastStatus.set(event.order.id, status);
          });
          for (const step of steps) {
            run(h, step);
            for (const account of h.state.accounts.values()) {
              const holds = new Map<string, Big>();
              for (const order of account.open.values()) {
                expect(order.hold.eq(h.state.reservationOf(order).amount), `hold of ${order.view.id}`).toBe(
                  true,
                );
                holds.set(order.holdAsset, (holds.get(order.holdAsset) ?? zero).plus(order.hold));
              }
              for (const [asset, balance] of account.balances) {
                expect(balance.gte(zero), `${account.id} ${asset} balance`).toBe(true);
                expect(account.held(asset).eq(holds.get(asset) ?? zero), `${account.id} ${asset} holds`).toBe(
                  true,
                );
                expect(account.available(asset).gte(zero), `${account.id} ${asset} available`).toBe(true);
              }
            }
            for (const asset of assets)
              expect(total(h, asset).toFixed(), `${asset} conserved`).toBe(initial.get(asset)!.toFixed());
            for (const order of h.state.orders.values()) {
              expect(order.view.filledQty.lte(order.view.qty), `cum ≤ qty ${order.view.id}`).toBe(true);
              expect(order.resting ? isOpenStatus(order.view.status) : true).toBe(true);
            }
          }
          expect(h.errors).toEqual([]);
        } finally {
          h.stop();
        }
      }),
      // The seed that found the partial-fill hold bug (see engine-orders.test.ts).
      propertyParams({ seed: 1250505131, numRuns: 30 }),
    );
  });
});
