import type { SimAccountSpec } from '../sim-accounts.js';
import { type Big, zero } from '../sim-decimal.js';
import type { LedgerEntry, SimFill, Tier } from '../sim-types.js';
import type { EngineOrder } from './engine-order.js';
import type { TimerSlot } from './engine-timers.js';

/** Dead man's switch state of one account. */
export interface DeadManState {
  timer: TimerSlot | undefined;
  /** Epoch ms; 0 = disarmed. */
  triggerAt: number;
  /** Fired during maintenance: cancels once the engine is back. */
  firePending: boolean;
}

/**
 * One account: balances (rounded to the asset's decimals), holds of its open orders, its
 * orders (all, and the open ones), fills and ledger. Mutated by the engine only.
 */
export class EngineAccount {
  readonly id: string;
  readonly tier: Tier;
  readonly permissions: SimAccountSpec['permissions'];
  readonly balances = new Map<string, Big>();
  /** Balances at start (ledger-less history for `asOf` queries before any entry). */
  readonly initial = new Map<string, Big>();
  readonly holds = new Map<string, Big>();
  /** Every order, in placement order. */
  readonly orders = new Map<string, EngineOrder>();
  /** Open orders (pending or open), in placement order. */
  readonly open = new Map<string, EngineOrder>();
  readonly fills: SimFill[] = [];
  readonly ledger: LedgerEntry[] = [];
  readonly deadMan: DeadManState = { timer: undefined, triggerAt: 0, firePending: false };

  constructor(spec: SimAccountSpec, balances: ReadonlyMap<string, Big>) {
    this.id = spec.id;
    this.tier = spec.tier;
    this.permissions = spec.permissions;
    for (const [asset, amount] of balances) {
      this.balances.set(asset, amount);
      this.initial.set(asset, amount);
    }
  }

  balance(asset: string): Big {
    return this.balances.get(asset) ?? zero;
  }

  held(asset: string): Big {
    return this.holds.get(asset) ?? zero;
  }

  /** Balance not reserved by open orders. */
  available(asset: string): Big {
    return this.balance(asset).minus(this.held(asset));
  }

  /** Moves an order's hold from `previous` to `next` (same asset). */
  changeHold(asset: string, previous: Big, next: Big): void {
    if (previous.eq(next)) return;
    this.holds.set(asset, this.held(asset).minus(previous).plus(next));
  }

  /** Open orders per pair (kept by {@link EngineAccount.addOpen} / {@link EngineAccount.removeOpen}). */
  readonly #openCounts = new Map<string, number>();

  addOpen(order: EngineOrder): void {
    this.open.set(order.view.id, order);
    this.#openCounts.set(order.view.symbol, this.openOn(order.view.symbol) + 1);
  }

  removeOpen(order: EngineOrder): void {
    if (!this.open.delete(order.view.id)) return;
    this.#openCounts.set(order.view.symbol, this.openOn(order.view.symbol) - 1);
  }

  /** Open orders on one pair. */
  openOn(symbol: string): number {
    return this.#openCounts.get(symbol) ?? 0;
  }
}
