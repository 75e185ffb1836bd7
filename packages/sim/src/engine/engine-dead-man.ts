import { invalidArguments } from '../sim-errors.js';
import type { CommandResult } from '../sim-types.js';
import type { EngineAccount } from './engine-account.js';
import { cancelEverything } from './engine-cancel.js';
import { fail, ok, preamble } from './engine-command.js';
import { closeReasons } from './engine-reasons.js';
import type { EngineState } from './engine-state.js';
import { cancelTimer, scheduleAt } from './engine-timers.js';

/** `timeout` must stay below one day (PROTOCOL §3.3). */
export const deadManLimitSeconds = 86_400;

function disarm(state: EngineState, account: EngineAccount): void {
  if (account.deadMan.timer) cancelTimer(state.context.clock, account.deadMan.timer);
  account.deadMan.timer = undefined;
  account.deadMan.triggerAt = 0;
}

/**
 * The dead man's switch fired: every order of the account is cancelled and the switch
 * stays off until re-armed. If it fires while the engine is in maintenance (nothing can be
 * cancelled then), the cancellation happens as soon as the engine is back, as Kraken
 * describes ("all orders are cancelled when the engine returns from any downtime").
 */
function fire(state: EngineState, account: EngineAccount): void {
  account.deadMan.timer = undefined;
  account.deadMan.triggerAt = 0;
  if (state.context.status.current === 'maintenance') {
    account.deadMan.firePending = true;
    return;
  }
  state.context.stats.count('engine.dead_man_fired');
  cancelEverything(state, account, closeReasons.deadManSwitch, false);
}

/** After maintenance: cancel for switches that fired meanwhile. */
export function deadManAfterStatusChange(state: EngineState): void {
  if (state.context.status.current === 'maintenance') return;
  for (const account of state.accounts.values()) {
    if (!account.deadMan.firePending) continue;
    account.deadMan.firePending = false;
    state.queue.command(() => cancelEverything(state, account, closeReasons.deadManSwitch, false));
  }
}

/** CancelAllOrdersAfter / cancel_all_orders_after: (re)arms, or disarms with 0. */
export function cancelAllOrdersAfter(
  state: EngineState,
  accountId: string,
  timeoutSeconds: number,
): CommandResult<{ now: number; triggerAt: number }> {
  return state.queue.command(() => {
    const start = preamble(state, accountId, 'dead-man', undefined);
    if (!start.ok) return fail(start.error);
    const { account } = start;
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 0 || timeoutSeconds >= deadManLimitSeconds) {
      return fail(invalidArguments('timeout'));
    }
    disarm(state, account);
    account.deadMan.firePending = false;
    const now = state.now();
    if (timeoutSeconds === 0) return ok({ now, triggerAt: 0 });
    const triggerAt = now + timeoutSeconds * 1000;
    account.deadMan.triggerAt = triggerAt;
    account.deadMan.timer = scheduleAt(state.context.clock, triggerAt, () =>
      state.queue.command(() => fire(state, account)),
    );
    return ok({ now, triggerAt });
  });
}

/** Engine shutdown: no timer may outlive the sim. */
export function stopDeadMen(state: EngineState): void {
  for (const account of state.accounts.values()) disarm(state, account);
}
