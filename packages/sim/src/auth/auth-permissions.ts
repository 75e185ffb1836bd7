import type { SimAccountSpec } from '../sim-accounts.js';

/** A key permission, as the accounts file names it. */
export type Permission = keyof SimAccountSpec['permissions'];

/**
 * Which key permissions each private method needs (PROTOCOL §3.2–3.3): every listed
 * alternative set is enough on its own, and within a set every permission is required.
 * Kraken's "Create & modify orders" is `trade`, "Cancel & close orders" is `cancel`,
 * "Query open/closed orders & trades" is `query`, "Funds – Query" is `funds`, "WebSocket
 * interface" is `websocket`. Ledger queries need `funds` (the sim has no separate
 * "Query ledger entries" permission).
 */
const requirements: Readonly<Record<string, readonly (readonly Permission[])[]>> = {
  GetWebSocketsToken: [['websocket']],
  Balance: [['funds']],
  BalanceEx: [['funds']],
  TradeBalance: [['funds']],
  Ledgers: [['funds']],
  QueryLedgers: [['funds']],
  OpenOrders: [['query']],
  ClosedOrders: [['query']],
  QueryOrders: [['query']],
  TradesHistory: [['query']],
  QueryTrades: [['query']],
  OrderAmends: [['query']],
  AddOrder: [['trade']],
  AmendOrder: [['trade']],
  AddOrderBatch: [['trade', 'cancel']],
  EditOrder: [['trade', 'cancel']],
  CancelOrder: [['trade'], ['cancel']],
  CancelAll: [['trade'], ['cancel']],
  CancelOrderBatch: [['trade'], ['cancel']],
  CancelAllOrdersAfter: [['trade'], ['cancel']],
};

/** Whether a key with these permissions may call the method (unknown methods: never). */
export function permits(permissions: SimAccountSpec['permissions'], method: string): boolean {
  const alternatives = Object.hasOwn(requirements, method) ? requirements[method] : undefined;
  if (!alternatives) return false;
  return alternatives.some((required) => required.every((permission) => permissions[permission]));
}
