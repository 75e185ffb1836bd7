// Nonces per second for each store, as a ratio against a bare in-process bigint counter
// measured in the same run. Prints a table and writes bench-results/nonce.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRedisServer, startRedisServer } from '@krakenkit/test-support';
import {
  FileNonceStore,
  MemoryNonceStore,
  type NonceStore,
  RedisNonceStore,
  StoreNonceProvider,
} from '../src/index.js';
import { ensureBuilt, packageDir } from '../test/support/nonce-build.js';
import { runNonceWorkers, type WorkerPlan } from '../test/support/nonce-workers.js';

interface Row {
  name: string;
  processes: number;
  nonces: number;
  seconds: number;
  noncesPerSecond: number;
  ratioToBaseline: number;
}

const apiKey = 'bench-api-key';

/** The baseline: `last = last + 1n` in a loop, the least any nonce source must do. */
function baseline(): { nonces: number; seconds: number } {
  const nonces = 20_000_000;
  let last = 1_767_225_600_000_000_000n;
  const started = performance.now();
  for (let index = 0; index < nonces; index++) last = last + 1n;
  const seconds = (performance.now() - started) / 1_000;
  if (last === 0n) throw new Error('unreachable; keeps the loop from being optimized away');
  return { nonces, seconds };
}

async function inProcess(
  store: NonceStore,
  nonces: number,
  locked: boolean,
): Promise<{ nonces: number; seconds: number }> {
  const provider = StoreNonceProvider.create(store);
  await provider.open();
  for (let index = 0; index < Math.min(1_000, nonces); index++) await provider.next(apiKey); // warm-up
  const started = performance.now();
  for (let index = 0; index < nonces; index++) {
    if (locked) await provider.withNonce(apiKey, async (nonce) => nonce);
    else await provider.next(apiKey);
  }
  const seconds = (performance.now() - started) / 1_000;
  await provider.close();
  return { nonces, seconds };
}

async function processes(count: number, perProcess: number, store: WorkerPlan['store']) {
  const run = await runNonceWorkers(count, { store, apiKey, count: perProcess });
  return { nonces: count * perProcess, seconds: run.wallMs / 1_000 };
}

ensureBuilt();
const base = baseline();
const baselineRate = base.nonces / base.seconds;
const rows: Row[] = [];
const skipped: string[] = [];
function record(name: string, processCount: number, result: { nonces: number; seconds: number }) {
  const rate = result.nonces / result.seconds;
  rows.push({
    name,
    processes: processCount,
    nonces: result.nonces,
    seconds: Number(result.seconds.toFixed(3)),
    noncesPerSecond: Math.round(rate),
    ratioToBaseline: Number((rate / baselineRate).toPrecision(3)),
  });
}

record('baseline: bigint counter (last + 1n)', 1, base);
record('memory: next()', 1, await inProcess(MemoryNonceStore.create(), 200_000, false));
record('memory: withNonce()', 1, await inProcess(MemoryNonceStore.create(), 100_000, true));

const fileRoot = mkdtempSync(join(tmpdir(), 'krakenkit-nonce-bench-'));
record(
  'file: withNonce()',
  1,
  await inProcess(FileNonceStore.create({ directory: join(fileRoot, 'one') }), 3_000, true),
);
record(
  'file: withNonce()',
  4,
  await processes(4, 1_000, { storage: 'file', options: { directory: join(fileRoot, 'four') } }),
);

rmSync(fileRoot, { recursive: true, force: true });

const redisBinary = findRedisServer();
if (redisBinary) {
  const server = await startRedisServer(redisBinary);
  try {
    record(
      'redis: withNonce()',
      1,
      await inProcess(RedisNonceStore.create({ url: server.url, keyPrefix: 'one:' }), 5_000, true),
    );
    record(
      'redis: withNonce()',
      4,
      await processes(4, 1_500, { storage: 'redis', options: { url: server.url, keyPrefix: 'four:' } }),
    );
  } finally {
    await server.stop();
  }
} else {
  skipped.push('redis: redis-server is not installed, so the Redis rows were skipped');
}

console.table(
  rows.map((row) => ({
    store: row.name,
    processes: row.processes,
    nonces: row.nonces,
    'nonces/s': row.noncesPerSecond,
    'ratio to baseline': row.ratioToBaseline,
  })),
);
for (const note of skipped) console.warn(`SKIPPED: ${note}`);

const resultsDir = join(packageDir, 'bench-results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(resultsDir, 'nonce.json'),
  `${JSON.stringify(
    {
      benchmark: 'nonce',
      date: new Date().toISOString(),
      node: process.version,
      cpus: availableParallelism(),
      baselineNoncesPerSecond: Math.round(baselineRate),
      rows,
      skipped,
    },
    null,
    2,
  )}\n`,
);
console.log(`written to ${join(resultsDir, 'nonce.json')}`);
