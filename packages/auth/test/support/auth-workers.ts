import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageDir = join(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Child processes import the built packages (`@krakenkit/auth` resolves to dist through the
 * package's own exports). Turbo builds them before `test`; running vitest directly builds here.
 */
export function ensureBuilt(): void {
  const built = ['dist/index.js', '../core-transport/dist/index.js', '../nonce/dist/index.js'].every((file) =>
    existsSync(join(packageDir, file)),
  );
  if (!built) {
    execFileSync('pnpm', ['turbo', 'run', 'build', '--filter=@krakenkit/auth', '--output-logs=errors-only'], {
      cwd: join(packageDir, '../..'),
    });
  }
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

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'done'; elapsedMs: number; ok: number; errors: Record<string, number> };

/** Forks `processes` workers, sends each its plan over IPC, starts them together, waits for all. */
export async function runAuthWorkers(processes: number, plan: WorkerPlan): Promise<WorkersRun> {
  const script = join(packageDir, 'test/fixtures/auth-worker.mjs');
  const children: ChildProcess[] = [];
  const ready: Promise<void>[] = [];
  const done: Promise<WorkerMessage & { type: 'done' }>[] = [];
  for (let index = 0; index < processes; index++) {
    // Not the test runner's flags (its 'source' condition would load TypeScript sources).
    const child = fork(script, [], {
      cwd: packageDir,
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(child);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    ready.push(
      new Promise<void>((resolve, reject) => {
        child.on('message', (message: WorkerMessage) => message.type === 'ready' && resolve());
        void exited.then((code) => reject(new Error(`auth worker exited with ${code} before it was ready`)));
      }),
    );
    done.push(
      new Promise((resolve, reject) => {
        let result: (WorkerMessage & { type: 'done' }) | undefined;
        child.on('message', (message: WorkerMessage) => {
          if (message.type === 'done') result = message;
        });
        void exited.then((code) =>
          code === 0 && result ? resolve(result) : reject(new Error(`auth worker exited with ${code}`)),
        );
      }),
    );
    child.send(plan);
  }
  for (const promise of [...ready, ...done]) promise.catch(() => undefined);
  try {
    await Promise.all(ready);
    const started = performance.now();
    for (const child of children) child.send('go');
    const results = await Promise.all(done);
    const errors: Record<string, number> = {};
    for (const result of results)
      for (const [code, count] of Object.entries(result.errors)) errors[code] = (errors[code] ?? 0) + count;
    return {
      wallMs: performance.now() - started,
      ok: results.reduce((sum, result) => sum + result.ok, 0),
      errors,
    };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  }
}
