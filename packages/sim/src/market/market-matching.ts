import type { Side } from '../sim-types.js';
import type { MarketBook } from './market-book.js';

/** One fill of a resting order, in the pair's units. */
export interface UnitFill {
  makerOrderId: string;
  makerAccountId: string | undefined;
  price: bigint;
  qty: bigint;
  /** What the maker has left after this fill, hidden iceberg part included. */
  makerRemaining: bigint;
  /** Set when this fill used up an iceberg's visible part and its next part was shown. */
  refilledVisible: bigint | undefined;
}

export interface UnitTaker {
  side: Side;
  /** Base quantity to take, in quantity units. */
  qty?: bigint;
  /** Quote amount to spend, in cost units (price units × quantity units). */
  cash?: bigint;
  /** Worst acceptable price, in price units; undefined = market order. */
  limit?: bigint;
  accountId?: string;
  onSelfTrade?: (makerOrderId: string) => 'cancel-newest' | 'cancel-oldest' | 'cancel-both';
}

export interface UnitMatch {
  fills: UnitFill[];
  filledQty: bigint;
  /** Σ price × qty, in cost units. */
  filledCost: bigint;
  stoppedBySelfTrade: boolean;
  cancelledMakerOrderIds: string[];
}

/**
 * Price-time matching of one taker against a book: best level first, and within a level
 * the queue in order. An iceberg whose visible part is used up shows its next part at the
 * back of the same level, so the taker meets it again only after everyone queued there.
 * Self-trade prevention is asked before touching an order of the taker's own account.
 * Mutates the book; the caller records trades and publishes.
 */
export function matchTaker(book: MarketBook, taker: UnitTaker, now: number): UnitMatch {
  const side = book.takingSide(taker.side);
  const { lot } = book.units;
  const result: UnitMatch = {
    fills: [],
    filledQty: 0n,
    filledCost: 0n,
    stoppedBySelfTrade: false,
    cancelledMakerOrderIds: [],
  };
  let qtyLeft = taker.qty;
  let cashLeft = taker.cash;

  while (side.levels.length > 0) {
    const level = side.levels[0]!;
    if (taker.limit !== undefined && side.better(taker.limit, level.price)) break;
    const price = level.price;
    const index = 0;
    while (index < level.orders.length) {
      const order = level.orders[index]!;
      if (taker.accountId !== undefined && order.accountId === taker.accountId) {
        const decision = taker.onSelfTrade?.(order.id) ?? 'cancel-newest';
        if (decision === 'cancel-newest') {
          result.stoppedBySelfTrade = true;
          return result;
        }
        book.cancel(order.id, now);
        result.cancelledMakerOrderIds.push(order.id);
        if (decision === 'cancel-both') {
          result.stoppedBySelfTrade = true;
          return result;
        }
        if (level.orders.length === 0) break;
        continue;
      }
      let most = order.visible;
      if (qtyLeft !== undefined && qtyLeft < most) most = qtyLeft;
      if (cashLeft !== undefined) {
        const affordable = cashLeft / price;
        const onGrid = affordable - (affordable % lot);
        if (onGrid < most) most = onGrid;
      }
      if (most <= 0n) return result;
      const outcome = book.fillAt(side, level, index, most, now);
      result.fills.push({
        makerOrderId: order.id,
        makerAccountId: order.accountId,
        price,
        qty: most,
        makerRemaining: order.remaining,
        refilledVisible: outcome.refilled ? order.visible : undefined,
      });
      result.filledQty += most;
      result.filledCost += price * most;
      if (qtyLeft !== undefined) qtyLeft -= most;
      if (cashLeft !== undefined) cashLeft -= price * most;
      // A filled or refilled order left position `index`; a partial fill means the taker is done.
      if (!outcome.removed && !outcome.refilled) return result;
      if (outcome.removed && level.orders.length === 0) break;
    }
    if (qtyLeft !== undefined && qtyLeft <= 0n) break;
    if (cashLeft !== undefined && cashLeft < price) break;
    // The level is gone only if it was emptied; if the loop left orders, the taker stopped.
    if (side.levels[0] === level) break;
  }
  return result;
}
