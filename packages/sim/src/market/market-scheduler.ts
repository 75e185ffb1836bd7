import type { TimerHandle } from '@krakenkit/plugin-api';
import type { SimContext } from '../sim-context.js';
import type { MarketGenerator } from './market-generator.js';

/** How often the background market wakes up (events due since the last wake-up run then). */
export const flowTickMs = 100;
/** Most events one pair runs per wake-up; the rest stay due (a stalled loop catches up gradually). */
export const maxEventsPerTick = 5_000;

interface Scheduled {
  generator: MarketGenerator;
  run: () => void;
  nextAt: number;
}

/**
 * Drives the background flows from `context.clock` (one unref'd interval for all pairs).
 * Event times advance by the generators' own seeded gaps on the monotonic clock, so the
 * number of events by a given time is the same on any machine, and a virtual clock
 * replays them exactly. Market speed scales the gaps; 0 freezes the market.
 */
export class FlowScheduler {
  readonly #flows: Scheduled[];
  #timer: TimerHandle | undefined;

  constructor(
    private readonly context: SimContext,
    flows: readonly { generator: MarketGenerator; run: () => void }[],
  ) {
    this.#flows = flows.map((flow) => ({ ...flow, nextAt: 0 }));
  }

  get speed(): number {
    const { marketSpeed } = this.context;
    return Number.isFinite(marketSpeed) && marketSpeed > 0 ? marketSpeed : 0;
  }

  start(): void {
    if (this.#timer !== undefined || this.speed === 0) return;
    const now = this.context.clock.monotonic();
    for (const flow of this.#flows) {
      flow.nextAt =
        flow.generator.eventsPerSecond > 0 ? now + flow.generator.nextGapMs(this.speed) : Infinity;
    }
    this.#timer = this.context.clock.setInterval(() => this.#tick(), flowTickMs);
    this.#timer.unref();
  }

  stop(): void {
    this.context.clock.clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #tick(): void {
    const now = this.context.clock.monotonic();
    const speed = this.speed;
    for (const flow of this.#flows) {
      for (let count = 0; flow.nextAt <= now && count < maxEventsPerTick; count++) {
        try {
          flow.run();
        } catch (error) {
          this.context.reportError(error);
        }
        flow.nextAt += flow.generator.nextGapMs(speed);
      }
    }
  }
}
