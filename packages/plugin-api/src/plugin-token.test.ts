import { describe, expect, it } from 'vitest';
import { KrakenkitError } from './errors.js';
import { createToken, isOptionalDependency, isToken, optional } from './plugin-token.js';

describe('createToken', () => {
  it('creates a frozen token with its id, multiplicity and provider hint', () => {
    const token = createToken<number>({ id: 'nonce.provider', providedBy: '@krakenkit/nonce' });
    expect(token.id).toBe('nonce.provider');
    expect(token.multiple).toBe(false);
    expect(token.providedBy).toBe('@krakenkit/nonce');
    expect(Object.isFrozen(token)).toBe(true);
    expect(String(token)).toBe('Token(nonce.provider)');
    expect(createToken<string>({ id: 'host.healthCheck', multiple: true }).multiple).toBe(true);
  });

  it('throws when the phantom type is read', () => {
    const token = createToken<number>({ id: 'a.b' });
    expect(() => token.T).toThrow(/exists only in the type system/);
  });

  it.each([
    'nonce',
    'Nonce.provider',
    'nonce.Provider',
    'nonce.',
    '.provider',
    'core_transport.x',
    'a.b.c',
    'a-.b',
  ])('rejects the malformed id %s', (id) => {
    expect(() => createToken({ id })).toThrow(KrakenkitError);
    expect(() => createToken({ id })).toThrow(/<pluginId>\.<name>/);
  });

  it('accepts kebab-case plugin ids with camelCase names', () => {
    expect(createToken({ id: 'core-transport.bookStore' }).id).toBe('core-transport.bookStore');
  });

  it('recognizes tokens and optional dependencies', () => {
    const token = createToken<number>({ id: 'a.b' });
    expect(isToken(token)).toBe(true);
    expect(isToken({ id: 'a.b' })).toBe(false);
    expect(isToken(null)).toBe(false);
    const dependency = optional(token);
    expect(isOptionalDependency(dependency)).toBe(true);
    expect(dependency.token).toBe(token);
    expect(isOptionalDependency(token)).toBe(false);
    expect(() => optional({ id: 'a.b' } as never)).toThrow(/createToken/);
  });
});
