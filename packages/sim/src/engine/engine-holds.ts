import { type Big, roundUp, zero } from '../sim-decimal.js';
import type { Side } from '../sim-types.js';

/** What an open order keeps out of the account's available balance. */
export interface Reservation {
  asset: string;
  amount: Big;
}

export interface ReservationInput {
  side: Side;
  /** Base quantity still to execute. */
  remaining: Big;
  /** Buys: the worst price the rest can execute at (limit price, or the trigger/book estimate). */
  price: Big | undefined;
  feePreference: 'base' | 'quote';
  /** Highest of the pair's maker and taker rates. */
  maxFeeRate: Big;
  base: { id: string; decimals: number };
  quote: { id: string; decimals: number };
}

/**
 * The hold for the rest of an order (REST `BalanceEx.hold_trade`; Kraken does not publish
 * its formula). Buys reserve `remaining × price` in quote plus, when the fee is paid in
 * quote, the fee at the higher of the maker/taker rates; sells reserve the remaining base
 * plus, when the fee is paid in base, that fee. Each part is rounded up separately to the
 * asset's decimals: since the engine settles a fill's cost and fee by cumulative rounding
 * (see engine-settlement.ts), and `ceil(a + x) ≤ ceil(a) + ceil(x)`, what the rest of the
 * order can still charge never exceeds this amount — an account never goes negative.
 * A fee paid in the asset the account receives is taken from the proceeds and needs no hold.
 */
export function reservationFor(input: ReservationInput): Reservation {
  const { side, remaining, feePreference, maxFeeRate, base, quote } = input;
  if (side === 'buy') {
    const price = input.price ?? zero;
    const cost = remaining.times(price);
    const fee = feePreference === 'quote' ? roundUp(cost.times(maxFeeRate), quote.decimals) : zero;
    return { asset: quote.id, amount: roundUp(cost, quote.decimals).plus(fee) };
  }
  const fee = feePreference === 'base' ? roundUp(remaining.times(maxFeeRate), base.decimals) : zero;
  return { asset: base.id, amount: roundUp(remaining, base.decimals).plus(fee) };
}

/** Hold for a market buy sized in quote: the amount to spend plus the taker fee on it. */
export function cashReservation(
  cashQty: Big,
  takerRate: Big,
  quote: { id: string; decimals: number },
): Reservation {
  return {
    asset: quote.id,
    amount: roundUp(cashQty, quote.decimals).plus(roundUp(cashQty.times(takerRate), quote.decimals)),
  };
}
