import { Secret } from '@krakenkit/plugin-api';
import { z } from 'zod';
import { apiKeyProblem, apiSecretProblem } from './auth-credentials.js';

// Every default lives here. Messages never include the value: the host prints each issue
// as `auth.<path>: <message>`, and a value here may be a secret.

function isSecretText(value: unknown): value is string | Secret<string> {
  return typeof value === 'string' || (value instanceof Secret && typeof value.reveal() === 'string');
}

/** A string or a `Secret` holding one; always a `Secret` once parsed. */
function secretText(what: string) {
  return z
    .custom<string | Secret<string>>(isSecretText, { error: `must be a string or a Secret holding ${what}` })
    .transform((value) => (value instanceof Secret ? value : new Secret(value)));
}

/** Backoff of retried reads (full jitter), on the host clock. */
export const authRetryConfigSchema = z
  .object({
    maxAttempts: z
      .int()
      .min(1)
      .max(10)
      .default(3)
      .describe('Attempts of a read (first try included); state-changing calls get one.'),
    baseDelayMs: z.int().min(1).max(60_000).default(250),
    maxDelayMs: z.int().min(1).max(300_000).default(4_000),
  })
  .strict();

/** The WebSocket token circuit breaker. */
export const authBreakerConfigSchema = z
  .object({
    failureThreshold: z
      .int()
      .min(1)
      .max(100)
      .default(3)
      .describe('Consecutive failed token requests that open the breaker.'),
    cooldownMs: z
      .int()
      .min(100)
      .max(3_600_000)
      .default(30_000)
      .describe('Open this long before one trial request (half-open); doubles on each failed trial.'),
    maxCooldownMs: z.int().min(100).max(3_600_000).default(900_000),
    lockoutCooldownMs: z
      .int()
      .min(0)
      .max(3_600_000)
      .default(900_000)
      .describe('After EGeneral:Temporary lockout the breaker opens at once for this long.'),
  })
  .strict();

export const authTokenConfigSchema = z
  .object({
    expirySafetyMs: z
      .int()
      .min(0)
      .max(600_000)
      .default(60_000)
      .describe('A token this close to its 15-minute unused validity is never handed out.'),
  })
  .strict();

export const authSessionConfigSchema = z
  .object({
    connectOnStart: z
      .boolean()
      .default(false)
      .describe('Open the private connection in onStart; otherwise on the first subscribe or request.'),
    openTimeoutMs: z
      .int()
      .min(100)
      .max(600_000)
      .default(30_000)
      .describe('How long open(), subscribe() and the first request wait for the connection.'),
  })
  .strict();

/**
 * The `auth` plugin's config. `apiKey` and `apiSecret` are strings (or `Secret`s) and are
 * wrapped in `Secret` as they are parsed, so the parsed config prints `[REDACTED]`.
 *
 * ```ts
 * { auth: { apiKey: process.env.KRAKEN_API_KEY, apiSecret: process.env.KRAKEN_API_SECRET } }
 * ```
 */
export const authConfigSchema = z
  .object({
    apiKey: secretText('the API key').refine(
      (key) => apiKeyProblem(key.reveal()) === undefined,
      'must be the public API key exactly as Kraken shows it (not empty, no spaces or line breaks)',
    ),
    apiSecret: secretText('the API secret').refine(
      (secret) => apiSecretProblem(secret.reveal()) === undefined,
      'must be the private key exactly as Kraken shows it (base64 of at least 32 bytes)',
    ),
    bodyEncoding: z
      .enum(['form', 'json'])
      .default('form')
      .describe('Body of private REST calls; a call may override it.'),
    requestTimeoutMs: z.int().min(100).max(120_000).default(10_000),
    retry: authRetryConfigSchema.prefault({}),
    token: authTokenConfigSchema.prefault({}),
    breaker: authBreakerConfigSchema.prefault({}),
    session: authSessionConfigSchema.prefault({}),
  })
  .strict();

export type AuthConfig = z.output<typeof authConfigSchema>;
export type AuthConfigInput = z.input<typeof authConfigSchema>;
export type AuthRetryOptions = z.output<typeof authRetryConfigSchema>;
export type AuthBreakerOptions = z.output<typeof authBreakerConfigSchema>;
export type AuthTokenOptions = z.output<typeof authTokenConfigSchema>;
export type AuthSessionOptions = z.output<typeof authSessionConfigSchema>;
