import type { Stats } from 'node:fs';
import { constants, type FileHandle, lstat, mkdir, open } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { Logger } from '@krakenkit/plugin-api';
import { NonceFileUnsafeError } from './nonce-errors.js';

// POSIX only: on platforms without uids (Windows) the owner and mode checks are skipped.
const currentUid: number | undefined = process.getuid?.();

/** Error codes of fs calls, without trusting the shape of what was thrown. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * A state or lock file must be a regular file of ours that nobody else can read or write
 * (0600). Checked on the open handle (fstat), so the file checked is the file read.
 */
export function assertSafeNonceFile(stats: Stats, path: string): void {
  if (stats.isSymbolicLink()) throw new NonceFileUnsafeError(path, 'symlink');
  if (!stats.isFile()) throw new NonceFileUnsafeError(path, 'not-a-file');
  if (currentUid === undefined) return;
  if (stats.uid !== currentUid) throw new NonceFileUnsafeError(path, 'owner');
  if ((stats.mode & 0o077) !== 0) throw new NonceFileUnsafeError(path, 'file-permissions');
}

/**
 * Makes sure the state directory exists and is safe: created 0700 when missing (the mode is
 * given to `mkdir`, so the umask can only narrow it, and it is never changed here); an
 * existing one must be a real directory (not a symlink), ours, and not writable by group or
 * others. Readable by others is allowed but logged, since file names carry key hashes.
 */
export async function prepareNonceDirectory(directory: string, logger: Logger): Promise<void> {
  if (!isAbsolute(directory)) throw new NonceFileUnsafeError(directory, 'not-absolute');
  let stats = await lstatIfExists(directory);
  if (stats === undefined) {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    logger.info({ directory }, 'created the nonce directory (mode 0700)');
    stats = await lstat(directory);
  }
  assertSafeNonceDirectory(stats, directory);
  if (currentUid !== undefined && (stats.mode & 0o055) !== 0) {
    logger.warn(
      { directory, mode: (stats.mode & 0o777).toString(8) },
      `other users can list the nonce directory; run chmod 700 ${directory}`,
    );
  }
}

export function assertSafeNonceDirectory(stats: Stats, directory: string): void {
  if (stats.isSymbolicLink()) throw new NonceFileUnsafeError(directory, 'symlink');
  if (!stats.isDirectory()) throw new NonceFileUnsafeError(directory, 'not-a-directory');
  if (currentUid === undefined) return;
  if (stats.uid !== currentUid) throw new NonceFileUnsafeError(directory, 'owner');
  if ((stats.mode & 0o022) !== 0) throw new NonceFileUnsafeError(directory, 'directory-permissions');
}

export async function lstatIfExists(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Opens an existing file for reading without following a symlink: `undefined` when it does
 * not exist, {@link NonceFileUnsafeError} when the path is a symlink.
 */
export async function openExistingNoFollow(path: string): Promise<FileHandle | undefined> {
  try {
    return await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    if (errorCode(error) === 'ELOOP') throw new NonceFileUnsafeError(path, 'symlink');
    throw error;
  }
}
