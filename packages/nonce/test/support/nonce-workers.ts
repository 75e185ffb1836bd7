import { join } from 'node:path';
import { forkWorkers } from '@krakenkit/test-support';
import { packageDir } from './nonce-build.js';

export interface WorkerPlan {
  store: { storage: 'memory' | 'file' | 'redis'; options?: Record<string, unknown> };
  apiKey: string;
  count: number;
  parallel?: number;
  resultPath?: string;
  scale?: 'ms' | 'us' | 'ns';
}

export interface WorkersRun {
  /** From the 'go' message to the last worker's exit, in ms. */
  wallMs: number;
  /** Each worker's own time from 'go' to its last nonce. */
  workerMs: number[];
}

/** Forks `processes` nonce workers (test/fixtures/nonce-worker.mjs), starts them together, waits for all. */
export async function runNonceWorkers(processes: number, plan: WorkerPlan): Promise<WorkersRun> {
  const { wallMs, results } = await forkWorkers<WorkerPlan, { elapsedMs: number }>({
    script: join(packageDir, 'test/fixtures/nonce-worker.mjs'),
    count: processes,
    plan,
    cwd: packageDir,
  });
  return { wallMs, workerMs: results.map((result) => result.elapsedMs) };
}
