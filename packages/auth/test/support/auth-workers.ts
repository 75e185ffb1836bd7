import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt as ensurePackagesBuilt, forkWorkers } from '@krakenkit/test-support';

export const packageDir = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** Child processes import the built `@krakenkit/auth` and what it depends on. */
export function ensureBuilt(): void {
  ensurePackagesBuilt({
    packageName: '@krakenkit/auth',
    files: [
      'packages/auth/dist/index.js',
      'packages/core-transport/dist/index.js',
      'packages/nonce/dist/index.js',
    ],
  });
}

export interface WorkerPlan {
  restUrl: string;
  apiKey: string;
  apiSecret: string;
  count: number;
  parallel?: number;
  method?: string;
  store: { storage: 'memory' | 'file' | 'redis'; options?: Record<string, unknown> };
}

export interface WorkersRun {
  /** From 'go' to the last worker's exit, ms. */
  wallMs: number;
  ok: number;
  /** Failed calls by error code, over all workers. */
  errors: Record<string, number>;
}

/** Forks `processes` auth workers (test/fixtures/auth-worker.mjs), starts them together, waits for all. */
export async function runAuthWorkers(processes: number, plan: WorkerPlan): Promise<WorkersRun> {
  const { wallMs, results } = await forkWorkers<WorkerPlan, { ok: number; errors: Record<string, number> }>({
    script: join(packageDir, 'test/fixtures/auth-worker.mjs'),
    count: processes,
    plan,
    cwd: packageDir,
  });
  const errors: Record<string, number> = {};
  for (const result of results) {
    for (const [code, count] of Object.entries(result.errors)) errors[code] = (errors[code] ?? 0) + count;
  }
  return { wallMs, ok: results.reduce((sum, result) => sum + result.ok, 0), errors };
}
