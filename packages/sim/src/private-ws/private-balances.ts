import type { SimContext } from '../sim-context.js';
import type { SimEngine } from '../sim-modules.js';
import type { LedgerEntry } from '../sim-types.js';
import { wireDecimal } from '../sim-wire.js';
import type { SimSession } from '../ws/sim-session.js';
import type { PrivateOutbox } from './private-outbox.js';
import type { Params } from './private-params.js';
import { PrivateStream } from './private-stream.js';

export const balancesFields = ['channel', 'token', 'snapshot', 'rebased', 'users'] as const;

/**
 * The `balances` channel (PROTOCOL §9.2): a snapshot of every asset the account has (one
 * spot `main` wallet each), then one update per ledger entry — a trade gives two, base and
 * quote leg, with the same `ref_id`. Amounts at the asset's decimals. Balances are totals:
 * holds of open orders are not subtracted (that is REST BalanceEx's `hold_trade`).
 */
export class BalancesChannel {
  readonly #byAccount = new Map<string, Set<PrivateStream>>();
  readonly #byConnection = new Map<string, PrivateStream>();

  constructor(
    private readonly context: SimContext,
    private readonly engine: SimEngine,
    private readonly outbox: PrivateOutbox,
  ) {
    context.events.on('ledger-entry', (entry) => this.#onLedger(entry));
  }

  isSubscribed(session: SimSession): boolean {
    return this.#byConnection.has(session.connectionId);
  }

  subscribe(
    session: SimSession,
    accountId: string,
    params: Params,
  ): { result: Record<string, unknown>; sendSnapshot: () => void } {
    const snapshot = params.boolean('snapshot') ?? true;
    params.boolean('rebased');
    params.string('users');
    const stream = new PrivateStream(session, accountId, 'balances', this.context);
    this.#byConnection.set(session.connectionId, stream);
    let set = this.#byAccount.get(accountId);
    if (!set) {
      set = new Set();
      this.#byAccount.set(accountId, set);
    }
    set.add(stream);
    return {
      result: { channel: 'balances', snapshot },
      sendSnapshot: () => {
        if (snapshot) stream.snapshot(this.#snapshot(accountId));
      },
    };
  }

  unsubscribe(session: SimSession): boolean {
    const stream = this.#byConnection.get(session.connectionId);
    if (!stream) return false;
    stream.close();
    this.#byConnection.delete(session.connectionId);
    this.#byAccount.get(stream.accountId)?.delete(stream);
    return true;
  }

  #amount(value: LedgerEntry['amount'], asset: string) {
    return wireDecimal(value, this.context.catalog.asset(asset)?.decimals ?? 10, this.context.numberFormat);
  }

  #snapshot(accountId: string): unknown[] {
    const data: unknown[] = [];
    for (const [asset, view] of this.engine.balances(accountId)) {
      const balance = this.#amount(view.balance, asset);
      data.push({
        asset,
        asset_class: 'currency',
        balance,
        wallets: [{ type: 'spot', id: 'main', balance }],
      });
    }
    return data;
  }

  #onLedger(entry: LedgerEntry): void {
    const streams = this.#byAccount.get(entry.accountId);
    if (!streams || streams.size === 0) return;
    const update = {
      ledger_id: entry.id,
      ref_id: entry.refId,
      timestamp: this.context.clock.timestamp(entry.time),
      type: entry.type,
      asset: entry.asset,
      asset_class: 'currency',
      category: entry.category,
      wallet_type: 'spot',
      wallet_id: 'main',
      amount: this.#amount(entry.amount, entry.asset),
      fee: this.#amount(entry.fee, entry.asset),
      balance: this.#amount(entry.balance, entry.asset),
    };
    for (const stream of streams) this.outbox.send(() => stream.update([update]));
  }
}
