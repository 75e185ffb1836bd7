import type { SimContext } from '../sim-context.js';
import type { PublicRestApi } from '../sim-modules.js';
import type { CommandResult, SimExchange, SimTokenStore } from '../sim-types.js';
import type { RestFormatContext } from './rest-order-format.js';
import type { Params } from './rest-params.js';

/** What private REST handlers work with. */
export interface RestDeps {
  readonly context: SimContext;
  readonly format: RestFormatContext;
  readonly exchange: SimExchange;
  readonly tokens: SimTokenStore;
  readonly publicApi: PublicRestApi;
}

/** One authenticated private call. */
export interface PrivateCall {
  readonly accountId: string;
  readonly params: Params;
  /** Server time now, epoch ms. */
  readonly now: number;
  /** The state reads show (the `rest-lag` fault), epoch ms; undefined = now. */
  readonly asOf: number | undefined;
}

/**
 * A private method: its result (or Kraken error string) for a call. Handlers may throw
 * {@link RestParamError} for malformed parameters; anything else thrown is a sim bug.
 */
export type PrivateHandler = (call: PrivateCall) => CommandResult<unknown>;

/** One private REST method of the table in `rest-private.ts`. */
export interface PrivateMethod {
  /** Account reads (Balance, OpenOrders, ...): the ones the `rest-lag` fault delays. */
  readonly reads: boolean;
  readonly handle: PrivateHandler;
}

/** A handler's result, with the engine's warnings (they travel in the envelope's `error`). */
export function succeed<T>(value: T, warnings?: string[]): CommandResult<T> {
  return warnings && warnings.length > 0 ? { ok: true, value, warnings } : { ok: true, value };
}

/** A handler's Kraken error. */
export function failWith(error: string): CommandResult<never> {
  return { ok: false, error };
}

/** Kraken's REST pages: at most 50 rows per call. */
export const pageSize = 50;
