import { krakenErrors } from '../sim-errors.js';
import type { SimPair } from '../sim-pairs.js';
import type { SystemStatus } from '../sim-types.js';

/** What a command does, for status gating. */
export type CommandKind = 'add' | 'amend' | 'edit' | 'cancel' | 'dead-man';

/** The order a command would leave live (adds, amends, edits). */
export interface GatedOrder {
  /** A post-only order with a limit price: the only kind `post_only` mode accepts. */
  postOnlyLimit: boolean;
  /** Any order with a limit price: what `limit_only` accepts. */
  limitPrice: boolean;
}

/**
 * Exchange-wide status (PROTOCOL §11.1): `maintenance` refuses every command including
 * cancels and the dead man's switch; `cancel_only` refuses adds, amends and edits;
 * `post_only` accepts only post-only limit orders (plus cancels).
 */
export function gateSystem(status: SystemStatus, kind: CommandKind, order?: GatedOrder): string | undefined {
  if (status === 'maintenance') return krakenErrors.serviceUnavailable;
  if (kind === 'cancel' || kind === 'dead-man') return undefined;
  if (status === 'cancel_only') return krakenErrors.cancelOnly;
  if (status === 'post_only' && !order?.postOnlyLimit) return krakenErrors.postOnly;
  return undefined;
}

/**
 * A pair's own status (AssetPairs / instrument): `cancel_only` and `post_only` as above,
 * `limit_only` refuses orders without a limit price, `reduce_only` refuses every spot order
 * (only margin reduce-only orders would pass, and the sim has no margin).
 */
export function gatePair(pair: SimPair, kind: CommandKind, order?: GatedOrder): string | undefined {
  if (kind === 'cancel' || kind === 'dead-man') return undefined;
  switch (pair.status) {
    case 'online':
      return undefined;
    case 'cancel_only':
      return krakenErrors.cancelOnly;
    case 'post_only':
      return order?.postOnlyLimit ? undefined : krakenErrors.postOnly;
    case 'limit_only':
      return order?.limitPrice ? undefined : krakenErrors.limitOnly;
    case 'reduce_only':
      return krakenErrors.reduceOnlyMode;
  }
}
