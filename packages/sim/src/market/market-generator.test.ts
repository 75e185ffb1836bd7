import { describe, expect, it } from 'vitest';
import { createMarketTestContext } from '../../test/support/market-context.js';
import type { PublicTrade } from '../sim-types.js';
import { marketFeedOf } from './market-feed.js';
import type { PairMarket } from './market-pair.js';
import { createSimMarket } from './sim-market.js';

function run(seed: string, speed: number, ms: number) {
  const { context, clock, errors } = createMarketTestContext({ seed, marketSpeed: speed });
  const market = createSimMarket(context);
  const trades: PublicTrade[] = [];
  context.events.on('public-trades', (event) => trades.push(...event.trades));
  const books: string[] = [];
  const pair = marketFeedOf(market).pair('POL/USD') as PairMarket;
  context.events.on('book-change', ({ symbol }) => {
    if (symbol !== 'POL/USD') return;
    const top = (side: 'bids' | 'asks') =>
      pair.book[side].levels.slice(0, 3).map((level) => `${level.price}:${level.visible}`);
    books.push(`${top('bids')}|${top('asks')}`);
  });
  market.start();
  clock.advance(ms);
  market.stop();
  expect(errors).toEqual([]);
  return { market, trades, books, pairs: marketFeedOf(market) };
}

const content = (trades: PublicTrade[]) =>
  trades.map(
    (trade) =>
      `${trade.symbol} ${trade.tradeId} ${trade.side} ${trade.orderType} ${trade.price} ${trade.qty}`,
  );

describe('background market', () => {
  it('is deterministic: same seed, same stream; another seed, another; speed changes timing only', () => {
    const first = run('seed-a', 2, 20_000);
    const second = run('seed-a', 2, 20_000);
    const other = run('seed-b', 2, 20_000);
    const faster = run('seed-a', 4, 10_000);
    expect(first.trades.length).toBeGreaterThan(200);
    expect(content(second.trades)).toEqual(content(first.trades));
    expect(second.trades.map((trade) => trade.time)).toEqual(first.trades.map((trade) => trade.time));
    expect(second.books).toEqual(first.books);
    expect(content(other.trades).slice(0, 50)).not.toEqual(content(first.trades).slice(0, 50));
    // Twice the speed for half the time: the same events (a few at the very end may differ by rounding).
    const polFirst = content(first.trades.filter((trade) => trade.symbol === 'POL/USD'));
    const polFaster = content(faster.trades.filter((trade) => trade.symbol === 'POL/USD'));
    const common = Math.min(polFirst.length, polFaster.length) - 3;
    expect(common).toBeGreaterThan(20);
    expect(polFaster.slice(0, common)).toEqual(polFirst.slice(0, common));
  });

  it('keeps realistic books: uncrossed, spread at least spreadTicks, about depthLevels levels, lot-sized quantities with dust', () => {
    const { pairs } = run('shape', 5, 30_000);
    for (const symbol of ['BTC/USD', 'ETH/USD', 'POL/USD', 'PEPE/USD']) {
      const pair = pairs.pair(symbol) as PairMarket;
      const { bids, asks } = pair.book;
      const { tick, lot } = pair.units;
      const spread = (asks.best()?.price ?? 0n) - (bids.best()?.price ?? 0n);
      expect(spread >= BigInt(pair.pair.market.spreadTicks) * tick, symbol).toBe(true);
      for (const side of [bids, asks]) {
        expect(side.size, symbol).toBeGreaterThan(pair.pair.market.depthLevels * 0.9);
        expect(side.size, symbol).toBeLessThan(pair.pair.market.depthLevels * 1.1);
        for (let i = 1; i < side.size; i++)
          expect(side.better(side.levels[i - 1]!.price, side.levels[i]!.price)).toBe(true);
        for (const level of side.levels) {
          expect(level.price % tick).toBe(0n);
          expect(level.visible > 0n && level.visible % lot === 0n).toBe(true);
        }
      }
      const quantities = [...bids.levels, ...asks.levels].flatMap((level) =>
        level.orders.map((order) => order.remaining),
      );
      expect(
        quantities.some((qty) => qty < 1000n * lot),
        `${symbol} has dust`,
      ).toBe(true);
      expect(
        quantities.some((qty) => qty % 1_000_000n === 0n),
        `${symbol} has round sizes`,
      ).toBe(true);
    }
  });

  it('stands still at market speed 0', () => {
    const { trades, books } = run('frozen', 0, 10_000);
    expect(trades).toEqual([]);
    expect(books).toEqual([]);
  });
});
