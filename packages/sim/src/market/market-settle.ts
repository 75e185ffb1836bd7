import type { SimContext } from '../sim-context.js';
import type { IcebergRefill, MakerFill, TakerResult } from '../sim-modules.js';
import type { PublicTrade, Side } from '../sim-types.js';
import type { MarketEmitter } from './market-emitter.js';
import type { UnitMatch } from './market-matching.js';
import type { PairMarket } from './market-pair.js';
import { unitsToBig } from './market-units.js';

/** The engine's handlers for what happens to resting user orders. */
export interface MakerHandlers {
  userFill: ((fill: MakerFill) => void) | undefined;
  refill: ((refill: IcebergRefill) => void) | undefined;
}

/**
 * After a match: records the public trades (tape, candles, 24 h window), queues the public
 * events, hands each fill of a user's resting order (and any iceberg refill) to the engine,
 * then delivers the events. The engine hears about its makers before the public does, and
 * whatever its handlers do to the market is published after this taker's events.
 */
export function settleTaker(
  context: SimContext,
  emitter: MarketEmitter,
  handlers: MakerHandlers,
  market: PairMarket,
  taker: { side: Side; orderType: 'limit' | 'market' },
  match: UnitMatch,
  now: number,
): TakerResult {
  const { units, tape, symbol } = market;
  const price = (value: bigint) => unitsToBig(value, units.pricePlaces);
  const qty = (value: bigint) => unitsToBig(value, units.qtyPlaces);
  const fills: MakerFill[] = [];
  const trades: PublicTrade[] = [];
  for (const fill of match.fills) {
    const trade = market.recordTrade(taker.side, taker.orderType, fill.price, fill.qty, now);
    trades.push(tape.toPublic(trade));
    fills.push({
      symbol,
      makerOrderId: fill.makerOrderId,
      makerAccountId: fill.makerAccountId,
      takerSide: taker.side,
      price: price(fill.price),
      qty: qty(fill.qty),
      makerRemaining: qty(fill.makerRemaining),
      publicTradeId: trade.tradeId,
      time: now,
    });
  }
  if (trades.length > 0) emitter.enqueue({ kind: 'public-trades', symbol, trades });
  if (match.fills.length > 0 || match.cancelledMakerOrderIds.length > 0) {
    market.noteBestPrices(now);
    emitter.enqueue({ kind: 'book-change', symbol });
  }
  const notify = (call: () => void) => {
    try {
      call();
    } catch (error) {
      context.reportError(error);
    }
  };
  match.fills.forEach((fill, index) => {
    const { makerAccountId, refilledVisible } = fill;
    if (makerAccountId === undefined) return;
    notify(() => handlers.userFill?.(fills[index] as MakerFill));
    if (refilledVisible === undefined) return;
    const refill: IcebergRefill = {
      symbol,
      orderId: fill.makerOrderId,
      accountId: makerAccountId,
      price: price(fill.price),
      visibleQty: qty(refilledVisible),
      remaining: qty(fill.makerRemaining),
      time: now,
    };
    notify(() => handlers.refill?.(refill));
  });
  emitter.flush();
  return {
    fills,
    filledQty: qty(match.filledQty),
    filledCost: unitsToBig(match.filledCost, units.pricePlaces + units.qtyPlaces),
    stoppedBySelfTrade: match.stoppedBySelfTrade,
    cancelledMakerOrderIds: match.cancelledMakerOrderIds,
  };
}
