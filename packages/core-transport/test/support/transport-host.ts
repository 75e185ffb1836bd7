import {
  type CapturingLogger,
  createCapturingLogger,
  startTestHost,
  type TestHost,
} from '@krakenkit/host/testing';
import { systemClock } from '@krakenkit/plugin-api';
import type { Sim } from '@krakenkit/sim';
import { waitUntil } from '@krakenkit/test-support';
import { coreTransportPlugin } from '../../src/core-transport-plugin.js';

/** A host with core-transport pointed at the sim, on real time, with fast test timings. */
export async function startTransport(
  sim: Sim,
  overrides: Record<string, unknown> = {},
): Promise<TestHost & { capture: CapturingLogger }> {
  const capture = createCapturingLogger({ level: 'debug' });
  const host = await startTestHost({
    plugins: [coreTransportPlugin],
    clock: systemClock,
    logger: capture.logger,
    config: {
      'core-transport': {
        publicUrl: sim.urls.publicWs,
        privateUrl: sim.urls.privateWs,
        restUrl: sim.urls.rest,
        allowInsecureLoopback: true,
        reconnect: { baseDelayMs: 50, maxDelayMs: 200, stableAfterMs: 60_000, restrictedMinDelayMs: 200 },
        ...overrides,
      },
    },
  });
  return Object.assign(host, { capture });
}

/** Resolves when `condition` holds (see `waitUntil`). */
export function until(condition: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  return waitUntil(condition, { timeoutMs, what });
}
