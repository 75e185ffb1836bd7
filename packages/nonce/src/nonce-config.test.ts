import { describe, expect, it } from 'vitest';
import {
  fileNonceStoreOptionsSchema,
  nonceConfigSchema,
  parseNonceOptions,
  redisNonceStoreOptionsSchema,
} from './nonce-config.js';
import { NonceConfigError } from './nonce-errors.js';

function issues(input: unknown): string[] {
  const result = nonceConfigSchema.safeParse(input);
  return result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('nonceConfigSchema', () => {
  it('defaults to the memory store at ns scale', () => {
    expect(nonceConfigSchema.parse({})).toEqual({ storage: 'memory', scale: 'ns', lockTimeoutMs: 30_000 });
  });

  it('fills file and redis defaults', () => {
    expect(nonceConfigSchema.parse({ storage: 'file', directory: '/var/lib/bot/nonce' })).toEqual({
      storage: 'file',
      directory: '/var/lib/bot/nonce',
      scale: 'ns',
      lockTimeoutMs: 30_000,
      blockMs: 1_000,
      staleLockMs: 10_000,
    });
    expect(nonceConfigSchema.parse({ storage: 'redis', url: 'redis://10.0.0.5:6379', scale: 'us' })).toEqual({
      storage: 'redis',
      url: 'redis://10.0.0.5:6379',
      scale: 'us',
      lockTimeoutMs: 30_000,
      keyPrefix: 'krakenkit:nonce:',
      lockTtlMs: 30_000,
      commandTimeoutMs: 5_000,
    });
  });

  it('is strict: unknown keys, other stores’ options, bad values', () => {
    expect(issues({ storage: 'file', directory: 'relative/dir' })).toEqual([
      'directory: must be an absolute path',
    ]);
    expect(issues({ storage: 'file' })[0]).toMatch(/^directory: /);
    expect(issues({ storage: 'memory', directory: '/x' })).toEqual([': Unrecognized key: "directory"']);
    expect(issues({ storage: 'sqlite' })).toEqual(["storage: storage must be 'memory', 'file' or 'redis'"]);
    expect(issues({ scale: 's' })[0]).toMatch(/^scale: /);
    expect(issues({ storage: 'redis', url: 'http://x' })).toEqual([
      'url: must be a redis:// or rediss:// URL',
    ]);
    expect(issues({ storage: 'redis', url: 'redis://x', keyPrefix: 'a{b}' })[0]).toMatch(
      /^keyPrefix: must not contain/,
    );
    expect(issues({ lockTimeoutMs: 0 })[0]).toMatch(/^lockTimeoutMs: /);
    expect(issues({ storage: 'file', directory: '/x', blockMs: 1.5 })[0]).toMatch(/^blockMs: /);
  });

  it('parses class options with the same schemas, reporting every problem', () => {
    expect(parseNonceOptions(redisNonceStoreOptionsSchema, { url: 'rediss://h:6380' }, 'x').lockTtlMs).toBe(
      30_000,
    );
    expect(() =>
      parseNonceOptions(fileNonceStoreOptionsSchema, { directory: 'x', blockMs: -1 }, 'file options'),
    ).toThrow(NonceConfigError);
    expect(() =>
      parseNonceOptions(fileNonceStoreOptionsSchema, { directory: 'x', blockMs: -1 }, 'file options'),
    ).toThrow(/Invalid file options \(2 problems\):\n {2}directory: must be an absolute path\n {2}blockMs: /);
  });
});
