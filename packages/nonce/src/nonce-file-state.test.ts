import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NonceFileCorruptError } from './nonce-errors.js';
import { type NonceFileState, parseNonceFileState, serializeNonceFileState } from './nonce-file-state.js';

const keyHash = 'b'.repeat(64);
const state: NonceFileState = {
  keyHash,
  scale: 'ns',
  ceiling: 1_767_225_601_000_000_000n,
  owner: '6f1c2a52-5a4e-4a5e-9a43-0d3c5c1f2e11',
  ownerPid: 4242,
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('nonce state file format', () => {
  it('round-trips, with a checksum and nothing but the key hash', () => {
    const text = serializeNonceFileState(state);
    expect(parseNonceFileState(text, '/f', keyHash)).toEqual(state);
    expect(text).toMatch(/"checksum":"sha256:[0-9a-f]{32}"}\n$/);
    const released = { ...state, owner: null, ownerPid: null, scale: null };
    expect(parseNonceFileState(serializeNonceFileState(released), '/f', keyHash)).toEqual(released);
  });

  it('refuses every truncation of a valid file', () => {
    const text = serializeNonceFileState(state);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: text.length - 2 }), (length) => {
        expect(() => parseNonceFileState(text.slice(0, length), '/f', keyHash)).toThrow(
          NonceFileCorruptError,
        );
      }),
    );
  });

  it('refuses any single changed character that still parses (the checksum catches it)', () => {
    const text = serializeNonceFileState(state);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: text.length - 2 }),
        fc.constantFrom(...'0123456789abcdef"{},:'),
        (at, char) => {
          const changed = text.slice(0, at) + char + text.slice(at + 1);
          if (changed === text) return;
          expect(() => parseNonceFileState(changed, '/f', keyHash)).toThrow(NonceFileCorruptError);
        },
      ),
    );
  });

  it('names the problem: empty, garbage, another format, another key, out of range', () => {
    expect(() => parseNonceFileState('', '/f', keyHash)).toThrow(/the file is empty/);
    expect(() => parseNonceFileState('{"ceil', '/f', keyHash)).toThrow(/not valid JSON; it may be truncated/);
    expect(() => parseNonceFileState('{"format":"other/9"}', '/f', keyHash)).toThrow(
      /unknown format "other\/9"/,
    );
    const text = serializeNonceFileState(state);
    expect(() => parseNonceFileState(text, '/f', 'c'.repeat(64))).toThrow(/belongs to another key/);
    const huge = serializeNonceFileState({ ...state, ceiling: 2n ** 64n });
    expect(() => parseNonceFileState(huge, '/f', keyHash)).toThrow(/exceeds the uint64 range/);
    expect(() => parseNonceFileState(text.replace('"ns"', '"ms"'), '/f', keyHash)).toThrow(
      /checksum does not match/,
    );
    expect(() => parseNonceFileState(text, '/data/nonce.json', keyHash.replace('b', 'c'))).toThrow(
      /Nonce file \/data\/nonce.json is corrupt .* Restore it from a backup/,
    );
  });
});
