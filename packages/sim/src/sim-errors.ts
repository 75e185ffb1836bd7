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
} as const;

/** `EGeneral:Invalid arguments:<detail>`. */
export function invalidArguments(detail: string): string {
  return `${krakenErrors.invalidArguments}:${detail}`;
}
