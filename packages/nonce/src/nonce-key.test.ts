import { describe, expect, it } from 'vitest';
import { NonceArgumentError } from './nonce-errors.js';
import { isNonceKeyHash, nonceKeyHash, nonceKeyLabel } from './nonce-key.js';

describe('nonceKeyHash', () => {
  it('is a stable 64-hex digest that does not contain the key', () => {
    const apiKey = 'CANARY-KEY-0123456789abcdef';
    const hash = nonceKeyHash(apiKey);
    expect(isNonceKeyHash(hash)).toBe(true);
    expect(nonceKeyHash(apiKey)).toBe(hash);
    expect(nonceKeyHash(`${apiKey}x`)).not.toBe(hash);
    expect(hash).not.toContain(apiKey.toLowerCase());
    expect(nonceKeyLabel(hash)).toBe(hash.slice(0, 12));
  });

  it('refuses an empty key', () => {
    expect(() => nonceKeyHash('')).toThrow(NonceArgumentError);
    expect(() => nonceKeyHash(undefined as unknown as string)).toThrow(/non-empty string/);
  });
});
