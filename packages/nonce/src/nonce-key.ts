import { createHash } from 'node:crypto';
import { NonceArgumentError } from './nonce-errors.js';

// Domain-separated so the value is useless as a generic SHA-256 of the key elsewhere.
const hashDomain = 'krakenkit-nonce/v1\u0000';
const keyHashPattern = /^[0-9a-f]{64}$/;

/**
 * The identifier stores use for an API key: hex SHA-256 of the key (domain-separated). The
 * API key itself is never stored or logged; use this (or {@link nonceKeyLabel}) to find a
 * key's file (`nonce-<hash>.json`) or Redis entry.
 */
export function nonceKeyHash(apiKey: string): string {
  if (typeof apiKey !== 'string' || apiKey.length === 0) {
    throw new NonceArgumentError('apiKey must be a non-empty string (the Kraken API key the nonce is for).');
  }
  return createHash('sha256').update(hashDomain).update(apiKey).digest('hex');
}

/** The 12-character prefix of a key hash: what logs, metrics and error messages show. */
export function nonceKeyLabel(keyHash: string): string {
  return keyHash.slice(0, 12);
}

export function isNonceKeyHash(value: unknown): value is string {
  return typeof value === 'string' && keyHashPattern.test(value);
}
