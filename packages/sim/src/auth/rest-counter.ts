import type { SimClock } from '../sim-clock.js';
import type { Tier } from '../sim-types.js';

/** Kraken's REST API call counter limits per verification tier (PROTOCOL §4.1). */
export const restCounterTiers: Readonly<Record<Tier, { max: number; decayPerSecond: number }>> = {
  starter: { max: 15, decayPerSecond: 0.33 },
  intermediate: { max: 20, decayPerSecond: 0.5 },
  pro: { max: 20, decayPerSecond: 1 },
};

/** Trading calls use the matching engine's limiter instead (PROTOCOL §4.1). */
const exempt = new Set([
  'AddOrder',
  'AddOrderBatch',
  'AmendOrder',
  'EditOrder',
  'CancelOrder',
  'CancelAll',
  'CancelAllOrdersAfter',
  'CancelOrderBatch',
]);

/**
 * Ledger and trade-history queries. Kraken's current rate-limit page says +4 per call,
 * older versions and most SDKs +2 (PROTOCOL §12.1); the sim charges 4, the stricter figure,
 * so a client tuned against the sim stays within either.
 */
const history = new Set(['TradesHistory', 'QueryTrades', 'Ledgers', 'QueryLedgers']);

/** What one call adds to the counter: 0 for trading calls, 4 for history queries, else 1. */
export function restCallCost(method: string): number {
  if (exempt.has(method)) return 0;
  return history.has(method) ? 4 : 1;
}

/** Counter values are kept in millionths so decay stays exact integer arithmetic. */
const unit = 1_000_000;

/**
 * One API key's REST call counter. It decays continuously by the tier's rate (on the
 * clock's monotonic time, immune to server-clock offsets). A call is refused when its cost
 * would take the counter above the tier's maximum; a refused call sets the counter to the
 * maximum, so a client that keeps calling keeps being refused ("longer if you keep calling")
 * and one that waits `cost / decay` seconds gets through.
 */
export class RestCallCounter {
  #value = 0;
  #at: number;
  readonly #max: number;
  /** Decay in millionths per millisecond (0.33/s → 330). */
  readonly #decayPerMs: number;

  constructor(
    private readonly clock: SimClock,
    tier: Tier,
  ) {
    const limits = restCounterTiers[tier];
    this.#max = limits.max * unit;
    this.#decayPerMs = Math.round(limits.decayPerSecond * 1000);
    this.#at = clock.monotonic();
  }

  /** The counter now, in calls (e.g. 19.5). */
  get value(): number {
    this.#decay();
    return this.#value / unit;
  }

  /** Charges a call; false (and the counter at its maximum) when it would exceed the maximum. */
  charge(cost: number): boolean {
    if (cost <= 0) return true;
    this.#decay();
    const next = this.#value + cost * unit;
    if (next > this.#max) {
      this.#value = this.#max;
      return false;
    }
    this.#value = next;
    return true;
  }

  #decay(): void {
    const now = this.clock.monotonic();
    const elapsed = now - this.#at;
    this.#at = now;
    if (elapsed > 0) this.#value = Math.max(0, this.#value - Math.round(elapsed * this.#decayPerMs));
  }
}
