import { readlinkSync } from 'node:fs';
import { constants, type FileHandle, open, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { Clock, Logger, TimerHandle } from '@krakenkit/plugin-api';
import { NonceLockLostError, NonceLockTimeoutError } from './nonce-errors.js';
import { errorCode, lstatIfExists, openExistingNoFollow } from './nonce-file-safety.js';
import { nonceKeyLabel } from './nonce-key.js';

const createFlags = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW;

/** Who holds a lock, as written in the lock file. */
interface LockOwner {
  pid: number;
  host: string;
  /** The pid namespace: pids are only comparable inside one (containers have their own). */
  pidNamespace: string | null;
}

/** A lock file as a waiter saw it. */
interface ObservedLock {
  dev: number;
  ino: number;
  mtimeMs: number;
  owner: LockOwner | undefined;
}

function readPidNamespace(): string | null {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return null;
  }
}

const self: LockOwner = { pid: process.pid, host: hostname(), pidNamespace: readPidNamespace() };

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && typeof value.host === 'string') {
      return { pid: value.pid, host: value.host, pidNamespace: value.pidNamespace ?? null };
    }
  } catch {
    // Empty (being written right now) or damaged: judged by age alone.
  }
  return undefined;
}

function describeOwner(owner: LockOwner | undefined): string {
  return owner ? `pid ${owner.pid} on ${owner.host}` : 'a process that has not written its pid yet';
}

/** Only a pid of this host and pid namespace can be checked, and only `ESRCH` means gone. */
function ownerIsGone(owner: LockOwner | undefined): boolean {
  if (owner === undefined || owner.host !== self.host || owner.pidNamespace !== self.pidNamespace)
    return false;
  if (owner.pid === self.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return errorCode(error) === 'ESRCH';
  }
}

function delay(clock: Clock, ms: number): Promise<void> {
  // Referenced on purpose: a process whose only work is waiting for the lock must not exit.
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}

export interface NonceFileLocksOptions {
  staleLockMs: number;
  lockTimeoutMs: number;
  /** Real time by default: the other side of a lock is another process. */
  clock: Clock;
  logger: Logger;
}

/**
 * Cross-process locks for one host, as lock files created with `O_EXCL` (Node has no flock).
 *
 * - The holder keeps the file open, so its inode cannot be reused while held: comparing the
 *   inode at the path with the held handle's tells whether the lock is still ours.
 * - The holder refreshes the file's mtime every `staleLockMs / 4`. A waiter takes the lock over
 *   when its holder's pid is gone (same host and pid namespace), or when it has seen the same
 *   file unchanged for `staleLockMs` on its own monotonic clock, so wall-clock jumps never make
 *   a live lock look stale.
 * - Takeovers are serialized by a second O_EXCL file (`<lock>.takeover`), so two waiters that
 *   both saw a stale lock cannot each delete the other's fresh one.
 */
export class NonceFileLocks {
  readonly #observed = new Map<string, { dev: number; ino: number; mtimeMs: number; since: number }>();

  constructor(private readonly options: NonceFileLocksOptions) {}

  async acquire(path: string, keyHash: string): Promise<HeldNonceFileLock> {
    const { clock, lockTimeoutMs } = this.options;
    const started = clock.monotonic();
    for (let attempt = 0; ; attempt++) {
      const held = await this.#tryCreate(path, keyHash);
      if (held) return held;
      const observed = await this.#inspect(path);
      if (observed === undefined) continue; // released in between: try again at once
      const staleReason = this.#staleReason(path, observed);
      if (staleReason !== undefined) {
        await this.#takeOver(path, observed, staleReason, keyHash);
        continue;
      }
      const waited = clock.monotonic() - started;
      if (waited >= lockTimeoutMs) {
        throw new NonceLockTimeoutError(keyHash, waited, describeOwner(observed.owner));
      }
      // 1, 2, 4 ms: a lock is usually held for well under a millisecond.
      await delay(clock, Math.min(2 ** Math.min(attempt, 2), lockTimeoutMs - waited));
    }
  }

  async #tryCreate(path: string, keyHash: string): Promise<HeldNonceFileLock | undefined> {
    let handle: FileHandle;
    try {
      handle = await open(path, createFlags, 0o600);
    } catch (error) {
      if (errorCode(error) === 'EEXIST') return undefined;
      throw error;
    }
    try {
      await handle.writeFile(JSON.stringify(self));
      const stats = await handle.stat();
      this.#observed.delete(path);
      return new HeldNonceFileLock(path, keyHash, handle, stats.dev, stats.ino, this.options);
    } catch (error) {
      await handle.close();
      await unlink(path).catch(() => undefined);
      throw error;
    }
  }

  async #inspect(path: string): Promise<ObservedLock | undefined> {
    const handle = await openExistingNoFollow(path);
    if (handle === undefined) return undefined;
    try {
      const stats = await handle.stat();
      const text = stats.size <= 1_024 ? await handle.readFile({ encoding: 'utf8' }) : '';
      return { dev: stats.dev, ino: stats.ino, mtimeMs: stats.mtimeMs, owner: parseOwner(text) };
    } finally {
      await handle.close();
    }
  }

  #staleReason(path: string, lock: ObservedLock): string | undefined {
    if (ownerIsGone(lock.owner)) return `its holder, ${describeOwner(lock.owner)}, is no longer running`;
    const now = this.options.clock.monotonic();
    const seen = this.#observed.get(path);
    if (
      seen === undefined ||
      seen.dev !== lock.dev ||
      seen.ino !== lock.ino ||
      seen.mtimeMs !== lock.mtimeMs
    ) {
      this.#observed.set(path, { dev: lock.dev, ino: lock.ino, mtimeMs: lock.mtimeMs, since: now });
      return undefined;
    }
    if (now - seen.since >= this.options.staleLockMs) {
      return `it was not refreshed for ${Math.round(now - seen.since)} ms (staleLockMs ${this.options.staleLockMs})`;
    }
    return undefined;
  }

  async #takeOver(path: string, stale: ObservedLock, reason: string, keyHash: string): Promise<void> {
    const guardPath = `${path}.takeover`;
    let guard: FileHandle;
    try {
      guard = await open(guardPath, createFlags, 0o600);
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
      // Another waiter is taking over; only a guard left by a crashed waiter needs clearing.
      const observed = await this.#inspect(guardPath);
      if (observed && this.#staleReason(guardPath, observed) !== undefined) {
        await unlink(guardPath).catch(() => undefined);
        this.#observed.delete(guardPath);
      }
      return;
    }
    try {
      await guard.writeFile(JSON.stringify(self));
      const current = await lstatIfExists(path);
      // Delete exactly the file judged stale; a fresh lock at the same path is left alone.
      if (
        current &&
        current.dev === stale.dev &&
        current.ino === stale.ino &&
        current.mtimeMs === stale.mtimeMs
      ) {
        await unlink(path);
        this.options.logger.warn(
          { key: nonceKeyLabel(keyHash), holder: describeOwner(stale.owner), reason },
          'took over a stale nonce lock',
        );
      }
    } finally {
      this.#observed.delete(path);
      await guard.close();
      await unlink(guardPath).catch(() => undefined);
    }
  }
}

/** A lock file this process created and holds. */
export class HeldNonceFileLock {
  readonly #heartbeat: TimerHandle;
  #released = false;

  constructor(
    readonly path: string,
    readonly keyHash: string,
    private readonly handle: FileHandle,
    private readonly dev: number,
    private readonly ino: number,
    private readonly options: NonceFileLocksOptions,
  ) {
    const { clock, staleLockMs, logger } = options;
    let beats = 0;
    this.#heartbeat = clock.setInterval(
      () => {
        // A changing mtime tells waiters the holder is alive; the value itself does not matter.
        const time = new Date(clock.now() + ++beats);
        handle.utimes(time, time).catch((error: unknown) => {
          if (!this.#released)
            logger.warn({ err: error, key: nonceKeyLabel(keyHash) }, 'could not refresh the nonce lock');
        });
      },
      Math.max(25, Math.floor(staleLockMs / 4)),
    );
    this.#heartbeat.unref();
  }

  /** Throws {@link NonceLockLostError} unless the lock file at the path is still this one. */
  async assertHeld(): Promise<void> {
    if (!(await this.#isOurs())) throw new NonceLockLostError(this.keyHash);
  }

  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    this.options.clock.clearInterval(this.#heartbeat);
    try {
      // Compared before closing: while our handle is open the inode number cannot be reused.
      if (await this.#isOurs()) await unlink(this.path);
      else {
        this.options.logger.warn(
          { key: nonceKeyLabel(this.keyHash) },
          'the nonce lock was taken over while held (this process was paused longer than staleLockMs)',
        );
      }
    } finally {
      await this.handle.close();
    }
  }

  async #isOurs(): Promise<boolean> {
    const current = await lstatIfExists(this.path);
    return current !== undefined && current.dev === this.dev && current.ino === this.ino;
  }
}
