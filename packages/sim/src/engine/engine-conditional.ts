import type { Big } from '../sim-decimal.js';
import type { OrderRequest } from '../sim-types.js';
import type { EngineOrder } from './engine-order.js';
import { placeOrder } from './engine-placement.js';
import type { EngineState } from './engine-state.js';

/**
 * Conditional close (OTO): each fill of the primary order places one secondary order of
 * the fill's size on the opposite side, from the primary's `conditional` template. It runs
 * from the work queue (after the matching that filled the primary), costs no rate units
 * (the engine places it), and is simply not placed if it fails validation or funds — the
 * sim counts that as `engine.conditional_rejected`.
 */
export function placeConditionalClose(state: EngineState, primary: EngineOrder, qty: Big): void {
  const { view } = primary;
  const template = view.conditional;
  const account = state.accounts.get(view.accountId);
  if (!template || !account) return;
  const request: OrderRequest = {
    symbol: view.symbol,
    side: view.side === 'buy' ? 'sell' : 'buy',
    orderType: template.orderType,
    qty,
    timeInForce: 'gtc',
    postOnly: false,
    reduceOnly: false,
    margin: false,
    stpType: view.stpType,
    feePreference: view.feePreference,
    validate: false,
    ...(view.userref !== undefined ? { userref: view.userref } : {}),
    ...(template.limitPrice ? { limitPrice: template.limitPrice } : {}),
    ...(template.triggerPrice
      ? {
          trigger: {
            reference: view.trigger?.reference ?? 'last',
            price: template.triggerPrice.value,
            type: template.triggerPrice.type,
          },
        }
      : {}),
    ...(template.orderType === 'iceberg' ? { displayQty: qty } : {}),
  };
  const placed = placeOrder(state, account, primary.pair, request, view.via, { validateOnly: false });
  if (!placed.ok) state.context.stats.count('engine.conditional_rejected');
}
