import { type Big, fitsPlaces, zero } from '../sim-decimal.js';
import { invalidArguments, krakenErrors } from '../sim-errors.js';
import type { CommandResult } from '../sim-types.js';
import { fail, ok } from './engine-command.js';
import type { EngineState } from './engine-state.js';

/**
 * Control: credit or debit a balance as a ledger `adjustment` (streamed on `balances`).
 * A debit may not take the balance below what open orders hold.
 */
export function adjustBalance(
  state: EngineState,
  accountId: string,
  asset: string,
  amount: Big,
): CommandResult<void> {
  const account = state.account(accountId);
  if (!account) return fail(krakenErrors.invalidKey);
  const known = state.context.catalog.assetByName(asset);
  if (!known) return fail(krakenErrors.unknownAsset);
  if (!fitsPlaces(amount, known.decimals)) return fail(invalidArguments('amount'));
  if (amount.lt('0') && account.available(known.id).plus(amount).lt('0'))
    return fail(krakenErrors.insufficientFunds);
  const entry = state.postLedger(account, {
    type: 'adjustment',
    category: 'adjustment',
    asset: known.id,
    amount,
    fee: zero,
    refId: state.nextTradeId(),
  });
  state.emitLedger(entry);
  return ok(undefined);
}
