import { coreTransportPlugin } from '@krakenkit/core-transport';
import { createHost, type Host } from '@krakenkit/host';
import { healthCheckToken, type Logger } from '@krakenkit/plugin-api';
import { type Sim, startSim } from '@krakenkit/sim';
import { marketWatchPlugin } from './market-watch-plugin.js';

export interface DemoBotOptions {
  /** `sim` (default): start a local Kraken exchange in-process. `live`: the real Kraken (manual use only). */
  mode?: 'sim' | 'live';
  /** Plugin config beyond what the mode sets (keyed by plugin id). */
  config?: Record<string, Record<string, unknown>>;
  logger?: Logger;
  seed?: number;
}

export interface DemoBot {
  readonly host: Host;
  readonly sim: Sim | undefined;
  stop(): Promise<void>;
}

/** Composition root: the exchange (sim or live), the plugins the bot is made of, one host. */
export async function startDemoBot(options: DemoBotOptions = {}): Promise<DemoBot> {
  const sim = options.mode === 'live' ? undefined : await startSim({ seed: options.seed ?? 1 });
  const transport = sim
    ? {
        publicUrl: sim.urls.publicWs,
        privateUrl: sim.urls.privateWs,
        restUrl: sim.urls.rest,
        allowInsecureLoopback: true,
      }
    : {};
  const host = createHost({
    config: {
      ...options.config,
      'core-transport': { ...transport, ...options.config?.['core-transport'] },
    },
    ...(options.logger ? { logger: options.logger } : {}),
  });
  host.add(coreTransportPlugin).add(marketWatchPlugin);
  try {
    await host.start();
  } catch (error) {
    await sim?.close();
    throw error;
  }
  return {
    host,
    sim,
    stop: async () => {
      try {
        await host.stop();
      } finally {
        await sim?.close();
      }
    },
  };
}

/** One line per health check, for the console. */
export async function describeHealth(host: Host): Promise<string[]> {
  return Promise.all(
    host.get(healthCheckToken).map(async (check) => {
      const report = await check.check();
      return `${check.name}: ${report.status}${report.message ? ` (${report.message})` : ''}`;
    }),
  );
}
