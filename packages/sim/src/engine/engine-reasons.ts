/**
 * `reason` texts of engine-initiated closes. Only `User requested` is seen in captured
 * Kraken traffic; the others are the sim's choice (Kraken documents no texts), kept short
 * and descriptive.
 */
export const closeReasons = {
  userRequested: 'User requested',
  /** (sim) a post-only order that would have taken liquidity on arrival. */
  postOnly: 'Post only order',
  /** (sim) unfilled remainder of an IOC order (and of a market order). */
  immediateOrCancel: 'Immediate or cancel',
  /** (sim) a fill-or-kill order the book could not fill completely. */
  fillOrKill: 'Fill or kill: insufficient liquidity',
  /** (sim) a market order the book could not fill completely. */
  insufficientLiquidity: 'Insufficient liquidity',
  /** (sim) a triggered or scheduled order the account could no longer pay for. */
  insufficientFunds: 'Insufficient funds',
  /** (sim) removed by self-trade prevention. */
  selfTrade: 'Self trade prevention',
  /** (sim) GTD expiry. */
  expired: 'Order expired',
  /** (sim) the dead man's switch fired. */
  deadManSwitch: 'Cancel all orders after timeout',
  /** (sim) replaced by edit_order / EditOrder. */
  replaced: 'Order replaced',
  /** (sim) conditional close could not be placed. */
  conditionalFailed: 'Conditional close rejected',
} as const;
