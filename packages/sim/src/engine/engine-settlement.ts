import { type Big, roundDown, roundUp } from '../sim-decimal.js';
import type { Side } from '../sim-types.js';

/** An order's running settlement totals (what has already been booked for its fills). */
export interface SettlementState {
  side: Side;
  feePreference: 'base' | 'quote';
  /** Exact cumulative quote value of the fills. */
  filledCost: Big;
  filledQty: Big;
  /** Quote booked so far (rounded): paid for buys, received for sells. */
  quoteSettled: Big;
  /** Exact cumulative fee (before rounding). */
  feeExact: Big;
  /** Fee booked so far (rounded), in the fee asset. */
  feeCharged: Big;
}

export interface FillSettlement {
  /** Signed base change, fee excluded. */
  baseAmount: Big;
  /** Signed quote change, fee excluded. */
  quoteAmount: Big;
  /** Fee of this fill, in the fee asset. */
  fee: Big;
  /** Exact fill cost (`qty × price`). */
  cost: Big;
  /** The state after the fill. */
  next: SettlementState;
}

/**
 * Books one fill with cumulative rounding: the quote an order has paid (buys, rounded up)
 * or received (sells, rounded down) is always its exact cumulative cost rounded once to the
 * quote's decimals, and its fees are its exact cumulative fee rounded up once. A fill books
 * the difference to what was booked before, so many partial fills cost no more than one
 * fill of the same size (never a cent per fill of rounding), and the reservation of
 * engine-holds.ts always covers the rest. A fee paid in the asset the order receives is
 * capped at what it received so far, so a tiny first fill can never take a balance below
 * zero; the cap catches up on later fills.
 */
export function settleFill(
  state: SettlementState,
  fill: { qty: Big; price: Big; feeRate: Big },
  decimals: { base: number; quote: number },
): FillSettlement {
  const cost = fill.qty.times(fill.price);
  const filledCost = state.filledCost.plus(cost);
  const filledQty = state.filledQty.plus(fill.qty);
  const buy = state.side === 'buy';
  const quoteSettled = buy ? roundUp(filledCost, decimals.quote) : roundDown(filledCost, decimals.quote);
  const quoteDelta = quoteSettled.minus(state.quoteSettled);
  const feeInQuote = state.feePreference === 'quote';
  const feeExact = state.feeExact.plus((feeInQuote ? cost : fill.qty).times(fill.feeRate));
  let feeCharged = roundUp(feeExact, feeInQuote ? decimals.quote : decimals.base);
  // Fee in the received asset: never more than received so far.
  const received = buy ? (feeInQuote ? undefined : filledQty) : feeInQuote ? quoteSettled : undefined;
  if (received !== undefined && feeCharged.gt(received)) feeCharged = received;
  if (feeCharged.lt(state.feeCharged)) feeCharged = state.feeCharged;
  return {
    baseAmount: buy ? fill.qty : fill.qty.neg(),
    quoteAmount: buy ? quoteDelta.neg() : quoteDelta,
    fee: feeCharged.minus(state.feeCharged),
    cost,
    next: { ...state, filledCost, filledQty, quoteSettled, feeExact, feeCharged },
  };
}
