import {
  HttpResponseError,
  HttpStatusError,
  HttpTransportError,
  KrakenApiError,
  type KrakenErrorKind,
} from '@krakenkit/core-transport';
import { AuthError, type AuthProblem, OutcomeUnknownError } from './auth-errors.js';

/**
 * Private methods that change state at Kraken. A call to one of them is never repeated
 * after a failure that leaves its outcome open; `PrivateCallOptions.stateChanging`
 * overrides this for a single call (e.g. a method added by Kraken later).
 */
export const stateChangingMethods: ReadonlySet<string> = new Set([
  'AddOrder',
  'AddOrderBatch',
  'AmendOrder',
  'EditOrder',
  'CancelOrder',
  'CancelAll',
  'CancelOrderBatch',
  'CancelAllOrdersAfter',
  'Withdraw',
  'WithdrawCancel',
  'WalletTransfer',
  'AccountTransfer',
  'CreateSubaccount',
  'AddExport',
  'RemoveExport',
  'Stake',
  'Unstake',
  'Allocate',
  'Deallocate',
]);

/** Kraken errors that are about the key itself: never retried, reported as {@link AuthError}. */
const authProblems: Partial<Record<KrakenErrorKind, Exclude<AuthProblem, 'circuit-open'>>> = {
  'invalid-key': 'invalid-key',
  'invalid-signature': 'invalid-signature',
  'permission-denied': 'permission-denied',
  lockout: 'lockout',
};

/** What to do after a failed attempt. */
export type FailureDecision =
  | { action: 'retry'; reason: string }
  | { action: 'invalid-nonce' }
  | { action: 'throw'; error: unknown };

/**
 * The retry policy of a signed call, in one place. Kraken errors are classified by
 * core-transport (`KrakenApiError.kind`, `retryable`, `outcomeUnknown`); this decides:
 *
 * - `EAPI:Invalid nonce`: the caller raises the nonce floor and retries once (for every
 *   call: Kraken checks the nonce before executing anything).
 * - Key problems (invalid key, invalid signature, permission denied, lockout): never
 *   retried; thrown as {@link AuthError}.
 * - Reads: retried with backoff on `EService:Busy`/`Unavailable`, `EGeneral:Internal
 *   error`, HTTP 5xx/429 and transport failures (a read has no effect to duplicate).
 *   Rate-limit errors are not retried here: waiting for the counter to decay is the caller's
 *   pacing decision.
 * - State-changing calls: never retried. A request that provably never left is thrown as is
 *   (it did not happen); a Kraken rejection is thrown as is; anything that leaves the
 *   outcome open (timeout, reset, HTTP 5xx/429, non-JSON answer, `EService:*`,
 *   `EGeneral:Internal error`, unknown errors) becomes {@link OutcomeUnknownError}.
 */
export function decideFailure(error: unknown, method: string, stateChanging: boolean): FailureDecision {
  if (error instanceof KrakenApiError) {
    if (error.kind === 'invalid-nonce') return { action: 'invalid-nonce' };
    const problem = authProblems[error.kind];
    if (problem !== undefined) {
      return {
        action: 'throw',
        error: new AuthError(problem, { method, krakenError: error.krakenError, cause: error }),
      };
    }
    if (stateChanging) {
      return error.outcomeUnknown
        ? { action: 'throw', error: new OutcomeUnknownError(method, error.krakenError, { cause: error }) }
        : { action: 'throw', error };
    }
    return error.retryable && error.kind !== 'rate-limit'
      ? { action: 'retry', reason: error.kind }
      : { action: 'throw', error };
  }
  if (error instanceof HttpTransportError) {
    if (!stateChanging) return { action: 'retry', reason: error.sent === false ? 'not-sent' : 'transport' };
    return error.sent === false
      ? { action: 'throw', error }
      : { action: 'throw', error: new OutcomeUnknownError(method, 'no answer', { cause: error }) };
  }
  if (error instanceof HttpStatusError) {
    if (stateChanging) {
      return {
        action: 'throw',
        error: new OutcomeUnknownError(method, `HTTP ${error.status}`, { cause: error }),
      };
    }
    return error.retryable ? { action: 'retry', reason: `http-${error.status}` } : { action: 'throw', error };
  }
  if (error instanceof HttpResponseError && stateChanging) {
    return { action: 'throw', error: new OutcomeUnknownError(method, 'unreadable answer', { cause: error }) };
  }
  return { action: 'throw', error };
}
