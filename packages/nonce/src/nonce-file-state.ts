import { createHash } from 'node:crypto';
import { z } from 'zod';
import { NonceFileCorruptError } from './nonce-errors.js';
import { maxNonce, type NonceScale, nonceScales } from './nonce-scale.js';

/** Format tag of state files; a different tag is refused rather than guessed at. */
export const nonceFileFormat = 'krakenkit-nonce-file/1';

/** Largest state file accepted; real ones are about 300 bytes. */
export const maxNonceFileBytes = 4_096;

/**
 * What a state file holds: the key hash (never the key), the scale, the persisted ceiling
 * (every nonce ever issued for the key is at most this) and the process that owns the block
 * up to it. Nothing secret.
 */
export interface NonceFileState {
  keyHash: string;
  /** `null` until a nonce is issued (a floor can be raised first). */
  scale: NonceScale | null;
  ceiling: bigint;
  /** Store instance that reserved the nonces up to `ceiling`; `null` when nobody may continue. */
  owner: string | null;
  ownerPid: number | null;
  updatedAt: string;
}

const fileSchema = z
  .object({
    format: z.literal(nonceFileFormat),
    keyHash: z.string().regex(/^[0-9a-f]{64}$/),
    scale: z.enum(nonceScales).nullable(),
    ceiling: z.string().regex(/^(0|[1-9][0-9]{0,19})$/),
    owner: z.string().min(1).max(100).nullable(),
    ownerPid: z.int().min(0).nullable(),
    updatedAt: z.string().max(64),
    checksum: z.string(),
  })
  .strict();

function body(state: NonceFileState): string {
  // Fixed key order: the checksum covers exactly these bytes.
  return JSON.stringify({
    format: nonceFileFormat,
    keyHash: state.keyHash,
    scale: state.scale,
    ceiling: state.ceiling.toString(),
    owner: state.owner,
    ownerPid: state.ownerPid,
    updatedAt: state.updatedAt,
  });
}

function checksum(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
}

export function serializeNonceFileState(state: NonceFileState): string {
  const text = body(state);
  return `${text.slice(0, -1)},"checksum":"${checksum(text)}"}\n`;
}

/**
 * Parses a state file, refusing anything that is not exactly what {@link serializeNonceFileState}
 * writes: empty or truncated content, bad JSON, another format, a checksum mismatch (a damaged
 * or hand-edited file), or a key hash that is not the one in the file name.
 */
export function parseNonceFileState(text: string, path: string, expectedKeyHash: string): NonceFileState {
  if (text.length === 0) throw new NonceFileCorruptError(path, 'the file is empty; a write was cut short');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new NonceFileCorruptError(path, 'it is not valid JSON; it may be truncated');
  }
  const format = (raw as { format?: unknown } | null)?.format;
  if (format !== nonceFileFormat) {
    throw new NonceFileCorruptError(
      path,
      `unknown format ${JSON.stringify(format) ?? 'undefined'} (expected '${nonceFileFormat}'; written by another version?)`,
    );
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new NonceFileCorruptError(path, `field '${issue?.path.join('.') ?? '?'}' is invalid`);
  }
  const { checksum: expected, format: _format, ...fields } = parsed.data;
  const state: NonceFileState = { ...fields, ceiling: BigInt(fields.ceiling) };
  if (state.ceiling > maxNonce) throw new NonceFileCorruptError(path, 'its ceiling exceeds the uint64 range');
  if (checksum(body(state)) !== expected) {
    throw new NonceFileCorruptError(path, 'its checksum does not match; it was damaged or edited');
  }
  if (state.keyHash !== expectedKeyHash) {
    throw new NonceFileCorruptError(path, 'it belongs to another key than the one in its name');
  }
  return state;
}
