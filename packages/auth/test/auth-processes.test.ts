import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sim } from '@krakenkit/sim';
import { findRedisServer, type RedisServer, startRedisServer } from '@krakenkit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simAccount, startAuthSim } from './support/auth-harness.js';
import { ensureBuilt, runAuthWorkers } from './support/auth-workers.js';

const redisBinary = findRedisServer();
if (!redisBinary) {
  console.warn(
    'SKIPPED: the Redis multi-process signing test did not run, because redis-server is not installed (apt-get install redis-server).',
  );
}

/** 4 processes × 500 signed calls on one key; the sim's nonce window is 0 (strict). */
const processes = 4;
const callsPerProcess = 500;

describe('one API key shared by 4 real processes, signed calls against the sim', () => {
  let sim: Sim;
  const roots: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    sim = await startAuthSim([simAccount('filekey'), simAccount('rediskey')]);
  }, 120_000);
  afterAll(async () => {
    await sim?.close();
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  async function run(accountId: string, store: Parameters<typeof runAuthWorkers>[1]['store']) {
    const account = sim.accounts.find((candidate) => candidate.id === accountId);
    if (!account) throw new Error(`no account ${accountId}`);
    const before = sim.control.stats();
    const result = await runAuthWorkers(processes, {
      restUrl: sim.urls.rest,
      apiKey: account.apiKey,
      apiSecret: account.apiSecret,
      count: callsPerProcess,
      parallel: 3,
      store,
    });
    const after = sim.control.stats();
    const delta = (name: string) => (after[name] ?? 0) - (before[name] ?? 0);
    return { result, delta, account };
  }

  it('file nonce store: 2000 calls, 0 invalid nonces at the sim', { timeout: 60_000 }, async () => {
    const root = mkdtempSync(join(tmpdir(), 'krakenkit-auth-procs-'));
    roots.push(root);
    const directory = join(root, 'nonce');
    const { result, delta, account } = await run('filekey', { storage: 'file', options: { directory } });
    expect(result.errors).toEqual({});
    expect(result.ok).toBe(processes * callsPerProcess);
    expect(delta('auth.invalid_nonce')).toBe(0);
    expect(delta('rest.private')).toBe(processes * callsPerProcess);
    for (const name of readdirSync(directory)) {
      const content = readFileSync(join(directory, name), 'utf8');
      expect(content).not.toContain(account.apiKey);
      expect(content).not.toContain(account.apiSecret);
    }
    console.info(
      `file store, ${processes} processes × ${callsPerProcess} signed calls: ${Math.round(result.wallMs)} ms`,
    );
  });

  describe.skipIf(!redisBinary)('with a real redis-server', () => {
    let redis: RedisServer;
    beforeAll(async () => {
      redis = await startRedisServer(redisBinary ?? 'redis-server');
    }, 30_000);
    afterAll(() => redis?.stop());

    it('Redis nonce store: 2000 calls, 0 invalid nonces at the sim', { timeout: 60_000 }, async () => {
      const { result, delta } = await run('rediskey', {
        storage: 'redis',
        options: { url: redis.url, keyPrefix: 'auth-procs:' },
      });
      expect(result.errors).toEqual({});
      expect(result.ok).toBe(processes * callsPerProcess);
      expect(delta('auth.invalid_nonce')).toBe(0);
      expect(delta('rest.private')).toBe(processes * callsPerProcess);
      console.info(
        `Redis store, ${processes} processes × ${callsPerProcess} signed calls: ${Math.round(result.wallMs)} ms`,
      );
    });
  });
});
