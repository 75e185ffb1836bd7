import { constants, type FileHandle, open, rename, unlink } from 'node:fs/promises';
import { NonceFileCorruptError } from './nonce-errors.js';
import { assertSafeNonceFile, openExistingNoFollow } from './nonce-file-safety.js';
import {
  maxNonceFileBytes,
  type NonceFileState,
  parseNonceFileState,
  serializeNonceFileState,
} from './nonce-file-state.js';

/**
 * Reads and checks a state file; `undefined` when it does not exist. Opened with
 * `O_NOFOLLOW` and checked on the open handle, so the file checked is the file read.
 */
export async function readNonceFile(path: string, keyHash: string): Promise<NonceFileState | undefined> {
  const handle = await openExistingNoFollow(path);
  if (handle === undefined) return undefined;
  try {
    const stats = await handle.stat();
    assertSafeNonceFile(stats, path);
    if (stats.size > maxNonceFileBytes) {
      throw new NonceFileCorruptError(path, `it is ${stats.size} bytes, larger than any nonce file`);
    }
    return parseNonceFileState(await handle.readFile({ encoding: 'utf8' }), path, keyHash);
  } finally {
    await handle.close();
  }
}

/**
 * Replaces a state file atomically and durably: a new `0600` temp file (`O_EXCL`, never
 * following links), written and fsynced, renamed over the old file, then the directory
 * fsynced so the rename itself survives a crash. Readers see the old file or the new one,
 * never a mix.
 */
export async function writeNonceFile(
  path: string,
  temporaryPath: string,
  directory: FileHandle,
  state: NonceFileState,
): Promise<void> {
  const flags = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW;
  const handle = await open(temporaryPath, flags, 0o600);
  try {
    try {
      await handle.writeFile(serializeNonceFileState(state));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporaryPath, path);
  } catch (error) {
    await unlink(temporaryPath).catch(() => undefined);
    throw error;
  }
  await directory.sync();
}
