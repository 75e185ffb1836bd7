import { afterEach, describe, expect, it } from 'vitest';
import type { OrderRequest } from '../sim-types.js';
import {
  balanceOf,
  createEngineHarness,
  d,
  type EngineHarness,
  execTypesOf,
  limit,
  marketOrder,
  placed,
} from './__fixtures__/engine-harness.js';

let h: EngineHarness;
afterEach(() => {
  expect(h.errors).toEqual([]);
  h.stop();
});

/** A trade printed on the tape (as if the background market traded there). */
function printTrade(price: string): void {
  h.context.events.emit('public-trades', {
    symbol: 'BTC/USD',
    trades: [
      {
        symbol: 'BTC/USD',
        side: 'sell',
        price: d(price),
        qty: d('0.01'),
        orderType: 'market',
        tradeId: 1,
        time: h.context.clock.now(),
      },
    ],
  });
  h.clock.advance(0); // triggered orders run after the matching that moved the price
}

function stop(
  side: 'buy' | 'sell',
  type: OrderRequest['orderType'],
  price: string,
  extra: Partial<OrderRequest> = {},
): OrderRequest {
  return marketOrder(side, '0.1', {
    orderType: type,
    trigger: { reference: 'last', price: d(price), type: 'static' },
    ...extra,
  });
}

describe('triggered orders (reference: last trade price)', () => {
  it('stop-loss sell triggers at or below its price, then executes at market', () => {
    h = createEngineHarness();
    const id = placed(h.engine.addOrder('alice', stop('sell', 'stop-loss', '63500.0'), 'ws'));
    expect(execTypesOf(h, id)).toEqual(['pending_new', 'new']);
    expect(balanceOf(h, 'alice', 'BTC').hold).toBe('0.1');
    printTrade('63600.0');
    expect(execTypesOf(h, id)).toEqual(['pending_new', 'new']);
    printTrade('63500.0');
    expect(execTypesOf(h, id)).toEqual(['pending_new', 'new', 'status', 'trade', 'filled']);
    const order = h.engine.queryOrders('alice', [id])[0]!;
    expect(order.trigger).toMatchObject({ triggered: true });
    expect(order.trigger?.lastPrice?.toFixed()).toBe('63500');
  });

  it('take-profit buy triggers when the price falls to it; the hold is taken at the trigger price', () => {
    h = createEngineHarness();
    const id = placed(h.engine.addOrder('alice', stop('buy', 'take-profit', '63000.0'), 'ws'));
    expect(balanceOf(h, 'alice', 'USD').hold).toBe('6325.2'); // 6300 + 0.4 %
    printTrade('63000.1');
    expect(execTypesOf(h, id)).toEqual(['pending_new', 'new']);
    printTrade('62999.0');
    expect(execTypesOf(h, id).slice(0, 4)).toEqual(['pending_new', 'new', 'status', 'trade']);
    expect(execTypesOf(h, id).at(-1)).toBe('filled');
  });

  it('triggers at once when the last price is already past the trigger', () => {
    h = createEngineHarness();
    const id = placed(h.engine.addOrder('alice', stop('sell', 'stop-loss', '64500.0'), 'ws'));
    expect(execTypesOf(h, id)).toEqual(['pending_new', 'new', 'status', 'trade', 'filled']);
  });

  it('trailing stop follows the peak (status on each move) and triggers on the reversal', () => {
    h = createEngineHarness();
    const id = placed(
      h.engine.addOrder(
        'alice',
        marketOrder('sell', '0.1', {
          orderType: 'trailing-stop',
          trigger: { reference: 'last', price: d('500'), type: 'quote' },
        }),
        'ws',
      ),
    );
    expect(h.engine.queryOrders('alice', [id])[0]?.trigger?.actualPrice?.toFixed()).toBe('63500');
    printTrade('64200.0');
    expect(h.engine.queryOrders('alice', [id])[0]?.trigger?.actualPrice?.toFixed()).toBe('63700');
    printTrade('64100.0'); // below the peak: the trigger stays
    expect(execTypesOf(h, id)).toEqual(['pending_new', 'new', 'status']);
    printTrade('63700.0');
    expect(execTypesOf(h, id).slice(0, 5)).toEqual(['pending_new', 'new', 'status', 'status', 'trade']);
  });

  it('stop-loss-limit becomes a limit order; trailing-stop-limit places its limit at trigger + offset', () => {
    h = createEngineHarness();
    const stopLimit = placed(
      h.engine.addOrder(
        'alice',
        limit('sell', '0.1', '70000.0', {
          orderType: 'stop-loss-limit',
          trigger: { reference: 'last', price: d('63500.0'), type: 'static' },
        }),
        'ws',
      ),
    );
    const trailing = placed(
      h.engine.addOrder(
        'alice',
        limit('sell', '0.1', '0', {
          orderType: 'trailing-stop-limit',
          limitPrice: { value: d('-100'), type: 'quote' },
          trigger: { reference: 'last', price: d('1'), type: 'pct' },
        }),
        'ws',
      ),
    );
    printTrade('63360.0'); // both trigger: 63500 and 64000 × 0.99 = 63360
    expect(execTypesOf(h, stopLimit)).toEqual(['pending_new', 'new', 'status']);
    expect(
      h.market
        .book('BTC/USD')
        .levels('asks', 5000)
        .some((level) => level.price.eq(d('70000'))),
    ).toBe(true);
    expect(execTypesOf(h, trailing).slice(0, 4)).toEqual(['pending_new', 'new', 'status', 'trade']);
  });

  it('a trigger crossed by a user trade runs after that trade, inside the same command', () => {
    h = createEngineHarness();
    const stopId = placed(h.engine.addOrder('alice', stop('sell', 'stop-loss', '63999.9'), 'ws'));
    h.executions.length = 0;
    const seller = placed(h.engine.addOrder('bob', marketOrder('sell', '2'), 'ws'));
    const events = h.executions.map((event) => `${event.order.id}:${event.execType}`);
    // Triggered the moment the price got there (during bob's matching), executed after it.
    expect(events.indexOf(`${stopId}:status`)).toBeLessThan(events.lastIndexOf(`${seller}:trade`));
    expect(events.indexOf(`${stopId}:trade`)).toBeGreaterThan(events.indexOf(`${seller}:filled`));
    expect(execTypesOf(h, stopId).at(-1)).toBe('filled');
  });
});
