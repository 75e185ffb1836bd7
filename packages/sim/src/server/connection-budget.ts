import type { SimContext } from '../sim-context.js';

/**
 * Cloudflare's limit in front of Kraken: about 150 connection attempts per rolling
 * 10 minutes per IP, then the IP is refused (HTTP 429) for 10 minutes. Counts every
 * upgrade attempt, successful or not, across the public and private endpoints.
 */
export class ConnectionBudget {
  readonly #attempts = new Map<string, number[]>();
  readonly #bannedUntil = new Map<string, number>();

  constructor(private readonly context: SimContext) {}

  /** Records an attempt; false when the IP must be refused. */
  admit(ip: string): boolean {
    const { clock, limits, stats } = this.context;
    const now = clock.monotonic();
    const banned = this.#bannedUntil.get(ip);
    if (banned !== undefined && now < banned) {
      stats.count('ws.connection_refused_banned');
      return false;
    }
    const recent = (this.#attempts.get(ip) ?? []).filter((at) => now - at < limits.connectionWindowMs);
    recent.push(now);
    this.#attempts.set(ip, recent);
    if (recent.length > limits.connectionAttempts) {
      this.#bannedUntil.set(ip, now + limits.connectionBanMs);
      stats.count('ws.connection_budget_exceeded');
      return false;
    }
    return true;
  }

  /** Control: forget all attempts and bans. */
  reset(): void {
    this.#attempts.clear();
    this.#bannedUntil.clear();
  }
}
