import { createVirtualClock, type VirtualClock } from '@krakenkit/host/testing';
import { createSeededRandom } from '@krakenkit/plugin-api';
import { SimClock } from '../../src/sim-clock.js';
import { defaultLimits, type SimContext } from '../../src/sim-context.js';
import { SimEvents } from '../../src/sim-events.js';
import { FaultInjector } from '../../src/sim-faults.js';
import { defaultAssets, defaultPairs, type SimPair, SimPairCatalog } from '../../src/sim-pairs.js';
import { SimStats } from '../../src/sim-stats.js';
import { SimStatus } from '../../src/sim-status.js';

export interface MarketTestContext {
  context: SimContext;
  clock: VirtualClock;
  errors: unknown[];
}

/** A sim context on a virtual clock, for unit tests of the market and its feeds (no sockets). */
export function createMarketTestContext(
  options: {
    seed?: string;
    pairs?: readonly SimPair[];
    marketSpeed?: number;
    numberFormat?: 'padded' | 'trimmed';
  } = {},
): MarketTestContext {
  const clock = createVirtualClock();
  const simClock = new SimClock(clock);
  const events = new SimEvents();
  const errors: unknown[] = [];
  const seed = options.seed ?? '1';
  const context: SimContext = {
    seed,
    clock: simClock,
    random: createSeededRandom(`${seed}:sim`),
    catalog: new SimPairCatalog(options.pairs ?? defaultPairs, defaultAssets),
    events,
    status: new SimStatus(events),
    faults: new FaultInjector(simClock, createSeededRandom(`${seed}:faults`)),
    stats: new SimStats(),
    limits: defaultLimits,
    numberFormat: options.numberFormat ?? 'padded',
    marketSpeed: options.marketSpeed ?? 1,
    reportError: (error) => errors.push(error),
  };
  return { context, clock, errors };
}
