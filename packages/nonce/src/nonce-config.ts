import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { NonceConfigError } from './nonce-errors.js';
import { nonceScales } from './nonce-scale.js';

// Every default lives here; the classes parse their options with these schemas.

const lockTimeoutMs = z
  .int()
  .min(1)
  .max(600_000)
  .default(30_000)
  .describe('Longest wait for a key’s send lock before NonceLockTimeoutError.');

/** Options every provider takes, whatever the store. */
export const nonceProviderOptionsSchema = z
  .object({
    scale: z
      .enum(nonceScales)
      .default('ns')
      .describe('Unit of clock-based nonces; never lower it for a key.'),
    lockTimeoutMs,
  })
  .strict();

/** Options of {@link FileNonceStore}. */
export const fileNonceStoreOptionsSchema = z
  .object({
    directory: z
      .string()
      .min(1)
      .refine(isAbsolute, 'must be an absolute path')
      .describe('Folder of the state files; created 0700 when missing.'),
    blockMs: z
      .int()
      .min(0)
      .max(60_000)
      .default(1_000)
      .describe('Nonce space (in ms of clock) a process may reserve at once; 0 writes every nonce.'),
    staleLockMs: z
      .int()
      .min(100)
      .max(600_000)
      .default(10_000)
      .describe('A live holder refreshes its lock; one unchanged this long is taken over.'),
    lockTimeoutMs,
  })
  .strict();

/** Options of {@link RedisNonceStore}. */
export const redisNonceStoreOptionsSchema = z
  .object({
    url: z
      .string()
      .regex(/^rediss?:\/\/[^\s]+$/, 'must be a redis:// or rediss:// URL')
      .describe('Redis server; may carry credentials, so it is never logged.'),
    keyPrefix: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[^{}\s]*$/, 'must not contain braces or spaces (the key hash is the cluster hash tag)')
      .default('krakenkit:nonce:'),
    lockTtlMs: z
      .int()
      .min(100)
      .max(600_000)
      .default(30_000)
      .describe('Expiry of a send lock; the holder extends it every third of this.'),
    commandTimeoutMs: z.int().min(10).max(60_000).default(5_000),
    lockTimeoutMs,
  })
  .strict();

const providerShape = nonceProviderOptionsSchema.shape;

/**
 * The `nonce` plugin's config: a discriminated union on `storage`.
 *
 * - `{}` or `{ storage: 'memory' }`: one process.
 * - `{ storage: 'file', directory: '/var/lib/my-bot/nonce' }`: processes on one host.
 * - `{ storage: 'redis', url: 'redis://10.0.0.5:6379' }`: processes on several hosts.
 */
export const nonceConfigSchema = z.discriminatedUnion(
  'storage',
  [
    z.object({ storage: z.literal('memory').default('memory'), ...providerShape }).strict(),
    z.object({ storage: z.literal('file'), ...providerShape, ...fileNonceStoreOptionsSchema.shape }).strict(),
    z
      .object({ storage: z.literal('redis'), ...providerShape, ...redisNonceStoreOptionsSchema.shape })
      .strict(),
  ],
  { error: () => "storage must be 'memory', 'file' or 'redis'" },
);

export type NonceConfig = z.output<typeof nonceConfigSchema>;
export type NonceConfigInput = z.input<typeof nonceConfigSchema>;
export type NonceStorage = NonceConfig['storage'];
export type NonceProviderOptions = z.output<typeof nonceProviderOptionsSchema>;
export type FileNonceStoreOptions = z.output<typeof fileNonceStoreOptionsSchema>;
export type RedisNonceStoreOptions = z.output<typeof redisNonceStoreOptionsSchema>;

/** Parses options for a class's `create`, throwing {@link NonceConfigError} with every problem. */
export function parseNonceOptions<TSchema extends z.ZodType>(
  schema: TSchema,
  input: unknown,
  what: string,
): z.output<TSchema> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw new NonceConfigError(
    what,
    result.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`),
  );
}
