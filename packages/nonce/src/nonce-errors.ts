import { KrakenkitError } from '@krakenkit/plugin-api';

// Messages name the key by its hash prefix only (never the API key), and say what to do.

function keyLabel(keyHash: string | undefined): string {
  return keyHash === undefined ? '' : ` for API key ${keyHash.slice(0, 12)}… (hash prefix)`;
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** Options or config given to a nonce constructor do not parse; one `path: message` line each. */
export class NonceConfigError extends KrakenkitError {
  constructor(
    readonly what: string,
    readonly issues: readonly string[],
  ) {
    super(
      'NONCE_CONFIG_INVALID',
      `Invalid ${what} (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${issues.map((line) => `  ${line}`).join('\n')}`,
    );
  }
}

/** A caller passed a value the provider cannot use (empty API key, malformed floor). */
export class NonceArgumentError extends KrakenkitError {
  constructor(message: string) {
    super('NONCE_INVALID_ARGUMENT', message);
  }
}

/** A provider or store was used before `open()` or after `close()`. */
export class NonceStateError extends KrakenkitError {
  constructor(
    readonly subject: string,
    readonly state: 'created' | 'closing' | 'closed',
  ) {
    super(
      'NONCE_NOT_OPEN',
      state === 'created'
        ? `The ${subject} is not open yet; call open() first (the nonce plugin does it in onStart, so use the provider after host.start()).`
        : `The ${subject} is ${state}; no nonce was issued. Open a new one (or start a new host) to continue.`,
    );
  }
}

/**
 * A store operation failed, so no nonce was issued: the provider fails closed rather than
 * hand out a nonce it could not persist. `cause` holds the underlying error.
 */
export class NonceStoreError extends KrakenkitError {
  constructor(
    readonly storage: string,
    readonly operation: string,
    cause: unknown,
    options: { keyHash?: string; hint?: string } = {},
  ) {
    super(
      'NONCE_STORE_FAILED',
      `The ${storage} nonce store could not ${operation}${keyLabel(options.keyHash)}: ${describeCause(cause)}. No nonce was issued.${options.hint ? ` ${options.hint}` : ''}`,
      { cause },
    );
  }
}

/**
 * A nonce state file cannot be parsed or fails its checksum. The store refuses to start from
 * it (restarting from 0 or guessing could reuse nonces).
 */
export class NonceFileCorruptError extends KrakenkitError {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(
      'NONCE_FILE_CORRUPT',
      `Nonce file ${path} is corrupt (${reason}); refusing to use it, since guessing could reuse nonces. Restore it from a backup, or delete it to restart this key from the clock, which is safe only if this host's clock is not behind the time the file was last written and no other process is using the key.`,
    );
  }
}

/** What is wrong with a nonce file or directory, for {@link NonceFileUnsafeError}. */
export type NonceFileProblem =
  | 'symlink'
  | 'not-a-file'
  | 'not-a-directory'
  | 'not-absolute'
  | 'owner'
  | 'file-permissions'
  | 'directory-permissions';

const fixes: Readonly<Record<NonceFileProblem, (path: string) => string>> = {
  symlink: (path) =>
    `it is a symbolic link; point the store at the real path, or replace the link with the file it names (${path})`,
  'not-a-file': (path) => `it is not a regular file; remove or rename ${path}`,
  'not-a-directory': (path) => `it is not a directory; set directory to a folder, or remove ${path}`,
  'not-absolute': () =>
    'the directory must be an absolute path, so it does not depend on the working directory',
  owner: (path) => `it is owned by another user; run as its owner, or \`chown $(id -u) ${path}\``,
  'file-permissions': (path) =>
    `group or other users have access to it (it must be readable and writable by its owner only); run \`chmod 600 ${path}\``,
  'directory-permissions': (path) =>
    `group or other users can write to it, so they could replace the nonce files; run \`chmod 700 ${path}\``,
};

/**
 * A nonce file or its directory fails the safety checks done at open: a symlink, another
 * owner, or permissions that let other users read or replace it. The message says the fix.
 */
export class NonceFileUnsafeError extends KrakenkitError {
  constructor(
    readonly path: string,
    readonly problem: NonceFileProblem,
  ) {
    super('NONCE_FILE_UNSAFE', `Refusing to use the nonce path ${path}: ${fixes[problem](path)}.`);
  }
}

/** The key's send lock was not obtained in time; no nonce was issued. */
export class NonceLockTimeoutError extends KrakenkitError {
  constructor(
    readonly keyHash: string,
    readonly waitedMs: number,
    readonly holder: string,
  ) {
    super(
      'NONCE_LOCK_TIMEOUT',
      `Waited ${Math.round(waitedMs)} ms for the nonce send lock${keyLabel(keyHash)}, held by ${holder}; no nonce was issued. A request holding it is slow or hung: check that process, send fewer concurrent requests with this key, or raise lockTimeoutMs.`,
    );
  }
}

/**
 * The key's cross-process lock was taken over by another process while this one held it
 * (this process was paused for longer than `staleLockMs`). The nonce was not handed out.
 */
export class NonceLockLostError extends KrakenkitError {
  constructor(readonly keyHash: string) {
    super(
      'NONCE_LOCK_LOST',
      `Another process took over the nonce lock${keyLabel(keyHash)} while this process held it; the nonce was discarded. This process was paused (event loop blocked, process stopped) longer than staleLockMs: find what blocks it, or raise staleLockMs.`,
    );
  }
}

/** The next nonce would not fit in an unsigned 64-bit integer. */
export class NonceExhaustedError extends KrakenkitError {
  constructor(readonly keyHash: string) {
    super(
      'NONCE_EXHAUSTED',
      `The next nonce${keyLabel(keyHash)} would exceed the uint64 maximum 18446744073709551615, which Kraken cannot accept. Create a new API key (its nonces start over) and find what raised this key's nonce so far (a floor raised too high, or a clock far in the future).`,
    );
  }
}

/** The configured scale is smaller than the scale this key's stored nonces already use. */
export class NonceScaleError extends KrakenkitError {
  constructor(
    readonly keyHash: string,
    readonly storedScale: string,
    readonly configuredScale: string,
  ) {
    super(
      'NONCE_SCALE_DOWNGRADE',
      `The stored nonces${keyLabel(keyHash)} use scale '${storedScale}', but the provider is configured with '${configuredScale}'. A key must never move to a smaller scale (Kraken would reject every nonce below the ones already used): set scale '${storedScale}', or use a new API key.`,
    );
  }
}

/**
 * Kraken rejected a nonce (`EAPI:Invalid nonce`) and the one retry with a fresh nonce, after
 * `raiseFloor`, was rejected too. Thrown by the signing side (auth); defined here because the
 * fix is about how nonces are shared. Do not retry further: invalid nonces lead to a lockout.
 */
export class InvalidNonceError extends KrakenkitError {
  readonly keyHash: string | undefined;
  /** The rejected nonce, when known. */
  readonly nonce: string | undefined;

  constructor(options: { keyHash?: string; nonce?: string; cause?: unknown } = {}) {
    super(
      'INVALID_NONCE',
      `Kraken rejected the nonce${keyLabel(options.keyHash)} (EAPI:Invalid nonce), again after a retry with a raised floor; not retrying further, since repeated invalid nonces lock the key out for about 15 minutes. Another client is using this API key, or requests overtook each other in flight. Fix one of: use one API key per process; share the key through the nonce plugin's 'file' (one host) or 'redis' (several hosts) storage and send through withNonce; or raise the key's nonce window in Kraken's API key settings ("Custom number only used once window").`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.keyHash = options.keyHash;
    this.nonce = options.nonce;
  }
}
