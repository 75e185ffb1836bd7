import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
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

type WorkerMessage = { type: 'ready' } | { type: 'done'; elapsedMs: number };

/** Forks `processes` workers, starts them together once all are ready, and waits for all. */
export async function runNonceWorkers(processes: number, plan: WorkerPlan): Promise<WorkersRun> {
  const script = join(packageDir, 'test/fixtures/nonce-worker.mjs');
  const children: ChildProcess[] = [];
  const ready: Promise<void>[] = [];
  const done: Promise<number>[] = [];
  for (let index = 0; index < processes; index++) {
    const child = fork(script, [JSON.stringify(plan)], {
      cwd: packageDir,
      // Not the test runner's flags (its 'source' condition would load TypeScript sources).
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(child);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    ready.push(
      new Promise<void>((resolve, reject) => {
        child.on('message', (message: WorkerMessage) => message.type === 'ready' && resolve());
        void exited.then((code) => reject(new Error(`nonce worker exited with ${code} before it was ready`)));
      }),
    );
    done.push(
      new Promise<number>((resolve, reject) => {
        let elapsed: number | undefined;
        child.on('message', (message: WorkerMessage) => {
          if (message.type === 'done') elapsed = message.elapsedMs;
        });
        void exited.then((code) =>
          code === 0 && elapsed !== undefined
            ? resolve(elapsed)
            : reject(new Error(`nonce worker exited with ${code}`)),
        );
      }),
    );
  }
  // A worker that dies early rejects both; only the first failure is reported.
  for (const promise of [...ready, ...done]) promise.catch(() => undefined);
  try {
    await Promise.all(ready);
    const started = performance.now();
    for (const child of children) child.send('go');
    const workerMs = await Promise.all(done);
    return { wallMs: performance.now() - started, workerMs };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  }
}
