import { randomUUID } from 'node:crypto';
import { constants, type FileHandle, open, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type Clock, KrakenkitError, type Logger, silentLogger, systemClock } from '@krakenkit/plugin-api';
import type { z } from 'zod';
import {
  type FileNonceStoreOptions,
  fileNonceStoreOptionsSchema,
  parseNonceOptions,
} from './nonce-config.js';
import {
  NonceFileUnsafeError,
  NonceLockTimeoutError,
  NonceScaleError,
  NonceStateError,
  NonceStoreError,
} from './nonce-errors.js';
import { readNonceFile, writeNonceFile } from './nonce-file-io.js';
import { type HeldNonceFileLock, NonceFileLocks } from './nonce-file-lock.js';
import { assertSafeNonceDirectory, lstatIfExists, prepareNonceDirectory } from './nonce-file-safety.js';
import type { NonceFileState } from './nonce-file-state.js';
import { nonceKeyLabel } from './nonce-key.js';
import { NonceKeyQueue } from './nonce-key-queue.js';
import { maxNonce, nextNonce, nonceScaleRank, nonceUnitsPerMs } from './nonce-scale.js';
import type { NonceLease, NonceRequest, NonceStore } from './nonce-store.js';

const stateFilePattern = /^nonce-([0-9a-f]{64})\.json$/;
const lockFilePattern = /^nonce-[0-9a-f]{64}\.lock(\.takeover)?$/;

/** The block of nonces this store instance reserved for a key, up to the persisted ceiling. */
interface Block {
  last: bigint;
  ceiling: bigint;
}

export interface FileNonceStoreServices {
  logger?: Logger;
  /**
   * Times lock waits, lock refreshes and `updatedAt`. Default: the system clock. Keep it real:
   * the lock is shared with other processes, which a virtual clock cannot move.
   */
  lockClock?: Clock;
}

/**
 * Keeps each key's high-water mark in a file, shared by the processes of one host.
 *
 * Every nonce is issued under the key's lock file. Under the lock the store reads the state
 * file; if the file still names this instance as the owner of the block up to its ceiling, the
 * next nonce comes from that block without a write. Otherwise it reserves a new block above
 * the persisted ceiling (burning whatever another process had left of its block): the new
 * ceiling is `max(nonce, clock + blockMs)`, written atomically (temp file, fsync, rename,
 * fsync of the directory) before the nonce is returned. So nonces issued in lock order are
 * strictly increasing across processes, a crash loses only unused reservations, and the
 * ceiling is never more than `blockMs` of clock ahead unless nonces themselves are.
 */
export class FileNonceStore implements NonceStore {
  readonly storage = 'file';
  readonly options: FileNonceStoreOptions;
  readonly #ownerId = randomUUID();
  readonly #blocks = new Map<string, Block>();
  readonly #swept = new Set<string>();
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #queue: NonceKeyQueue;
  readonly #locks: NonceFileLocks;
  #directory: FileHandle | undefined;

  private constructor(options: FileNonceStoreOptions, services: FileNonceStoreServices) {
    this.options = options;
    this.#logger = services.logger ?? silentLogger;
    this.#clock = services.lockClock ?? systemClock;
    this.#queue = new NonceKeyQueue(this.#clock);
    this.#locks = new NonceFileLocks({
      staleLockMs: options.staleLockMs,
      lockTimeoutMs: options.lockTimeoutMs,
      clock: this.#clock,
      logger: this.#logger,
    });
  }

  /** Parses `options` with {@link fileNonceStoreOptionsSchema} (throws `NonceConfigError`). */
  static create(
    options: z.input<typeof fileNonceStoreOptionsSchema>,
    services: FileNonceStoreServices = {},
  ): FileNonceStore {
    return new FileNonceStore(
      parseNonceOptions(fileNonceStoreOptionsSchema, options, 'file nonce store options'),
      services,
    );
  }

  /** The state file of a key hash (for operators and tests). */
  statePath(keyHash: string): string {
    return join(this.options.directory, `nonce-${keyHash}.json`);
  }

  lockPath(keyHash: string): string {
    return join(this.options.directory, `nonce-${keyHash}.lock`);
  }

  /**
   * Creates or checks the directory, then checks every state file in it, so that an unsafe or
   * corrupt file stops the start instead of the first order.
   */
  async open(): Promise<void> {
    if (this.#directory !== undefined) return;
    await this.#guard('open its directory', undefined, async () => {
      const { directory } = this.options;
      await prepareNonceDirectory(directory, this.#logger);
      const handle = await open(directory, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
      try {
        assertSafeNonceDirectory(await handle.stat(), directory);
        for (const name of (await readdir(directory)).sort()) {
          const stateMatch = stateFilePattern.exec(name);
          if (stateMatch?.[1] !== undefined) await this.#read(stateMatch[1]);
          else if (
            lockFilePattern.test(name) &&
            (await lstatIfExists(join(directory, name)))?.isSymbolicLink()
          ) {
            throw new NonceFileUnsafeError(join(directory, name), 'symlink');
          }
        }
      } catch (error) {
        await handle.close();
        throw error;
      }
      this.#directory = handle;
    });
  }

  async close(): Promise<void> {
    this.#blocks.clear();
    const handle = this.#directory;
    this.#directory = undefined;
    await handle?.close();
  }

  async issue(request: NonceRequest): Promise<bigint> {
    const lease = await this.acquire(request);
    try {
      return lease.nonce;
    } finally {
      await lease.release();
    }
  }

  async acquire(request: NonceRequest): Promise<NonceLease> {
    const { keyHash } = request;
    return this.#withLock(keyHash, 'issue a nonce', async (lock, releaseKey) => {
      const nonce = await this.#issueHeld(request, lock);
      let active = true;
      return {
        nonce,
        get active() {
          return active;
        },
        issue: (next) => this.#guard('issue a nonce', keyHash, () => this.#issueHeld(next, lock)),
        raiseFloor: (atLeast) =>
          this.#guard('raise the floor', keyHash, () => this.#raiseHeld(keyHash, atLeast, lock)),
        release: async () => {
          if (!active) return;
          active = false;
          try {
            await lock.release();
          } catch (error) {
            this.#logger.error({ err: error }, 'could not release the nonce lock file');
          } finally {
            releaseKey();
          }
        },
      };
    });
  }

  async raiseFloor(keyHash: string, atLeast: bigint): Promise<void> {
    await this.#withLock(keyHash, 'raise the floor', async (lock, releaseKey) => {
      try {
        await this.#raiseHeld(keyHash, atLeast, lock);
      } finally {
        await lock.release().finally(releaseKey);
      }
    });
  }

  /**
   * Takes the in-process queue, then the lock file, and runs `use`. `use` owns both on
   * success (it must release them); on failure they are released here.
   */
  async #withLock<T>(
    keyHash: string,
    operation: string,
    use: (lock: HeldNonceFileLock, releaseKey: () => void) => Promise<T>,
  ): Promise<T> {
    return this.#guard(operation, keyHash, async () => {
      this.#assertOpen();
      const releaseKey = await this.#queue.acquire(
        keyHash,
        this.options.lockTimeoutMs,
        () =>
          new NonceLockTimeoutError(keyHash, this.options.lockTimeoutMs, 'another caller in this process'),
      );
      let lock: HeldNonceFileLock | undefined;
      try {
        lock = await this.#locks.acquire(this.lockPath(keyHash), keyHash);
      } catch (error) {
        releaseKey();
        throw error;
      }
      let handedOver = false;
      try {
        if (!this.#swept.has(keyHash)) await this.#sweepTemporaryFiles(keyHash);
        const result = await use(lock, releaseKey);
        handedOver = true;
        return result;
      } finally {
        if (!handedOver) {
          await lock.release().catch(() => undefined);
          releaseKey();
        }
      }
    });
  }

  /**
   * Removes temp files a crashed writer left for this key. Only done while holding the key's
   * lock: every write happens under it, so no live process is halfway through one.
   */
  async #sweepTemporaryFiles(keyHash: string): Promise<void> {
    const prefix = `nonce-${keyHash}.json.`;
    const leftovers = (await readdir(this.options.directory)).filter(
      (name) => name.startsWith(prefix) && name.endsWith('.tmp'),
    );
    for (const name of leftovers) await unlink(join(this.options.directory, name)).catch(() => undefined);
    if (leftovers.length > 0) {
      this.#logger.warn(
        { key: nonceKeyLabel(keyHash), files: leftovers.length },
        'removed temp files of an interrupted write',
      );
    }
    this.#swept.add(keyHash);
  }

  async #issueHeld(request: NonceRequest, lock: HeldNonceFileLock): Promise<bigint> {
    const { keyHash, scale } = request;
    const state = await this.#read(keyHash);
    if (state?.scale && nonceScaleRank(state.scale) > nonceScaleRank(scale)) {
      throw new NonceScaleError(keyHash, state.scale, scale);
    }
    const clockBased = request.clockNonce();
    const block = this.#blocks.get(keyHash);
    if (
      state !== undefined &&
      block !== undefined &&
      state.owner === this.#ownerId &&
      state.ceiling === block.ceiling &&
      state.scale === scale
    ) {
      // Nobody wrote since our reservation: continue our block without a write.
      const nonce = nextNonce(block.last, clockBased, keyHash);
      if (nonce <= block.ceiling) {
        await lock.assertHeld();
        block.last = nonce;
        return nonce;
      }
    }
    this.#blocks.delete(keyHash);
    const nonce = nextNonce(state?.ceiling ?? 0n, clockBased, keyHash);
    const reach = clockBased + BigInt(this.options.blockMs) * nonceUnitsPerMs(scale);
    const ceiling = reach > nonce && reach <= maxNonce ? reach : nonce;
    await this.#write({ keyHash, scale, ceiling, owner: this.#ownerId });
    // Fencing: if the lock was taken over while we wrote, another process may hold the same
    // block; discard it (the file's ceiling still covers it, so nobody reuses it later).
    await lock.assertHeld();
    this.#blocks.set(keyHash, { last: nonce, ceiling });
    return nonce;
  }

  async #raiseHeld(keyHash: string, atLeast: bigint, lock: HeldNonceFileLock): Promise<void> {
    const state = await this.#read(keyHash);
    const block = this.#blocks.get(keyHash);
    if (state?.owner === this.#ownerId && block?.ceiling === state.ceiling && atLeast <= block.ceiling) {
      // Inside our own block nobody else can issue: moving our position up is enough.
      if (atLeast > block.last) block.last = atLeast;
      await lock.assertHeld();
      return;
    }
    // Otherwise release every block (no owner), so no process continues below the floor.
    this.#blocks.delete(keyHash);
    const ceiling = state === undefined || atLeast > state.ceiling ? atLeast : state.ceiling;
    await this.#write({ keyHash, scale: state?.scale ?? null, ceiling, owner: null });
    await lock.assertHeld();
  }

  #read(keyHash: string): Promise<NonceFileState | undefined> {
    return readNonceFile(this.statePath(keyHash), keyHash);
  }

  #write(state: Omit<NonceFileState, 'ownerPid' | 'updatedAt'>): Promise<void> {
    const path = this.statePath(state.keyHash);
    return writeNonceFile(path, `${path}.${this.#ownerId}.tmp`, this.#assertOpen(), {
      ...state,
      ownerPid: state.owner === null ? null : process.pid,
      updatedAt: new Date(this.#clock.now()).toISOString(),
    });
  }

  #assertOpen(): FileHandle {
    if (this.#directory === undefined) throw new NonceStateError('file nonce store', 'closed');
    return this.#directory;
  }

  /** Typed errors pass through; anything else (fs errors) becomes a {@link NonceStoreError}. */
  async #guard<T>(operation: string, keyHash: string | undefined, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof KrakenkitError) throw error;
      throw new NonceStoreError('file', operation, error, {
        ...(keyHash === undefined ? {} : { keyHash }),
        hint: `Check that ${this.options.directory} exists, is writable by this user, and the disk is not full.`,
      });
    }
  }
}
