import type { Tier } from '../sim-types.js';

/** Per-tier matching-engine limits (PROTOCOL §4.2). */
export interface TierLimits {
  /** Counter decay per second. */
  decayPerSecond: number;
  /** Counter threshold: a transaction that would take the counter above it is refused. */
  threshold: number;
  /** Open orders per pair. */
  maxOpenOrders: number;
}

export const tierLimits: Readonly<Record<Tier, TierLimits>> = {
  starter: { decayPerSecond: 1, threshold: 60, maxOpenOrders: 60 },
  intermediate: { decayPerSecond: 2.34, threshold: 125, maxOpenOrders: 80 },
  pro: { decayPerSecond: 3.75, threshold: 180, maxOpenOrders: 225 },
};

/** Age brackets (upper bounds, exclusive, in ms) of the penalty table, then ≥ 300 s. */
const brackets = [5_000, 10_000, 15_000, 45_000, 90_000, 300_000] as const;

// Penalty per bracket: <5 s, <10 s, <15 s, <45 s, <90 s, <300 s, ≥300 s (PROTOCOL §4.2).
const penalties = {
  amend: [3, 2, 1, 0, 0, 0, 0],
  edit: [6, 5, 4, 2, 1, 0, 0],
  cancel: [8, 6, 5, 4, 2, 1, 0],
} as const;

/** Fixed cost on receipt, charged even when the transaction then fails. */
export const fixedCosts = { add: 1, amend: 1, edit: 1, cancel: 0 } as const;

/** Fixed cost of a batch add: half a unit per order. */
export function batchAddCost(orders: number): number {
  return orders / 2;
}

/** The age penalty of an amend, edit or cancel of an order created or last amended `ageMs` ago. */
export function agePenalty(kind: keyof typeof penalties, ageMs: number): number {
  const table = penalties[kind];
  let index = brackets.findIndex((limit) => ageMs < limit);
  if (index < 0) index = brackets.length;
  return table[index] ?? 0;
}

interface CounterState {
  value: number;
  /** Monotonic ms of the last update (decay is computed lazily from it). */
  at: number;
}

/**
 * The transaction rate counters, one per account and pair, shared by REST and WS: each
 * transaction adds its cost, the counter decays continuously at the tier's rate (on the
 * monotonic clock, so a server clock offset does not move it). `enforce: false`
 * (`limits.tradingCounter`) keeps counting but never refuses.
 */
export class TradingRateCounter {
  readonly #counters = new Map<string, CounterState>();

  constructor(
    private readonly now: () => number,
    private readonly enforce: boolean,
  ) {}

  /** The decayed counter value now. */
  value(accountId: string, symbol: string, tier: Tier): number {
    const state = this.#counters.get(`${accountId}\u0000${symbol}`);
    if (!state) return 0;
    const elapsed = Math.max(0, this.now() - state.at) / 1000;
    return Math.max(0, state.value - elapsed * tierLimits[tier].decayPerSecond);
  }

  /** Adds `cost` unconditionally (fixed costs on receipt; batch cancels that may exceed). */
  add(accountId: string, symbol: string, tier: Tier, cost: number): void {
    const value = this.value(accountId, symbol, tier) + cost;
    this.#counters.set(`${accountId}\u0000${symbol}`, { value, at: this.now() });
  }

  /** Whether adding `cost` now would take the counter above the tier's threshold. */
  wouldExceed(accountId: string, symbol: string, tier: Tier, cost: number): boolean {
    if (!this.enforce) return false;
    return this.value(accountId, symbol, tier) + cost > tierLimits[tier].threshold + 1e-9;
  }

  /** Charges `cost` if within the threshold; returns false (charging nothing) otherwise. */
  tryAdd(accountId: string, symbol: string, tier: Tier, cost: number): boolean {
    if (this.wouldExceed(accountId, symbol, tier, cost)) return false;
    this.add(accountId, symbol, tier, cost);
    return true;
  }
}
