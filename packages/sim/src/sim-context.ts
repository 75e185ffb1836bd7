import { createSeededRandom, type Random } from '@krakenkit/plugin-api';
import type { SimClock } from './sim-clock.js';
import { SimEvents } from './sim-events.js';
import { FaultInjector } from './sim-faults.js';
import { type SimAsset, type SimPair, SimPairCatalog } from './sim-pairs.js';
import { SimStats } from './sim-stats.js';
import { SimStatus } from './sim-status.js';

export interface SimLimits {
  /** Connection attempts per IP in the rolling window before HTTP 429 (Cloudflare: ~150 / 10 min). */
  connectionAttempts: number;
  connectionWindowMs: number;
  /** How long an IP stays refused after exceeding the budget (Cloudflare: 10 min). */
  connectionBanMs: number;
  /** Inbound messages per second per connection (burst = 2 s worth) before `Exceeded msg rate`. */
  wsMessagesPerSecond: number;
  /** Largest inbound frame; bigger frames close the connection with 1009. */
  maxInboundFrameBytes: number;
  /** Close a connection after this long without any client message (Kraken: about a minute). */
  idleTimeoutMs: number;
  /** Enforce the REST API call counter per key. */
  restCounter: boolean;
  /** Enforce the per-pair trading rate counter. */
  tradingCounter: boolean;
  /** Failed auth attempts per key (invalid nonce/signature) in `lockoutWindowMs` before lockout. */
  lockoutThreshold: number;
  lockoutWindowMs: number;
  lockoutMs: number;
}

export const defaultLimits: SimLimits = {
  connectionAttempts: 150,
  connectionWindowMs: 10 * 60_000,
  connectionBanMs: 10 * 60_000,
  wsMessagesPerSecond: 50,
  maxInboundFrameBytes: 1 << 20,
  idleTimeoutMs: 60_000,
  restCounter: true,
  tradingCounter: true,
  lockoutThreshold: 15,
  lockoutWindowMs: 5 * 60_000,
  lockoutMs: 15 * 60_000,
};

/** Everything the sim's modules share. */
export interface SimContext {
  readonly seed: string;
  readonly clock: SimClock;
  /** Seeded; derive per-purpose generators with {@link deriveRandom}. */
  readonly random: Random;
  readonly catalog: SimPairCatalog;
  readonly events: SimEvents;
  readonly status: SimStatus;
  readonly faults: FaultInjector;
  readonly stats: SimStats;
  readonly limits: SimLimits;
  /** `padded` writes every price/qty with the pair's precision (`0.5660`); `trimmed` drops trailing zeros (`0.566`), like Kraken's doc examples. */
  readonly numberFormat: 'padded' | 'trimmed';
  /** Multiplies the background market's event and trade rates. 0 freezes it. */
  readonly marketSpeed: number;
  /** A bug inside the sim: recorded (see `sim.internalErrors`), never thrown at a client. */
  reportError(error: unknown): void;
}

/** Builds the shared context (seeded generators derived from `seed`; limits over Kraken's defaults). */
export function createSimContext(options: {
  seed: string;
  clock: SimClock;
  pairs: readonly SimPair[];
  assets: readonly SimAsset[];
  limits?: Partial<SimLimits>;
  numberFormat?: 'padded' | 'trimmed';
  marketSpeed?: number;
  reportError: (error: unknown) => void;
}): SimContext {
  const { seed, clock } = options;
  const events = new SimEvents();
  return {
    seed,
    clock,
    random: createSeededRandom(`${seed}:sim`),
    catalog: new SimPairCatalog(options.pairs, options.assets),
    events,
    status: new SimStatus(events),
    faults: new FaultInjector(clock, createSeededRandom(`${seed}:faults`)),
    stats: new SimStats(),
    limits: { ...defaultLimits, ...options.limits },
    numberFormat: options.numberFormat ?? 'padded',
    marketSpeed: options.marketSpeed ?? 1,
    reportError: options.reportError,
  };
}
