import { describe, expect, it } from 'vitest';
import {
  ClientBook,
  krakenChecksum,
  numberText,
  parseLossless,
} from '../../test/support/kraken-book-model.js';
import { createMarketTestContext } from '../../test/support/market-context.js';
import { marketFeedOf } from '../market/market-feed.js';
import type { PairMarket } from '../market/market-pair.js';
import { unitsToText } from '../market/market-units.js';
import { createSimMarket } from '../market/sim-market.js';
import { Decimal } from '../sim-decimal.js';
import type { SimSession } from '../ws/sim-session.js';
import { BookFeed } from './book-feed.js';

interface BookData {
  symbol: string;
  bids: { price: unknown; qty: unknown }[];
  asks: { price: unknown; qty: unknown }[];
  checksum: unknown;
  timestamp: string;
}

/** A subscriber that applies every frame the moment it is sent, when the market is in that exact state. */
function subscriber(
  market: PairMarket,
  depth: number,
  onFrame: (client: ClientBook, valid: boolean, raw: string) => void,
) {
  const { pricePrecision, qtyPrecision } = market.pair;
  const client = new ClientBook(depth, pricePrecision, qtyPrecision);
  const session = {
    sendChannel: (channel: string, _symbol: string | undefined, frame: string) => {
      expect(channel).toBe('book');
      const message = parseLossless(frame) as { type: 'snapshot' | 'update'; data: BookData[] };
      expect(message.data).toHaveLength(1);
      const valid = client.apply(message.type, message.data[0] as BookData);
      onFrame(client, valid, frame);
      return true;
    },
  } as unknown as SimSession;
  return { client, session };
}

/** The market's true top `depth` as padded text. */
function truth(market: PairMarket, side: 'bids' | 'asks', depth: number): [string, string][] {
  const { pricePlaces, qtyPlaces } = market.units;
  return market.book[side].levels
    .slice(0, depth)
    .map((level) => [unitsToText(level.price, pricePlaces), unitsToText(level.visible, qtyPlaces)]);
}

describe('book feed', () => {
  for (const numberFormat of ['padded', 'trimmed'] as const) {
    it(`keeps a client book equal to the top of every depth, every checksum verifying (${numberFormat})`, () => {
      const { context, clock, errors } = createMarketTestContext({ marketSpeed: 3, numberFormat });
      const market = createSimMarket(context);
      const feed = new BookFeed(context, marketFeedOf(market));
      const seen = { messages: 0, trailingZeroPrice: 0, dust: 0 };
      for (const symbol of ['POL/USD', 'PEPE/USD', 'BTC/USD']) {
        const pair = marketFeedOf(market).pair(symbol) as PairMarket;
        for (const depth of [10, 25, 100, 500, 1000]) {
          let count = 0;
          const { session } = subscriber(pair, depth, (client, valid, raw) => {
            expect(valid, `checksum of message ${count} (${symbol}, depth ${depth})`).toBe(true);
            count += 1;
            seen.messages += 1;
            // POL/USD prices like 0.5660: padded on the wire, or trimmed to 0.566 (checksum still verifies).
            const trailingZero =
              numberFormat === 'padded' ? /"price":0\.\d{3}0[,}]/ : /"price":0\.\d{1,3}[,}]/;
            if (symbol === 'POL/USD' && trailingZero.test(raw)) seen.trailingZeroPrice += 1;
            if (/"qty":0\.0000\d+/.test(raw) && symbol === 'PEPE/USD') seen.dust += 1;
            // The whole book is compared on every message up to depth 25, sparser deeper (cost);
            // the checksum (top 10) is verified on every message of every depth.
            if (count % (depth <= 25 ? 1 : depth <= 100 ? 3 : 10) === 0) {
              for (const side of ['bids', 'asks'] as const) {
                const held = client.top(side);
                const expected = truth(pair, side, depth);
                if (held.join() !== expected.join()) expect(held).toEqual(expected);
              }
            }
          });
          feed.subscribe(session, symbol, depth, true);
        }
      }
      market.start();
      clock.advance(numberFormat === 'padded' ? 4_000 : 2_000);
      market.stop();
      expect(seen.messages).toBeGreaterThan(1_500);
      expect(seen.trailingZeroPrice).toBeGreaterThan(0);
      expect(seen.dust).toBeGreaterThan(0);
      expect(errors).toEqual([]);
    });
  }

  it('corrupt-level: one top-10 level of one update is wrong while its checksum is the true book’s; corrupt-checksum: the reverse', () => {
    const { context, clock, errors } = createMarketTestContext({ marketSpeed: 3 });
    const market = createSimMarket(context);
    const pair = marketFeedOf(market).pair('POL/USD') as PairMarket;
    const feed = new BookFeed(context, marketFeedOf(market));
    const verdicts: { wrongLevels: number; trueChecksum: boolean }[] = [];
    const session = {
      sendChannel: (_channel: string, _symbol: string | undefined, frame: string) => {
        const data = (parseLossless(frame) as { data: BookData[] }).data[0] as BookData;
        let wrongLevels = 0;
        for (const [side, levels] of [
          [pair.book.bids, data.bids],
          [pair.book.asks, data.asks],
        ] as const) {
          for (const level of levels) {
            const price = BigInt(numberText(level.price).replace('.', ''));
            const qty = BigInt(numberText(level.qty).replace('.', ''));
            if ((side.get(price)?.visible ?? 0n) !== qty) wrongLevels += 1;
          }
        }
        const truthChecksum = krakenChecksum(truth(pair, 'asks', 10), truth(pair, 'bids', 10), 4, 8);
        verdicts.push({ wrongLevels, trueChecksum: Number(numberText(data.checksum)) === truthChecksum });
        return true;
      },
    } as unknown as SimSession;
    feed.subscribe(session, 'POL/USD', 10, false);
    market.start();
    clock.advance(1_000);
    const before = verdicts.length;
    context.faults.inject({ kind: 'corrupt-level', symbol: 'POL/USD' });
    clock.advance(3_000);
    const afterLevel = verdicts.slice(before);
    expect(afterLevel[0]).toEqual({ wrongLevels: 1, trueChecksum: true });
    expect(afterLevel.slice(1).every((verdict) => verdict.wrongLevels === 0 && verdict.trueChecksum)).toBe(
      true,
    );
    const middle = verdicts.length;
    context.faults.inject({ kind: 'corrupt-checksum', symbol: 'POL/USD' });
    clock.advance(3_000);
    const afterChecksum = verdicts.slice(middle);
    expect(afterChecksum[0]).toEqual({ wrongLevels: 0, trueChecksum: false });
    expect(afterChecksum.slice(1).every((verdict) => verdict.wrongLevels === 0 && verdict.trueChecksum)).toBe(
      true,
    );
    expect(errors).toEqual([]);
  });

  it('sends no deletes for levels pushed out of the depth, and inserts levels that move into it', () => {
    const { context, errors } = createMarketTestContext({ marketSpeed: 0 });
    const market = createSimMarket(context);
    const pair = marketFeedOf(market).pair('ETH/USD') as PairMarket;
    const feed = new BookFeed(context, marketFeedOf(market));
    const frames: BookData[] = [];
    const { session } = subscriber(pair, 10, (_client, valid, raw) => {
      expect(valid).toBe(true);
      frames.push((parseLossless(raw) as { data: BookData[] }).data[0] as BookData);
    });
    feed.subscribe(session, 'ETH/USD', 10, true);
    const best = pair.book.bids.best()?.price as bigint;
    const tenth = pair.book.bids.levels[9]?.price as bigint;
    // A new best bid pushes the 10th level out: one insert, no delete.
    market.rest('ETH/USD', {
      orderId: 'O1',
      accountId: 'alice',
      side: 'buy',
      price: new Decimal(unitsToText(best + 1n, 2)),
      qty: new Decimal('1'),
    });
    const insert = frames.at(-1) as BookData;
    expect(insert.bids.map((level) => String(level.price))).toEqual([unitsToText(best + 1n, 2)]);
    expect(insert.bids.map((level) => String(level.qty))).not.toContain('0.00000000');
    // Removing it again brings the old 10th level back as an insert next to the delete.
    market.removeResting('ETH/USD', 'O1');
    const back = frames.at(-1) as BookData;
    expect(back.bids.map((level) => [String(level.price), String(level.qty)])).toEqual([
      [unitsToText(best + 1n, 2), '0.00000000'],
      [unitsToText(tenth, 2), unitsToText(pair.book.bids.levels[9]?.visible as bigint, 8)],
    ]);
    expect(errors).toEqual([]);
  });
});
