import { createVirtualClock, type VirtualClock } from '@krakenkit/host/testing';
import { SimClock } from '../../src/sim-clock.js';
import { createSimContext, type SimContext, type SimLimits } from '../../src/sim-context.js';
import { defaultAssets, defaultPairs, type SimPair } from '../../src/sim-pairs.js';

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
    limits?: Partial<SimLimits>;
  } = {},
): MarketTestContext {
  const clock = createVirtualClock();
  const errors: unknown[] = [];
  const context = createSimContext({
    seed: options.seed ?? '1',
    clock: new SimClock(clock),
    pairs: options.pairs ?? defaultPairs,
    assets: defaultAssets,
    ...(options.limits ? { limits: options.limits } : {}),
    numberFormat: options.numberFormat ?? 'padded',
    marketSpeed: options.marketSpeed ?? 1,
    reportError: (error) => errors.push(error),
  });
  return { context, clock, errors };
}
