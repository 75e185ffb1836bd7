import { type Big, minBig, zero } from '../sim-decimal.js';
import type { MakerFill } from '../sim-modules.js';
import type { SimFill } from '../sim-types.js';
import { placeConditionalClose } from './engine-conditional.js';
import { feeAsset, feeRates } from './engine-fees.js';
import { finishFilled } from './engine-lifecycle.js';
import { type EngineOrder, isOpenStatus, remainingOf } from './engine-order.js';
import { settleFill } from './engine-settlement.js';
import type { EngineState } from './engine-state.js';

/** One execution against the book, from either side. */
export interface FillInput {
  price: Big;
  qty: Big;
  publicTradeId: number;
  time: number;
}

/**
 * Books one fill of one order: settlement with cumulative rounding, two ledger entries
 * (base and quote leg, same `refId` = the private trade id, the fee on the fee asset's
 * leg), the order's cumulative state, the hold, and the `trade` report — then the ledger
 * entries, then `filled` when nothing is left. `counterpartyIsBackground` records the
 * background market's side of the trade (conservation tally).
 */
export function applyFill(
  state: EngineState,
  order: EngineOrder,
  fill: FillInput,
  liquidity: 'm' | 't',
  counterpartyIsBackground: boolean,
): SimFill {
  const { view, pair } = order;
  const account = state.accounts.get(view.accountId)!;
  const rates = feeRates(pair);
  const feeCurrency = feeAsset(pair, view.feePreference);
  const settlement = settleFill(
    {
      side: view.side,
      feePreference: view.feePreference,
      filledCost: view.filledCost,
      filledQty: view.filledQty,
      quoteSettled: order.quoteSettled,
      feeExact: order.feeExact,
      feeCharged: view.fees,
    },
    { qty: fill.qty, price: fill.price, feeRate: liquidity === 'm' ? rates.maker : rates.taker },
    { base: state.decimals(pair.base), quote: state.decimals(pair.quote) },
  );
  const { next, fee, cost } = settlement;
  const fillId = state.nextTradeId();
  const baseEntry = state.postLedger(account, {
    type: 'trade',
    category: 'trade',
    asset: pair.base,
    amount: settlement.baseAmount,
    fee: feeCurrency === pair.base ? fee : zero,
    refId: fillId,
  });
  const quoteEntry = state.postLedger(account, {
    type: 'trade',
    category: 'trade',
    asset: pair.quote,
    amount: settlement.quoteAmount,
    fee: feeCurrency === pair.quote ? fee : zero,
    refId: fillId,
  });

  view.filledQty = next.filledQty;
  view.filledCost = next.filledCost;
  view.fees = next.feeCharged;
  view.avgPrice = next.filledCost.div(next.filledQty);
  if (view.cashQty) view.qty = next.filledQty;
  view.tradeIds.push(fillId);
  order.quoteSettled = next.quoteSettled;
  order.feeExact = next.feeExact;

  const simFill: SimFill = {
    id: fillId,
    publicTradeId: fill.publicTradeId,
    orderId: view.id,
    accountId: view.accountId,
    symbol: view.symbol,
    side: view.side,
    orderType: view.orderType,
    price: fill.price,
    qty: fill.qty,
    cost,
    fee,
    feeAsset: feeCurrency,
    liquidity,
    time: fill.time,
    ledgerIds: [baseEntry.id, quoteEntry.id],
  };
  account.fills.push(simFill);

  state.tallyFee(feeCurrency, fee);
  const quoteRounding =
    view.side === 'buy' ? settlement.quoteAmount.neg().minus(cost) : cost.minus(settlement.quoteAmount);
  state.tallyRounding(pair.quote, quoteRounding);
  if (counterpartyIsBackground) {
    state.tallyBackground(pair.base, settlement.baseAmount.neg());
    state.tallyBackground(pair.quote, view.side === 'buy' ? cost : cost.neg());
  }

  state.refreshHold(order);
  state.emitExecution(order, 'trade', { fill: simFill });
  state.emitLedger(baseEntry);
  state.emitLedger(quoteEntry);

  if (!view.cashQty && remainingOf(view).eq('0')) finishFilled(state, order);
  if (view.conditional) {
    const qty = fill.qty;
    state.queue.push(() => placeConditionalClose(state, order, qty));
  }
  return simFill;
}

/**
 * A resting user order was hit (the market calls this during `executeTaker`, whoever the
 * taker was): books the maker fill and checks the market and the engine agree on what is left.
 */
export function onMakerFill(state: EngineState, fill: MakerFill): void {
  if (fill.makerAccountId === undefined) return;
  const order = state.orders.get(fill.makerOrderId);
  if (!order || !isOpenStatus(order.view.status)) {
    state.context.reportError(new Error(`maker fill for unknown or closed order ${fill.makerOrderId}`));
    return;
  }
  // Already out of the book when fully filled: nothing to remove when it closes.
  if (fill.makerRemaining.eq('0')) order.resting = false;
  applyFill(state, order, fill, 'm', state.takerDepth === 0);
  const { view } = order;
  if (!isOpenStatus(view.status)) return;
  const remaining = remainingOf(view);
  if (!remaining.eq(fill.makerRemaining)) {
    state.context.reportError(
      new Error(`maker ${view.id}: market says ${fill.makerRemaining} left, engine ${remaining}`),
    );
  }
  if (view.displayQty && order.displayRemain && !state.marketReportsRefills) {
    // A market without refill reports: the visible part is used up, the next one shows.
    order.displayRemain = order.displayRemain.minus(fill.qty);
    if (order.displayRemain.lte('0') && remaining.gt('0'))
      onIcebergRefill(state, view.id, minBig(view.displayQty, remaining));
  }
}

/** The market showed an iceberg's next part: `iceberg_refill`. */
export function onIcebergRefill(state: EngineState, orderId: string, visible: Big): void {
  const order = state.orders.get(orderId);
  if (!order || !isOpenStatus(order.view.status)) return;
  order.displayRemain = visible;
  state.emitExecution(order, 'iceberg_refill');
}
