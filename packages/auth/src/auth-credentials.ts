import { createSecretKey, type KeyObject } from 'node:crypto';
import { nonceKeyHash, nonceKeyLabel } from '@krakenkit/nonce';
import { Redacted, Secret } from '@krakenkit/plugin-api';
import { CredentialsError } from './auth-errors.js';
import { signApiRequest } from './auth-signature.js';

/** An API key pair as an app passes it: plain strings (from env) or `Secret`s. */
export interface CredentialsInput {
  /** The public API key, exactly as Kraken shows it. */
  readonly apiKey: string | Secret<string>;
  /** The private key, base64, exactly as Kraken shows it. */
  readonly apiSecret: string | Secret<string>;
}

const base64Pattern = /^[A-Za-z0-9+/]+={0,2}$/;
/** Kraken private keys decode to 64 bytes; anything under 32 is a truncated copy. */
const minimumSecretBytes = 32;

/** Why an API key text is unusable (Kraken keys are printable ASCII without spaces). */
export function apiKeyProblem(text: string): 'missing-key' | 'malformed-key' | undefined {
  if (text.length === 0) return 'missing-key';
  return /^[\x21-\x7e]+$/.test(text) ? undefined : 'malformed-key';
}

/** Why a private key text is unusable, without decoding more than its length. */
export function apiSecretProblem(text: string): 'malformed-secret' | 'short-secret' | undefined {
  if (!base64Pattern.test(text) || text.length % 4 !== 0) return 'malformed-secret';
  return Buffer.byteLength(text, 'base64') < minimumSecretBytes ? 'short-secret' : undefined;
}

function reveal(value: string | Secret<string>): unknown {
  return value instanceof Secret ? value.reveal() : value;
}

/**
 * A Kraken API key pair, held so it cannot leak by accident: `String()`, template
 * literals, `JSON.stringify` and `util.inspect` print `[REDACTED]`. The private key is
 * base64-decoded once into a `crypto` `KeyObject` (the decoded bytes are zeroed), so the
 * secret exists as text only in what the app passed in. Logs name the key by
 * {@link KrakenCredentials.keyLabel}, a prefix of its hash.
 */
export class KrakenCredentials extends Redacted {
  readonly #apiKey: Secret<string>;
  readonly #signingKey: KeyObject;
  /** Hex SHA-256 of the API key (domain-separated, as the nonce stores name keys). */
  readonly keyHash: string;
  /** The first 12 characters of {@link KrakenCredentials.keyHash}: what logs and errors show. */
  readonly keyLabel: string;

  private constructor(apiKey: string, signingKey: KeyObject) {
    super();
    this.#apiKey = new Secret(apiKey);
    this.#signingKey = signingKey;
    this.keyHash = nonceKeyHash(apiKey);
    this.keyLabel = nonceKeyLabel(this.keyHash);
  }

  /**
   * Checks and wraps a key pair. Throws {@link CredentialsError} (which never contains the
   * values) when the key is empty or not printable ASCII without spaces, or the secret is
   * not base64 of at least 32 bytes.
   */
  static from(input: CredentialsInput): KrakenCredentials {
    const apiKey = reveal(input.apiKey);
    const apiSecret = reveal(input.apiSecret);
    if (typeof apiKey !== 'string') throw new CredentialsError('missing-key');
    const keyProblem = apiKeyProblem(apiKey);
    if (keyProblem !== undefined) throw new CredentialsError(keyProblem);
    if (typeof apiSecret !== 'string' || apiSecret.length === 0) throw new CredentialsError('missing-secret');
    const problem = apiSecretProblem(apiSecret);
    if (problem !== undefined) throw new CredentialsError(problem);
    const bytes = Buffer.from(apiSecret, 'base64');
    try {
      return new KrakenCredentials(apiKey, createSecretKey(bytes));
    } finally {
      bytes.fill(0); // createSecretKey copied them
    }
  }

  /** The public API key for the `API-Key` header and nonce lookups; reveal it at the point of use. */
  get apiKey(): Secret<string> {
    return this.#apiKey;
  }

  /** `API-Sign` for a request (PROTOCOL §2.2); `postData` is the exact body sent. */
  sign(path: string, nonce: string, postData: string): string {
    return signApiRequest(path, nonce, postData, this.#signingKey);
  }
}
