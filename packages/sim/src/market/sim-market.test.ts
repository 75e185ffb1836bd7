import { describe, expect, it } from 'vitest';
import { createMarketTestContext } from '../../test/support/market-context.js';
import { Decimal } from '../sim-decimal.js';
import type { IcebergRefill, MakerFill, SimMarket } from '../sim-modules.js';
import type { PublicTrade } from '../sim-types.js';
import { marketFeedOf } from './market-feed.js';
import type { PairMarket } from './market-pair.js';
import { createSimMarket } from './sim-market.js';

const d = (text: string) => new Decimal(text);

/** A frozen market whose ETH/USD book is emptied, so tests place exactly the liquidity they need. */
function emptyMarket() {
  const harness = createMarketTestContext({ marketSpeed: 0 });
  const market = createSimMarket(harness.context);
  const pair = marketFeedOf(market).pair('ETH/USD') as PairMarket;
  for (const side of [pair.book.bids, pair.book.asks]) {
    for (const level of [...side.levels])
      for (const order of [...level.orders]) pair.book.cancel(order.id, 0);
  }
  pair.book.drainChanges();
  const events: string[] = [];
  const trades: PublicTrade[] = [];
  harness.context.events.on('public-trades', (event) => {
    events.push(`trades:${event.trades.map((trade) => trade.tradeId).join(',')}`);
    trades.push(...event.trades);
  });
  harness.context.events.on('book-change', ({ symbol }) => events.push(`book:${symbol}`));
  return { ...harness, market, pair, events, trades };
}

function restAsk(
  market: SimMarket,
  orderId: string,
  accountId: string,
  price: string,
  qty: string,
  displayQty?: string,
) {
  market.rest('ETH/USD', {
    orderId,
    accountId,
    side: 'sell',
    price: d(price),
    qty: d(qty),
    ...(displayQty ? { displayQty: d(displayQty) } : {}),
  });
}

describe('SimMarket seam', () => {
  it('executes a taker: maker fills to the engine before returning, public trades with sequential ids, events in order', () => {
    const { market, events, trades, clock, errors } = emptyMarket();
    const fills: MakerFill[] = [];
    market.onUserMakerFill((fill) => {
      fills.push(fill);
      events.push(`fill:${fill.makerOrderId}`);
    });
    restAsk(market, 'A1', 'alice', '100.00', '1');
    restAsk(market, 'A2', 'bob', '100.01', '2');
    events.length = 0;
    clock.advance(1_000);
    const result = market.executeTaker({
      symbol: 'ETH/USD',
      side: 'buy',
      qty: d('1.5'),
      limitPrice: d('100.01'),
      accountId: 'carol',
      orderType: 'limit',
    });
    expect(
      result.fills.map((fill) => [
        fill.makerOrderId,
        fill.price.toFixed(),
        fill.qty.toFixed(),
        fill.publicTradeId,
      ]),
    ).toEqual([
      ['A1', '100', '1', 1],
      ['A2', '100.01', '0.5', 2],
    ]);
    expect(result.filledQty.toFixed()).toBe('1.5');
    expect(result.filledCost.toFixed()).toBe('150.005');
    expect(fills.map((fill) => [fill.makerAccountId, fill.makerRemaining.toFixed(), fill.takerSide])).toEqual(
      [
        ['alice', '0', 'buy'],
        ['bob', '1.5', 'buy'],
      ],
    );
    expect(events).toEqual(['fill:A1', 'fill:A2', 'trades:1,2', 'book:ETH/USD']);
    expect(trades.map((trade) => [trade.side, trade.orderType, trade.time])).toEqual([
      ['buy', 'limit', clock.now()],
      ['buy', 'limit', clock.now()],
    ]);
    expect(market.lastPrice('ETH/USD')?.toFixed()).toBe('100.01');
    expect(market.recentTrades('ETH/USD', 10).map((trade) => trade.tradeId)).toEqual([1, 2]);
    expect(errors).toEqual([]);
  });

  it('does not match at all unless the system is online', () => {
    const { market, context } = emptyMarket();
    restAsk(market, 'A1', 'alice', '100.00', '1');
    for (const status of ['cancel_only', 'post_only', 'maintenance'] as const) {
      context.status.set(status);
      const result = market.executeTaker({
        symbol: 'ETH/USD',
        side: 'buy',
        qty: d('1'),
        orderType: 'market',
      });
      expect(result.fills, status).toEqual([]);
    }
    context.status.set('online');
    expect(
      market.executeTaker({ symbol: 'ETH/USD', side: 'buy', qty: d('1'), orderType: 'market' }).fills,
    ).toHaveLength(1);
  });

  it('applies self-trade prevention through the callback', () => {
    const { market } = emptyMarket();
    restAsk(market, 'A1', 'alice', '100.00', '1');
    restAsk(market, 'B1', 'bob', '100.00', '1');
    const newest = market.executeTaker({
      symbol: 'ETH/USD',
      side: 'buy',
      qty: d('2'),
      accountId: 'alice',
      orderType: 'market',
      onSelfTrade: () => 'cancel-newest',
    });
    expect(newest).toMatchObject({ fills: [], stoppedBySelfTrade: true, cancelledMakerOrderIds: [] });
    const oldest = market.executeTaker({
      symbol: 'ETH/USD',
      side: 'buy',
      qty: d('2'),
      accountId: 'alice',
      orderType: 'market',
      onSelfTrade: () => 'cancel-oldest',
    });
    expect(oldest.cancelledMakerOrderIds).toEqual(['A1']);
    expect(oldest.fills.map((fill) => fill.makerOrderId)).toEqual(['B1']);
    expect(oldest.stoppedBySelfTrade).toBe(false);
    expect(market.book('ETH/USD').bestAsk()).toBeUndefined();
  });

  it('reports iceberg refills after the fill that used up the visible part', () => {
    const { market, events } = emptyMarket();
    const refills: IcebergRefill[] = [];
    market.onUserMakerFill((fill) => events.push(`fill:${fill.qty.toFixed()}`));
    market.onIcebergRefill?.((refill) => {
      refills.push(refill);
      events.push(`refill:${refill.visibleQty.toFixed()}`);
    });
    restAsk(market, 'I1', 'alice', '100.00', '5', '2');
    expect(market.book('ETH/USD').levels('asks', 1)[0]?.qty.toFixed()).toBe('2');
    events.length = 0;
    market.executeTaker({ symbol: 'ETH/USD', side: 'buy', qty: d('3'), orderType: 'market' });
    expect(events.slice(0, 4)).toEqual(['fill:2', 'refill:2', 'fill:1', 'trades:1,2']);
    expect(refills[0]).toMatchObject({ orderId: 'I1', accountId: 'alice', remaining: d('3') });
    expect(market.book('ETH/USD').levels('asks', 1)[0]?.qty.toFixed()).toBe('1');
    expect(market.book('ETH/USD').availableQty('buy', undefined).toFixed()).toBe('2');
  });

  it('amends in place: a smaller quantity keeps priority, a larger one or a new price loses it', () => {
    const { market, pair } = emptyMarket();
    restAsk(market, 'A1', 'alice', '100.00', '2');
    restAsk(market, 'B1', 'bob', '100.00', '2');
    const queue = () => pair.book.asks.best()?.orders.map((order) => order.id);
    expect(market.amendResting('ETH/USD', 'A1', { qty: d('1') })).toBe(true);
    expect(queue()).toEqual(['A1', 'B1']);
    expect(market.amendResting('ETH/USD', 'A1', { qty: d('3') })).toBe(true);
    expect(queue()).toEqual(['B1', 'A1']);
    expect(market.amendResting('ETH/USD', 'B1', { price: d('100.05') })).toBe(true);
    expect(queue()).toEqual(['A1']);
    expect(
      market
        .book('ETH/USD')
        .levels('asks', 2)
        .map((level) => level.price.toFixed()),
    ).toEqual(['100', '100.05']);
    expect(market.amendResting('ETH/USD', 'nope', { qty: d('1') })).toBe(false);
    expect(market.removeResting('ETH/USD', 'A1')?.toFixed()).toBe('3');
    expect(market.removeResting('ETH/USD', 'A1')).toBeUndefined();
  });

  it('answers the engine’s book questions: wouldCross, availableQty excluding an account', () => {
    const { market } = emptyMarket();
    restAsk(market, 'A1', 'alice', '100.00', '1');
    restAsk(market, 'B1', 'bob', '100.02', '2', '1');
    const book = market.book('ETH/USD');
    expect(book.wouldCross('buy', d('100'))).toBe(true);
    expect(book.wouldCross('buy', d('99.99'))).toBe(false);
    expect(book.wouldCross('sell', d('100'))).toBe(false);
    expect(book.availableQty('buy', d('100.01')).toFixed()).toBe('1');
    expect(book.availableQty('buy', undefined).toFixed()).toBe('3');
    expect(book.availableQty('buy', undefined, 'alice').toFixed()).toBe('2');
  });

  it('sizes cash market buys in quote currency', () => {
    const { market } = emptyMarket();
    restAsk(market, 'A1', 'alice', '100.00', '1');
    restAsk(market, 'A2', 'alice', '200.00', '1');
    const result = market.executeTaker({
      symbol: 'ETH/USD',
      side: 'buy',
      cashQty: d('150'),
      orderType: 'market',
    });
    expect(result.filledQty.toFixed()).toBe('1.25');
    expect(result.filledCost.toFixed()).toBe('150');
  });

  it('keeps ticker stats and candles: 24 h window, today since 00:00 UTC, epoch-aligned OHLC', () => {
    const { market, clock } = emptyMarket();
    clock.advance(Date.UTC(2026, 0, 1, 23, 59) - clock.now());
    for (const [price, qty] of [
      ['100.00', '1'],
      ['102.00', '1'],
    ] as const) {
      restAsk(market, `A${price}`, 'alice', price, qty);
      market.executeTaker({ symbol: 'ETH/USD', side: 'buy', qty: d(qty), orderType: 'market' });
    }
    clock.advance(2 * 60_000); // past midnight
    restAsk(market, 'A3', 'alice', '101.00', '2');
    market.executeTaker({ symbol: 'ETH/USD', side: 'buy', qty: d('2'), orderType: 'market' });
    const stats = market.ticker('ETH/USD');
    expect(stats.volume.toFixed()).toBe('4');
    expect(stats.vwap?.toFixed()).toBe('101');
    expect([stats.low?.toFixed(), stats.high?.toFixed(), stats.open?.toFixed()]).toEqual([
      '100',
      '102',
      '100',
    ]);
    expect(stats.change.toFixed()).toBe('1');
    expect(stats.changePct.toFixed()).toBe('1');
    expect(stats.tradeCount).toBe(3);
    expect(stats.today).toMatchObject({ tradeCount: 1, volume: d('2'), low: d('101') });
    const minutes = market.candles('ETH/USD', 1);
    expect(minutes.map((candle) => [new Date(candle.intervalBegin).toISOString(), candle.trades])).toEqual([
      ['2026-01-01T23:59:00.000Z', 2],
      ['2026-01-02T00:00:00.000Z', 0],
      ['2026-01-02T00:01:00.000Z', 1],
    ]);
    expect(minutes[1]).toMatchObject({ open: d('102'), close: d('102'), volume: d('0') });
    const daily = market.candles('ETH/USD', 1440);
    expect(daily.map((candle) => candle.intervalBegin)).toEqual([Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 2)]);
    expect(market.candles('ETH/USD', 1, Date.UTC(2026, 0, 2))).toHaveLength(1);
    // A day later the window is empty; last stays.
    clock.advance(86_400_000);
    const later = market.ticker('ETH/USD');
    expect([later.volume.toFixed(), later.tradeCount, later.last?.toFixed(), later.open?.toFixed()]).toEqual([
      '0',
      0,
      '101',
      '101',
    ]);
  });

  it('pages trades with a nanosecond cursor that never skips trades in the same millisecond', () => {
    const { market } = emptyMarket();
    for (let i = 0; i < 5; i++) {
      restAsk(market, `A${i}`, 'alice', '100.00', '1');
      market.executeTaker({ symbol: 'ETH/USD', side: 'buy', qty: d('1'), orderType: 'market' });
    }
    const first = market.tradesSince('ETH/USD', '0', 2);
    expect(first.trades.map((trade) => trade.tradeId)).toEqual([1, 2]);
    const second = market.tradesSince('ETH/USD', first.last, 10);
    expect(second.trades.map((trade) => trade.tradeId)).toEqual([3, 4, 5]);
    expect(BigInt(second.last) > BigInt(first.last)).toBe(true);
    expect(market.tradesSince('ETH/USD', second.last, 10)).toEqual({ trades: [], last: second.last });
    expect(market.tradesSince('ETH/USD', undefined, 2).trades.map((trade) => trade.tradeId)).toEqual([4, 5]);
  });
});
