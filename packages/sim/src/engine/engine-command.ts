import { type Big, Decimal } from '../sim-decimal.js';
import { krakenErrors } from '../sim-errors.js';
import type { SimPair } from '../sim-pairs.js';
import type { CommandResult } from '../sim-types.js';
import type { EngineAccount } from './engine-account.js';
import { type CommandKind, type GatedOrder, gatePair, gateSystem } from './engine-gate.js';
import { roundToTick } from './engine-prices.js';
import type { EngineState } from './engine-state.js';

const two = new Decimal('2');

export function fail<T>(error: string): CommandResult<T> {
  return { ok: false, error };
}

export function ok<T>(value: T): CommandResult<T> {
  return { ok: true, value };
}

/**
 * The reference price for relative prices and market-order checks: the last trade, else
 * the book's mid (on the tick), else whichever side exists.
 */
export function referencePrice(state: EngineState, pair: SimPair): Big | undefined {
  const last = state.market.lastPrice(pair.symbol);
  if (last) return last;
  const book = state.market.book(pair.symbol);
  const bid = book.bestBid();
  const ask = book.bestAsk();
  if (bid && ask) return roundToTick(bid.plus(ask).div(two), pair);
  return bid ?? ask;
}

/**
 * The checks every trading command starts with, in Kraken's order as far as it is known:
 * account and permission (over WS nobody else checks: a token only proves the account),
 * system status, pair. Returns the account and pair, or the error.
 */
export function preamble(
  state: EngineState,
  accountId: string,
  kind: CommandKind,
  symbol: string | undefined,
  order?: GatedOrder,
): { ok: true; account: EngineAccount; pair: SimPair | undefined } | { ok: false; error: string } {
  const account = state.account(accountId);
  if (!account) return { ok: false, error: krakenErrors.invalidKey };
  const { trade, cancel } = account.permissions;
  const permitted = kind === 'cancel' || kind === 'dead-man' ? trade || cancel : trade;
  if (!permitted) return { ok: false, error: krakenErrors.permissionDenied };
  const gated = gateSystem(state.context.status.current, kind, order);
  if (gated) return { ok: false, error: gated };
  if (symbol === undefined) return { ok: true, account, pair: undefined };
  const pair = state.context.catalog.bySymbol(symbol);
  if (!pair) return { ok: false, error: krakenErrors.unknownPair };
  return { ok: true, account, pair };
}

/**
 * Charges a transaction's fixed cost on receipt (PROTOCOL §4.2: even if it then fails)
 * and says whether it went over the threshold (then the transaction is refused).
 */
export function chargeFixed(
  state: EngineState,
  account: EngineAccount,
  symbol: string,
  cost: number,
): string | undefined {
  const exceeded = state.rates.wouldExceed(account.id, symbol, account.tier, cost);
  state.rates.add(account.id, symbol, account.tier, cost);
  if (!exceeded) return undefined;
  state.context.stats.count('engine.trading_rate_limited');
  return krakenErrors.tradingRateLimit;
}

/** Pair status and the request deadline, after the rate charge. */
export function pairAndDeadline(
  state: EngineState,
  pair: SimPair,
  kind: CommandKind,
  order: GatedOrder | undefined,
  deadline: number | undefined,
): string | undefined {
  const gated = gatePair(pair, kind, order);
  if (gated) return gated;
  if (deadline !== undefined && deadline <= state.now()) return krakenErrors.deadlineElapsed;
  return undefined;
}
