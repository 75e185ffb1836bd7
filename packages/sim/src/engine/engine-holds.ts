import { type Big, roundUp, zero } from '../sim-decimal.js';
import type { Side } from '../sim-types.js';

/** What an open order keeps out of the account's available balance. */
export interface Reservation {
  asset: string;
  amount: Big;
}

/**
 * What an order has already booked for its fills (engine-settlement.ts): the exact
 * cumulative cost and fee, and the rounded amounts charged for them.
 */
export interface Settled {
  /** Exact cumulative quote value of the fills. */
  filledCost: Big;
  /** Quote booked so far (rounded up for buys). */
  quoteSettled: Big;
  /** Exact cumulative fee. */
  feeExact: Big;
  /** Fee booked so far (rounded up), in the fee asset. */
  feeCharged: Big;
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
  /** What the order's fills have booked so far (all zero before the first fill). */
  settled: Settled;
  base: { id: string; decimals: number };
  quote: { id: string; decimals: number };
}

/** `ceil(bound) − booked`: what is left of a cumulative total rounded up once (never negative). */
function restOf(bound: Big, booked: Big, decimals: number): Big {
  const rest = roundUp(bound, decimals).minus(booked);
  return rest.gt(zero) ? rest : zero;
}

/**
 * The hold for the rest of an order (REST `BalanceEx.hold_trade`; Kraken does not publish
 * its formula). The engine settles an order by cumulative rounding (engine-settlement.ts):
 * its quote paid is always `ceil(filled cost)` and its fee `ceil(exact fee)`. So the hold is
 * the most the *whole order* can still come to, rounded once, minus what its fills already
 * booked — never the rest rounded on its own:
 *
 * - buys: `ceil(filledCost + remaining × price) − quoteSettled` in quote, plus, when the
 *   fee is paid in quote, `ceil(feeExact + remaining × price × maxRate) − feeCharged`;
 * - sells: the remaining base, plus, when the fee is paid in base,
 *   `ceil(feeExact + remaining × maxRate) − feeCharged`.
 *
 * A fill at `price` or better and at a rate ≤ `maxRate` lowers both bounds, so the hold
 * after a fill plus what the fill charged never exceeds the hold before it: fills never
 * take the account's available balance down (rounding the rest separately could, by one
 * unit per part — `ceil(a) + ceil(b)` may exceed `ceil(a + b)`). Before the first fill
 * this is `ceil(remaining × price) + ceil(remaining × price × maxRate)`.
 * A fee paid in the asset the account receives is taken from the proceeds and needs no hold.
 */
export function reservationFor(input: ReservationInput): Reservation {
  const { side, remaining, feePreference, maxFeeRate, settled, base, quote } = input;
  if (side === 'buy') {
    const cost = remaining.times(input.price ?? zero);
    const paid = restOf(settled.filledCost.plus(cost), settled.quoteSettled, quote.decimals);
    const fee =
      feePreference === 'quote'
        ? restOf(settled.feeExact.plus(cost.times(maxFeeRate)), settled.feeCharged, quote.decimals)
        : zero;
    return { asset: quote.id, amount: paid.plus(fee) };
  }
  const fee =
    feePreference === 'base'
      ? restOf(settled.feeExact.plus(remaining.times(maxFeeRate)), settled.feeCharged, base.decimals)
      : zero;
  return { asset: base.id, amount: roundUp(remaining, base.decimals).plus(fee) };
}

/**
 * Hold for a market buy sized in quote: the amount to spend plus the taker fee on it, less
 * what its fills booked (the market never spends more than `cashQty`; market orders only
 * take, so every fill pays the taker rate).
 */
export function cashReservation(
  cashQty: Big,
  takerRate: Big,
  feePreference: 'base' | 'quote',
  settled: Settled,
  quote: { id: string; decimals: number },
): Reservation {
  const paid = restOf(cashQty, settled.quoteSettled, quote.decimals);
  // Kept even when the fee is paid in base (as before: the conservative hold).
  const fee = restOf(
    cashQty.times(takerRate),
    feePreference === 'quote' ? settled.feeCharged : zero,
    quote.decimals,
  );
  return { asset: quote.id, amount: paid.plus(fee) };
}
