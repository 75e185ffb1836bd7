import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVirtualClock } from '@krakenkit/host/testing';
import { type Clock, systemClock } from '@krakenkit/plugin-api';
import { findRedisServer, type RedisServer, startRedisServer } from '@krakenkit/test-support';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  maxNonce,
  NonceExhaustedError,
  NonceLockTimeoutError,
  NonceScaleError,
  NonceStoreError,
  nonceKeyHash,
  RedisNonceStore,
  StoreNonceProvider,
} from '../src/index.js';
import { ensureBuilt } from './support/nonce-build.js';
import { orderViolations, readResults } from './support/nonce-results.js';
import { runNonceWorkers } from './support/nonce-workers.js';

const redisBinary = findRedisServer();
if (!redisBinary) {
  console.warn(
    'SKIPPED: the Redis nonce store tests did not run, because redis-server is not installed (apt-get install redis-server).',
  );
}

const apiKey = 'CANARY-API-KEY-redis-7c21d9';

describe.skipIf(!redisBinary)('Redis store against a real redis-server', () => {
  let server: RedisServer;
  let prefix = 0;
  const providers: StoreNonceProvider[] = [];

  /** A provider on its own connection (a "host"), with a key prefix unique to the test. */
  async function openProvider(
    options: {
      keyPrefix?: string;
      scale?: 'ms' | 'us' | 'ns';
      lockTtlMs?: number;
      lockTimeoutMs?: number;
    } = {},
    clock = createVirtualClock(),
    lockClock: Clock = systemClock,
  ) {
    const { scale, lockTimeoutMs, ...storeOptions } = options;
    const store = RedisNonceStore.create(
      {
        url: server.url,
        keyPrefix: `test${prefix}:`,
        ...storeOptions,
        ...(lockTimeoutMs ? { lockTimeoutMs } : {}),
      },
      { lockClock },
    );
    const provider = StoreNonceProvider.create(
      store,
      { ...(scale ? { scale } : {}), ...(lockTimeoutMs ? { lockTimeoutMs } : {}) },
      { clock },
    );
    await provider.open();
    providers.push(provider);
    return { provider, store, clock };
  }

  beforeAll(async () => {
    ensureBuilt();
    server = await startRedisServer(redisBinary ?? 'redis-server');
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled(providers.map((provider) => provider.close()));
    await server?.stop();
  });

  it('4 processes × 500 nonces through withNonce: unique, and strictly increasing in lock order', {
    timeout: 60_000,
  }, async () => {
    const root = mkdtempSync(join(tmpdir(), 'krakenkit-nonce-redis-'));
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    const resultPath = join(root, 'results.txt');
    const run = await runNonceWorkers(4, {
      store: { storage: 'redis', options: { url: server.url, keyPrefix: 'procs:' } },
      apiKey,
      count: 500,
      parallel: 3,
      resultPath,
    });
    const lines = readResults(resultPath);
    expect(lines).toHaveLength(2_000);
    expect(new Set(lines.map((line) => line.nonce)).size).toBe(2_000);
    expect(orderViolations(lines)).toEqual([]);
    console.info(`Redis store, 4 processes × 500: ${Math.round(run.wallMs)} ms`);
  });

  it('shares a key between two hosts (two connections, clocks an hour apart)', async () => {
    prefix++;
    const early = createVirtualClock();
    const late = createVirtualClock({ now: early.now() - 3_600_000 });
    const { provider: first } = await openProvider({}, early);
    const { provider: second } = await openProvider({}, late);
    const issued: bigint[] = [];
    for (let round = 0; round < 50; round++) {
      const pair = await Promise.all([
        first.next(apiKey),
        second.next(apiKey),
        first.withNonce(apiKey, async (n) => n),
      ]);
      issued.push(...pair.map(BigInt));
      early.advance(1);
    }
    expect(new Set(issued).size).toBe(issued.length);
    const sorted = [...issued].sort((a, b) => (a < b ? -1 : 1));
    expect(sorted[0]).toBeGreaterThanOrEqual(BigInt(early.now() - 50) * 1_000_000n);
    // Sequentially, each answer is above every earlier one, whichever host gives it.
    let last = 0n;
    for (let index = 0; index < 20; index++) {
      const nonce = BigInt(await (index % 2 === 0 ? first : second).next(apiKey));
      expect(nonce).toBeGreaterThan(last);
      last = nonce;
    }
  });

  it('serializes withNonce across hosts: a second host waits for the first one’s send', async () => {
    prefix++;
    // The second host's lock clock tells when it found the lock held and started waiting.
    let waiting!: () => void;
    const secondWaits = new Promise<void>((resolve) => {
      waiting = resolve;
    });
    const watchingClock: Clock = {
      ...systemClock,
      setTimeout: (callback, delayMs) => {
        waiting();
        return systemClock.setTimeout(callback, delayMs);
      },
    };
    const { provider: first } = await openProvider();
    const { provider: second } = await openProvider({}, createVirtualClock(), watchingClock);
    const events: string[] = [];
    let releaseFirst!: () => void;
    const firstSending = new Promise<void>((resolve) => {
      void first.withNonce(apiKey, async (nonce) => {
        events.push(`first ${nonce}`);
        resolve();
        await new Promise<void>((release) => {
          releaseFirst = release;
        });
        events.push('first done');
      });
    });
    await firstSending;
    const secondDone = second.withNonce(apiKey, async (nonce) => {
      events.push(`second ${nonce}`);
    });
    await secondWaits;
    expect(events).toHaveLength(1);
    releaseFirst();
    await secondDone;
    expect(events[1]).toBe('first done');
    expect(BigInt(events[2]?.split(' ')[1] ?? '0')).toBeGreaterThan(BigInt(events[0]?.split(' ')[1] ?? '0'));
  });

  it('times out waiting for a lock another host holds, with a typed error and no nonce', async () => {
    prefix++;
    const { provider: holder } = await openProvider();
    const { provider: waiter } = await openProvider({ lockTimeoutMs: 100 });
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      void holder.withNonce(apiKey, async () => {
        resolve();
        await new Promise<void>((done) => {
          release = done;
        });
      });
    });
    await held;
    const send = () => Promise.resolve('sent');
    await expect(waiter.withNonce(apiKey, send)).rejects.toBeInstanceOf(NonceLockTimeoutError);
    await expect(waiter.withNonce(apiKey, send)).rejects.toThrow(/held by pid \d+ on /);
    release();
  });

  it('raiseFloor is seen by the other host; a restart continues above; raw key never stored', async () => {
    prefix++;
    const { provider: first } = await openProvider();
    const floor = 9_000_000_000_000_000_000n;
    await first.raiseFloor(apiKey, floor.toString());
    await first.close();
    const { provider: second, store } = await openProvider();
    expect(BigInt(await second.next(apiKey))).toBe(floor + 1n);
    const inspector = new Redis(server.url);
    try {
      const keys = await inspector.keys('*');
      expect(keys.some((key) => key.includes(apiKey))).toBe(false);
      expect(keys).toContain(store.stateKey(nonceKeyHash(apiKey)));
      expect(await inspector.hgetall(store.stateKey(nonceKeyHash(apiKey)))).toEqual({
        last: (floor + 1n).toString(),
        scale: 'ns',
      });
    } finally {
      inspector.disconnect();
    }
  });

  it('refuses a smaller scale, and stops at the uint64 maximum', async () => {
    prefix++;
    const { provider: ns } = await openProvider({ scale: 'ns' });
    await ns.next(apiKey);
    const { provider: ms } = await openProvider({ scale: 'ms' });
    await expect(ms.next(apiKey)).rejects.toBeInstanceOf(NonceScaleError);
    await ns.raiseFloor(apiKey, (maxNonce - 1n).toString());
    expect(await ns.next(apiKey)).toBe(maxNonce.toString());
    await expect(ns.next(apiKey)).rejects.toBeInstanceOf(NonceExhaustedError);
    await expect(ns.withNonce(apiKey, async () => 'sent')).rejects.toBeInstanceOf(NonceExhaustedError);
  });

  it('fails closed when Redis goes away, and names the server but never its credentials', async () => {
    const own = await startRedisServer(redisBinary ?? 'redis-server');
    const provider = StoreNonceProvider.create(
      RedisNonceStore.create({ url: own.url, commandTimeoutMs: 500 }),
    );
    await provider.open();
    await provider.next(apiKey);
    await own.stop();
    const failure = await provider.next(apiKey).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NonceStoreError);
    expect((failure as Error).message).toContain(`127.0.0.1:${own.port}`);
    await expect(provider.withNonce(apiKey, async () => 'sent')).rejects.toBeInstanceOf(NonceStoreError);
    await provider.close();

    const withPassword = own.url.replace('redis://', 'redis://nonce:hunter2-canary@');
    const unreachable = StoreNonceProvider.create(
      RedisNonceStore.create({ url: withPassword, commandTimeoutMs: 500 }),
    );
    const refused = await unreachable.open().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(NonceStoreError);
    expect(String((refused as Error).message)).not.toContain('hunter2-canary');
    expect(JSON.stringify(refused)).not.toContain('hunter2-canary');
  });
});
