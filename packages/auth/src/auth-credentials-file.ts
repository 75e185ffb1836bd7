import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { Secret } from '@krakenkit/plugin-api';
import { CredentialsError } from './auth-errors.js';

// POSIX only: on platforms without uids (Windows) the owner and mode checks are skipped.
const currentUid: number | undefined = process.getuid?.();
/** A credentials file is a few hundred bytes; anything much larger is not one. */
const maxFileBytes = 16 * 1024;

/** What {@link loadCredentialsFile} returns: both values already wrapped in `Secret`. */
export interface LoadedCredentials {
  readonly apiKey: Secret<string>;
  readonly apiSecret: Secret<string>;
}

function checkStats(stats: Stats, path: string): void {
  if (stats.isSymbolicLink()) throw new CredentialsError('symlink', path);
  if (!stats.isFile()) throw new CredentialsError('not-a-file', path);
  if (currentUid === undefined) return;
  if (stats.uid !== currentUid) throw new CredentialsError('owner', path);
  if ((stats.mode & 0o077) !== 0) throw new CredentialsError('permissions', path);
}

/**
 * Reads `{"apiKey": "...", "apiSecret": "..."}` from a file only its owner can access. The
 * file is refused when the path is relative, is a symbolic link (opened with `O_NOFOLLOW`),
 * is not a regular file, belongs to another user, or has any group/other permission bit
 * (it must be `0600` or `0400`). Checks run on the open handle, so the file checked is the
 * file read. Errors name the path and the fix, never the content (not even from a JSON
 * parse error, which would quote it). Credentials never come from command-line arguments,
 * which other users can see in `ps`.
 *
 * @example
 * ```ts
 * const credentials = await loadCredentialsFile('/etc/my-bot/kraken.json');
 * createHost({ config: { auth: { ...credentials } } });
 * ```
 */
export async function loadCredentialsFile(path: string): Promise<LoadedCredentials> {
  if (typeof path !== 'string' || !isAbsolute(path)) throw new CredentialsError('not-absolute', String(path));
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    // O_NOFOLLOW on a symlink fails with ELOOP.
    throw new CredentialsError(code === 'ELOOP' ? 'symlink' : 'unreadable', path);
  }
  let bytes: Buffer | undefined;
  try {
    const stats = await handle.stat();
    checkStats(stats, path);
    if (stats.size > maxFileBytes) throw new CredentialsError('malformed-file', path);
    bytes = await handle.readFile();
    return parseCredentials(bytes, path);
  } finally {
    bytes?.fill(0);
    await handle.close();
  }
}

function parseCredentials(bytes: Buffer, path: string): LoadedCredentials {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    // No cause: V8's JSON.parse message quotes the text it failed on.
    throw new CredentialsError('malformed-file', path);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CredentialsError('malformed-file', path);
  }
  const { apiKey, apiSecret, ...rest } = parsed as Record<string, unknown>;
  if (typeof apiKey !== 'string' || typeof apiSecret !== 'string' || Object.keys(rest).length > 0) {
    throw new CredentialsError('malformed-file', path);
  }
  return { apiKey: new Secret(apiKey), apiSecret: new Secret(apiSecret) };
}
