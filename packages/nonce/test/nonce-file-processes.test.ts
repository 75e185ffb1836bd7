import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileNonceStore, nonceKeyHash, StoreNonceProvider } from '../src/index.js';
import { ensureBuilt, packageDir } from './support/nonce-build.js';
import { orderViolations, readResults } from './support/nonce-results.js';
import { runNonceWorkers } from './support/nonce-workers.js';

const apiKey = 'CANARY-API-KEY-file-processes-5b1f0e';
const roots: string[] = [];

function freshRoot(prefix: string): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  roots.push(root);
  return root;
}

describe('file store shared by real processes', () => {
  beforeAll(() => ensureBuilt(), 120_000);
  afterAll(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  it('4 processes × 500 nonces through withNonce: unique, and strictly increasing in lock order', {
    timeout: 60_000,
  }, async () => {
    const root = freshRoot('krakenkit-nonce-procs-');
    const directory = join(root, 'state');
    const resultPath = join(root, 'results.txt');
    const run = await runNonceWorkers(4, {
      store: { storage: 'file', options: { directory } },
      apiKey,
      count: 500,
      parallel: 3,
      resultPath,
    });
    const lines = readResults(resultPath);
    expect(lines).toHaveLength(2_000);
    expect(new Set(lines.map((line) => line.nonce)).size).toBe(2_000);
    expect(orderViolations(lines)).toEqual([]);
    const perProcess = new Map<number, number>();
    for (const { pid } of lines) perProcess.set(pid, (perProcess.get(pid) ?? 0) + 1);
    expect([...perProcess.values()]).toEqual([500, 500, 500, 500]);
    // Nothing but the state file is left: locks, takeover guards and temp files are gone.
    expect(readdirSync(directory).filter((name) => !name.endsWith('.json'))).toEqual([]);
    for (const name of readdirSync(directory))
      expect(readFileSync(join(directory, name), 'utf8')).not.toContain(apiKey);
    console.info(`file store, 4 processes × 500: ${Math.round(run.wallMs)} ms`);
  });

  it('a process killed while holding the lock: the next one takes over and continues above', {
    timeout: 30_000,
  }, async () => {
    const directory = join(freshRoot('krakenkit-nonce-crash-'), 'state');
    const child = spawn(
      process.execPath,
      [join(packageDir, 'test/fixtures/nonce-hold.mjs'), directory, apiKey],
      {
        cwd: packageDir,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const held = await new Promise<bigint>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) => resolve(BigInt(chunk.toString().trim())));
      child.once('exit', (code) => reject(new Error(`holder exited with ${code} before taking the lock`)));
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(readdirSync(directory)).toContain(`nonce-${nonceKeyHash(apiKey)}.lock`);

    const store = FileNonceStore.create({ directory, lockTimeoutMs: 5_000 });
    const provider = StoreNonceProvider.create(store);
    await provider.open();
    try {
      const next = BigInt(await provider.withNonce(apiKey, async (nonce) => nonce));
      expect(next).toBeGreaterThan(held);
      expect(readdirSync(directory)).toEqual([`nonce-${nonceKeyHash(apiKey)}.json`]);
    } finally {
      await provider.close();
    }
  });
});
