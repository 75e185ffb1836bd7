import { createHost, type Host } from '@krakenkit/host';
import { type Clock, healthCheckToken, type Logger } from '@krakenkit/plugin-api';
import { uptimePlugin } from './uptime-plugin.js';

export interface DemoBotOptions {
  config?: Record<string, unknown>;
  logger?: Logger;
  clock?: Clock;
}

/** Composition root: the plugins this bot is made of, added to one host. */
export async function startDemoBot(options: DemoBotOptions = {}): Promise<Host> {
  const host = createHost({
    config: options.config ?? {},
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  host.add(uptimePlugin);
  await host.start();
  return host;
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
