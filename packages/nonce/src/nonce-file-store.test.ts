import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCapturingLogger, createVirtualClock } from '@krakenkit/host/testing';
import { systemClock } from '@krakenkit/plugin-api';
import { afterEach, describe, expect, it } from 'vitest';
import {
  NonceFileCorruptError,
  NonceFileUnsafeError,
  NonceLockTimeoutError,
  NonceScaleError,
  NonceStateError,
} from './nonce-errors.js';
import { FileNonceStore } from './nonce-file-store.js';
import { nonceKeyHash } from './nonce-key.js';
import { StoreNonceProvider } from './nonce-provider.js';
import type { NonceScale } from './nonce-scale.js';

const apiKey = 'CANARY-API-KEY-file-unit-8d4e2b';
const keyHash = nonceKeyHash(apiKey);
const hour = 3_600_000;
const isRoot = process.getuid?.() === 0;

const opened: StoreNonceProvider[] = [];
const roots: string[] = [];
afterEach(async () => {
  await Promise.allSettled(opened.splice(0).map((provider) => provider.close()));
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function freshDirectory(): string {
  const root = mkdtempSync(join(tmpdir(), 'krakenkit-nonce-file-'));
  roots.push(root);
  return join(root, 'state');
}

function createProvider(
  directory: string,
  options: {
    clock?: ReturnType<typeof createVirtualClock>;
    scale?: NonceScale;
    blockMs?: number;
    lockTimeoutMs?: number;
  } = {},
) {
  const capture = createCapturingLogger();
  const store = FileNonceStore.create(
    {
      directory,
      ...(options.blockMs === undefined ? {} : { blockMs: options.blockMs }),
      ...(options.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: options.lockTimeoutMs }),
    },
    { logger: capture.logger },
  );
  const provider = StoreNonceProvider.create(
    store,
    { ...(options.scale ? { scale: options.scale } : {}) },
    { clock: options.clock ?? createVirtualClock(), logger: capture.logger },
  );
  opened.push(provider);
  return { provider, store, capture };
}

async function openProvider(directory: string, options: Parameters<typeof createProvider>[1] = {}) {
  const created = createProvider(directory, options);
  await created.provider.open();
  return created;
}

/** A state file for the canary key in a fresh directory, then `damage` applied to it. */
async function damagedDirectory(damage: (statePath: string, directory: string) => void): Promise<string> {
  const directory = freshDirectory();
  const { provider, store } = await openProvider(directory);
  await provider.next(apiKey);
  await provider.close();
  damage(store.statePath(keyHash), directory);
  return directory;
}

async function openError(directory: string): Promise<unknown> {
  return createProvider(directory)
    .provider.open()
    .then(
      () => undefined,
      (error: unknown) => error,
    );
}

describe('FileNonceStore in one process', () => {
  it('creates a 0700 directory and a 0600 file holding no API key text', async () => {
    const directory = freshDirectory();
    const { provider, store } = await openProvider(directory);
    await provider.next(apiKey);
    await provider.withNonce(apiKey, async () => undefined);
    expect(statSync(directory).mode & 0o777).toBe(0o700);
    expect(readdirSync(directory)).toEqual([`nonce-${keyHash}.json`]);
    const statePath = store.statePath(keyHash);
    expect(statSync(statePath).mode & 0o777).toBe(0o600);
    const text = readFileSync(statePath, 'utf8');
    expect(text).not.toContain(apiKey);
    expect(text).not.toContain('8d4e2b');
    expect(Object.keys(JSON.parse(text))).toEqual([
      'format',
      'keyHash',
      'scale',
      'ceiling',
      'owner',
      'ownerPid',
      'updatedAt',
      'checksum',
    ]);
  });

  it('never goes below across restarts, including after the clock steps back one hour', async () => {
    const directory = freshDirectory();
    const clock = createVirtualClock();
    const issued: bigint[] = [];
    const first = await openProvider(directory, { clock });
    for (let index = 0; index < 20; index++) issued.push(BigInt(await first.provider.next(apiKey)));
    await first.provider.close();

    const restarted = await openProvider(directory, { clock });
    issued.push(BigInt(await restarted.provider.next(apiKey)));
    await restarted.provider.close();

    clock.jumpWallClock(-hour);
    const afterJump = await openProvider(directory, { clock });
    for (let index = 0; index < 20; index++) {
      issued.push(BigInt(await afterJump.provider.withNonce(apiKey, async (nonce) => nonce)));
    }
    await afterJump.provider.close();
    for (let index = 1; index < issued.length; index++) {
      expect(issued[index]).toBeGreaterThan(issued[index - 1] ?? 0n);
    }
  });

  it('continues its own block without writing, and reserves at most blockMs ahead of the clock', async () => {
    const directory = freshDirectory();
    const clock = createVirtualClock();
    const { provider, store } = await openProvider(directory, { clock, blockMs: 1_000 });
    const first = BigInt(await provider.next(apiKey));
    const written = readFileSync(store.statePath(keyHash), 'utf8');
    expect(JSON.parse(written).ceiling).toBe((BigInt(clock.now() + 1_000) * 1_000_000n).toString());
    clock.advance(500);
    const second = BigInt(await provider.next(apiKey));
    expect(second).toBe(BigInt(clock.now()) * 1_000_000n);
    expect(readFileSync(store.statePath(keyHash), 'utf8')).toBe(written);
    clock.advance(600); // past the block: a new reservation is written
    expect(BigInt(await provider.next(apiKey))).toBeGreaterThan(second);
    expect(readFileSync(store.statePath(keyHash), 'utf8')).not.toBe(written);
    expect(first).toBeLessThan(second);
  });

  it('burns another instance’s block: the second instance starts above the persisted ceiling', async () => {
    const directory = freshDirectory();
    const clock = createVirtualClock();
    const one = await openProvider(directory, { clock });
    const two = await openProvider(directory, { clock });
    const a = BigInt(await one.provider.next(apiKey));
    const b = BigInt(await two.provider.next(apiKey));
    const c = BigInt(await one.provider.next(apiKey));
    expect(b).toBe(a + 1_000n * 1_000_000n + 1n); // one's block was [a, a + 1 s]
    expect(c).toBe(b + 1n); // one no longer owns a block: it continues above two's
  });

  it('is re-entrant inside send (no deadlock on its own lock file)', async () => {
    const directory = freshDirectory();
    const { provider } = await openProvider(directory);
    const seen = await provider.withNonce(apiKey, async (outer) => {
      const inner = await provider.next(apiKey);
      const nested = await provider.withNonce(apiKey, async (nonce) => nonce);
      await provider.raiseFloor(apiKey, (BigInt(nested) + 10n).toString());
      return [outer, inner, nested, await provider.next(apiKey)].map(BigInt);
    });
    expect(seen[1]).toBeGreaterThan(seen[0] ?? 0n);
    expect(seen[2]).toBeGreaterThan(seen[1] ?? 0n);
    expect(seen[3]).toBe((seen[2] ?? 0n) + 11n);
  });

  it('removes temp files an interrupted write left behind, once it holds the key’s lock', async () => {
    const directory = freshDirectory();
    const first = await openProvider(directory);
    await first.provider.next(apiKey);
    await first.provider.close();
    const leftover = `${first.store.statePath(keyHash)}.0d4c0f4e-dead-4bad-8000-000000000000.tmp`;
    writeFileSync(leftover, '{"format":"krakenkit-nonce-file/1","ceiling":"1', { mode: 0o600 });
    const second = await openProvider(directory);
    await second.provider.next(apiKey);
    expect(readdirSync(directory)).toEqual([`nonce-${keyHash}.json`]);
    expect(second.capture.lines.join('\n')).toContain('removed temp files of an interrupted write');
  });

  it('persists raiseFloor for the next start', async () => {
    const directory = freshDirectory();
    const first = await openProvider(directory);
    await first.provider.next(apiKey);
    await first.provider.raiseFloor(apiKey, '9000000000000000000');
    await first.provider.close();
    const second = await openProvider(directory);
    expect(await second.provider.next(apiKey)).toBe('9000000000000000001');
  });

  it('refuses a smaller scale than the key already uses', async () => {
    const directory = freshDirectory();
    const ns = await openProvider(directory, { scale: 'ns' });
    await ns.provider.next(apiKey);
    await ns.provider.close();
    const ms = await openProvider(directory, { scale: 'ms' });
    await expect(ms.provider.next(apiKey)).rejects.toBeInstanceOf(NonceScaleError);
    await expect(ms.provider.next(apiKey)).rejects.toThrow(/set scale 'ns', or use a new API key/);
  });

  it('waits for a lock held by a live process, then times out with a typed error and no nonce', async () => {
    const directory = freshDirectory();
    const { provider, store } = await openProvider(directory, { lockTimeoutMs: 150 });
    await provider.next(apiKey);
    // A lock held by this very process through another path: alive, so never taken over.
    writeFileSync(store.lockPath(keyHash), JSON.stringify({ pid: process.pid, host: hostname() }), {
      mode: 0o600,
    });
    const error = await provider.next(apiKey).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NonceLockTimeoutError);
    expect((error as Error).message).toMatch(new RegExp(`held by pid ${process.pid} on `));
  });

  it('takes over a lock whose holder died, and logs it', async () => {
    const directory = freshDirectory();
    const { provider, store, capture } = await openProvider(directory, { lockTimeoutMs: 5_000 });
    const before = BigInt(await provider.next(apiKey));
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    writeFileSync(
      store.lockPath(keyHash),
      JSON.stringify({ pid: Number(dead.stdout), host: hostname(), pidNamespace: readPidNamespace() }),
      { mode: 0o600 },
    );
    expect(BigInt(await provider.next(apiKey))).toBeGreaterThan(before);
    expect(capture.lines.join('\n')).toMatch(/is no longer running","msg":"took over a stale nonce lock"/);
    expect(readdirSync(directory)).toEqual([`nonce-${keyHash}.json`]);
  });

  it('takes over a lock nobody refreshed for staleLockMs (a hung holder), judged on monotonic time', async () => {
    const directory = freshDirectory();
    const store = FileNonceStore.create(
      { directory, staleLockMs: 200, lockTimeoutMs: 5_000 },
      { lockClock: systemClock },
    );
    const provider = StoreNonceProvider.create(store, {}, { clock: createVirtualClock() });
    opened.push(provider);
    await provider.open();
    // No pid in it: as if its writer hung before writing it.
    writeFileSync(store.lockPath(keyHash), '', { mode: 0o600 });
    const started = performance.now();
    await provider.next(apiKey);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('refuses a corrupt file at start, with a message that says what to do', async () => {
    const directory = await damagedDirectory((path) => writeFileSync(path, 'not json at all'));
    const error = await openError(directory);
    expect(error).toBeInstanceOf(NonceFileCorruptError);
    expect((error as Error).message).toMatch(/is corrupt \(it is not valid JSON.*Restore it from a backup/);
  });

  it('refuses a truncated file and an empty one', async () => {
    const truncated = await damagedDirectory((path) => truncateSync(path, 40));
    expect(await openError(truncated)).toBeInstanceOf(NonceFileCorruptError);
    const empty = await damagedDirectory((path) => truncateSync(path, 0));
    expect(String(await openError(empty))).toMatch(/the file is empty/);
  });

  it('refuses a symlinked state file', async () => {
    const directory = await damagedDirectory((path, dir) => {
      const real = join(dir, '..', 'elsewhere.json');
      writeFileSync(real, readFileSync(path), { mode: 0o600 });
      writeFileSync(path, '');
      // Replace the file with a link to a copy of itself.
      spawnSync('ln', ['-sf', real, path]);
    });
    const error = await openError(directory);
    expect(error).toBeInstanceOf(NonceFileUnsafeError);
    expect((error as NonceFileUnsafeError).problem).toBe('symlink');
  });

  it('refuses a symlinked directory and a symlinked lock file', async () => {
    const real = freshDirectory();
    mkdirSync(real, { mode: 0o700 });
    const link = join(real, '..', 'link');
    symlinkSync(real, link);
    expect(await openError(link)).toMatchObject({ code: 'NONCE_FILE_UNSAFE', problem: 'symlink' });
    symlinkSync('/etc/passwd', join(real, `nonce-${keyHash}.lock`));
    expect(await openError(real)).toMatchObject({ problem: 'symlink' });
  });

  it.each([0o644, 0o666, 0o640, 0o604])('refuses a state file with mode %o', async (mode) => {
    const directory = await damagedDirectory((path) => chmodSync(path, mode));
    const error = await openError(directory);
    expect(error).toBeInstanceOf(NonceFileUnsafeError);
    expect((error as Error).message).toContain(`chmod 600 ${join(directory, `nonce-${keyHash}.json`)}`);
  });

  it.each([0o777, 0o1777, 0o770, 0o702])('refuses a directory with mode %o', async (mode) => {
    const directory = freshDirectory();
    mkdirSync(directory);
    chmodSync(directory, mode);
    const error = await openError(directory);
    expect(error).toBeInstanceOf(NonceFileUnsafeError);
    expect((error as Error).message).toContain(`chmod 700 ${directory}`);
  });

  it('accepts but warns about a directory other users can list', async () => {
    const directory = freshDirectory();
    mkdirSync(directory);
    chmodSync(directory, 0o755);
    const { capture } = await openProvider(directory);
    expect(capture.lines.join('\n')).toContain('other users can list the nonce directory');
  });

  it.skipIf(!isRoot)('refuses a file and a directory owned by another user', async () => {
    const directory = await damagedDirectory((path) => chownSync(path, 65_534, 65_534));
    const error = await openError(directory);
    expect(error).toMatchObject({ code: 'NONCE_FILE_UNSAFE', problem: 'owner' });
    expect((error as Error).message).toContain('owned by another user');
    const foreignDirectory = freshDirectory();
    mkdirSync(foreignDirectory, { mode: 0o700 });
    chownSync(foreignDirectory, 65_534, 65_534);
    expect(await openError(foreignDirectory)).toMatchObject({ problem: 'owner' });
  });
  if (!isRoot) {
    console.warn(
      'SKIPPED: the "owned by another user" nonce file test needs root to chown a file; it did not run.',
    );
  }

  it('refuses a relative directory, and use before open', async () => {
    expect(() => FileNonceStore.create({ directory: 'relative/state' })).toThrow(/must be an absolute path/);
    const store = FileNonceStore.create({ directory: freshDirectory() });
    await expect(store.issue({ keyHash, scale: 'ns', clockNonce: () => 1n })).rejects.toBeInstanceOf(
      NonceStateError,
    );
  });
});

function readPidNamespace(): string | null {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return null;
  }
}
