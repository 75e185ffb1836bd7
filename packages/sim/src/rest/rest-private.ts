import { accountMethods } from './rest-account.js';
import { amendMethods } from './rest-amend.js';
import { cancelMethods } from './rest-cancel.js';
import type { PrivateMethod, RestDeps } from './rest-handler.js';
import { ledgerMethods } from './rest-ledgers.js';
import { orderQueryMethods } from './rest-orders.js';
import { tradeQueryMethods } from './rest-trades.js';
import { tradingMethods } from './rest-trading.js';

/**
 * Every private REST method the sim serves, by Kraken's (case-sensitive) name. Anything else
 * under `/0/private/` is an unknown method. Not served: funding, earn, margin positions,
 * exports, subaccounts, `OrderAmends` (no amend history in the domain contract).
 */
export function privateMethods(deps: RestDeps): ReadonlyMap<string, PrivateMethod> {
  return new Map(
    Object.entries({
      ...accountMethods(deps),
      ...orderQueryMethods(deps),
      ...tradeQueryMethods(deps),
      ...ledgerMethods(deps),
      ...tradingMethods(deps),
      ...amendMethods(deps),
      ...cancelMethods(deps),
    }),
  );
}
