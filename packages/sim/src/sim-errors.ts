/**
 * Kraken's error strings, in one place. REST wraps them in the `error` array; WS v2 sends
 * one as the `error` string. Where Kraken's docs give no text, the sim's choice is marked
 * `(sim)` and listed in the package README.
 */
export const krakenErrors = {
  invalidKey: 'EAPI:Invalid key',
  invalidSignature: 'EAPI:Invalid signature',
  invalidNonce: 'EAPI:Invalid nonce',
  restRateLimit: 'EAPI:Rate limit exceeded',
  lockout: 'EGeneral:Temporary lockout',
  permissionDenied: 'EGeneral:Permission denied',
  invalidArguments: 'EGeneral:Invalid arguments',
  internalError: 'EGeneral:Internal error',
  unknownMethod: 'EGeneral:Unknown method', // live API's answer (with HTTP 404) to an unknown REST method
  unknownPair: 'EQuery:Unknown asset pair',
  unknownAsset: 'EQuery:Unknown asset',
  tradingRateLimit: 'EOrder:Rate limit exceeded',
  ordersLimit: 'EOrder:Orders limit exceeded',
  insufficientFunds: 'EOrder:Insufficient funds',
  orderMinimum: 'EOrder:Order minimum not met',
  costMinimum: 'EOrder:Cost minimum not met',
  tickSize: 'EOrder:Tick size check failed',
  invalidPrice: 'EOrder:Invalid price',
  unknownOrder: 'EOrder:Unknown order',
  postOnlyCross: 'EOrder:Post only order', // (sim) post-only order that would take liquidity
  duplicateClOrdId: 'EOrder:Duplicate order', // (sim) cl_ord_id already used by an open order
  serviceUnavailable: 'EService:Unavailable',
  serviceBusy: 'EService:Busy',
  cancelOnly: 'EService:Market in cancel_only mode',
  postOnly: 'EService:Market in post_only mode',
  limitOnly: 'EService:Market in limit_only mode',
  deadlineElapsed: 'EService:Deadline elapsed',
  invalidSession: 'ESession:Invalid session',
  invalidToken: 'EAPI:Invalid token',
  currencyPairNotSupported: (symbol: string) => `Currency pair not supported ${symbol}`,
  subscriptionNameInvalid: 'Subscription name invalid',
  unsupportedField: (field: string) => `Unsupported field: '${field}'`,
  unsupportedMethod: (method: string) => `Unsupported method: '${method}'`, // (sim)
  alreadySubscribed: 'Already subscribed', // (sim) unconfirmed for v2 (PROTOCOL §12.9)
  exceededMessageRate: 'Exceeded msg rate',
  // Spot-only sim: margin features answer with Kraken's margin errors (PROTOCOL §2.5).
  cannotOpenPosition: 'EOrder:Cannot open position', // margin: true (the sim has no margin)
  reduceOnlyNoPosition: 'EOrder:Reduce only:No position exists',
  unknownPosition: 'EOrder:Unknown position', // settle-position
  invalidOrder: 'EOrder:Invalid order', // edit of an order EditOrder cannot replace
  reduceOnlyMode: 'EService:Market in reduce_only mode', // (sim) pair status reduce_only
  subscriptionNotFound: 'Subscription not found', // (sim) unsubscribe without a subscription
} as const;

/** `EGeneral:Invalid arguments:<detail>`. */
export function invalidArguments(detail: string): string {
  return `${krakenErrors.invalidArguments}:${detail}`;
}
