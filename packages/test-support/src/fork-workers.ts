import { type ChildProcess, fork } from 'node:child_process';

export interface ForkWorkersOptions<TPlan> {
  /** The worker script (`.mjs` importing built packages). */
  script: string;
  count: number;
  /** Sent to every worker over IPC before `go`. */
  plan: TPlan;
  cwd: string;
}

export interface WorkersResult<TDone> {
  /** From `go` to the last worker's exit, ms. */
  wallMs: number;
  /** Each worker's `done` message, in worker order. */
  results: TDone[];
}

type WorkerMessage<TDone> = { type: 'ready' } | ({ type: 'done' } & TDone);

/**
 * Forks `count` workers. Protocol: the parent sends `{ type: 'plan', plan }`; each worker
 * answers `{ type: 'ready' }`; once all are ready the parent sends `'go'`; each worker sends
 * `{ type: 'done', ... }` and exits 0. Any early exit fails the run; stragglers are killed.
 */
export async function forkWorkers<TPlan, TDone extends object>(
  options: ForkWorkersOptions<TPlan>,
): Promise<WorkersResult<TDone>> {
  const children: ChildProcess[] = [];
  const ready: Promise<void>[] = [];
  const done: Promise<TDone>[] = [];
  for (let index = 0; index < options.count; index++) {
    // Not the test runner's flags (its 'source' condition would load TypeScript sources).
    const child = fork(options.script, [], {
      cwd: options.cwd,
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(child);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    ready.push(
      new Promise<void>((resolve, reject) => {
        child.on('message', (message: WorkerMessage<TDone>) => message.type === 'ready' && resolve());
        void exited.then((code) =>
          reject(new Error(`worker ${index} exited with ${code} before it was ready`)),
        );
      }),
    );
    done.push(
      new Promise<TDone>((resolve, reject) => {
        let result: TDone | undefined;
        child.on('message', (message: WorkerMessage<TDone>) => {
          if (message.type === 'done') result = message;
        });
        void exited.then((code) =>
          code === 0 && result !== undefined
            ? resolve(result)
            : reject(new Error(`worker ${index} exited with ${code}`)),
        );
      }),
    );
    child.send({ type: 'plan', plan: options.plan });
  }
  // A worker that dies early rejects both of its promises; report only the first failure.
  for (const promise of [...ready, ...done]) promise.catch(() => undefined);
  try {
    await Promise.all(ready);
    const started = performance.now();
    for (const child of children) child.send('go');
    const results = await Promise.all(done);
    return { wallMs: performance.now() - started, results };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  }
}
