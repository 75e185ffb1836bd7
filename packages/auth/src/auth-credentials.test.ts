import { chmodSync, chownSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { Secret } from '@krakenkit/plugin-api';
import { afterAll, describe, expect, it } from 'vitest';
import { KrakenCredentials } from './auth-credentials.js';
import { loadCredentialsFile } from './auth-credentials-file.js';
import { CredentialsError } from './auth-errors.js';

const apiKey = 'CANARYKEYcredentialsTest0123456789abcdef';
const secretBytes = Buffer.from('CANARY-SECRET-credentials-test-0123456789-abcdefghijklmnopqrstuvw');
const apiSecret = secretBytes.toString('base64');

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function writeCredentials(content: string, mode: number): string {
  const root = mkdtempSync(join(tmpdir(), 'krakenkit-auth-credentials-'));
  roots.push(root);
  const path = join(root, 'kraken.json');
  writeFileSync(path, content, { mode });
  chmodSync(path, mode);
  return path;
}

function expectClean(text: string): void {
  for (const value of [apiKey, apiSecret, secretBytes.toString('utf8'), apiSecret.slice(0, 8)]) {
    expect(text).not.toContain(value);
  }
}

describe('KrakenCredentials', () => {
  it('prints [REDACTED] through inspect, toJSON, toString and templates', () => {
    const credentials = KrakenCredentials.from({ apiKey, apiSecret: new Secret(apiSecret) });
    const printed = [
      inspect(credentials, { depth: 10, showHidden: true }),
      JSON.stringify({ credentials }),
      String(credentials),
      `${credentials}`,
      inspect(credentials.apiKey),
      JSON.stringify(credentials.apiKey),
    ];
    for (const text of printed) {
      expect(text).toContain('[REDACTED]');
      expectClean(text);
    }
    expect(credentials.keyLabel).toMatch(/^[0-9a-f]{12}$/);
    expect(credentials.apiKey.reveal()).toBe(apiKey);
  });

  it.each([
    ['missing-key', { apiKey: '', apiSecret }],
    ['malformed-key', { apiKey: ' ', apiSecret }],
    ['malformed-key', { apiKey: `${apiKey}\n`, apiSecret }],
    ['missing-secret', { apiKey, apiSecret: '' }],
    ['malformed-secret', { apiKey, apiSecret: `${apiSecret.slice(0, -4)}!!==` }],
    ['malformed-secret', { apiKey, apiSecret: apiSecret.slice(1) }],
    ['short-secret', { apiKey, apiSecret: Buffer.from('CANARY-short').toString('base64') }],
  ] as const)('refuses %s without echoing the value', (problem, input) => {
    const error = (() => {
      try {
        KrakenCredentials.from(input);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as CredentialsError).problem).toBe(problem);
    expectClean(`${(error as Error).message} ${(error as Error).stack} ${inspect(error)}`);
    expect(inspect(error)).not.toContain('CANARY');
  });
});

describe('loadCredentialsFile', () => {
  const content = JSON.stringify({ apiKey, apiSecret });

  it('reads a 0600 (or 0400) file into Secrets', async () => {
    for (const mode of [0o600, 0o400]) {
      const loaded = await loadCredentialsFile(writeCredentials(content, mode));
      expect(loaded.apiKey.reveal()).toBe(apiKey);
      expect(loaded.apiSecret.reveal()).toBe(apiSecret);
      expectClean(inspect(loaded));
      expectClean(JSON.stringify(loaded));
    }
  });

  it.each([0o644, 0o640, 0o604, 0o620, 0o602, 0o660])('refuses mode %o', async (mode) => {
    const path = writeCredentials(content, mode);
    await expect(loadCredentialsFile(path)).rejects.toMatchObject({ problem: 'permissions' });
    await expect(loadCredentialsFile(path)).rejects.toThrow(`chmod 600 ${path}`);
  });

  it('refuses symlinks, relative paths, directories and missing files', async () => {
    const path = writeCredentials(content, 0o600);
    const link = `${path}.link`;
    symlinkSync(path, link);
    await expect(loadCredentialsFile(link)).rejects.toMatchObject({ problem: 'symlink' });
    await expect(loadCredentialsFile('kraken.json')).rejects.toMatchObject({ problem: 'not-absolute' });
    await expect(loadCredentialsFile(join(path, '..'))).rejects.toMatchObject({ problem: 'not-a-file' });
    await expect(loadCredentialsFile(`${path}.missing`)).rejects.toMatchObject({ problem: 'unreadable' });
  });

  it.each([
    ['not JSON', `{"apiKey": "${apiKey}", "apiSecret": ${apiSecret}}`],
    ['extra fields', JSON.stringify({ apiKey, apiSecret, otp: 'x' })],
    ['missing fields', JSON.stringify({ apiKey })],
    ['an array', JSON.stringify([apiKey, apiSecret])],
  ])('refuses %s without quoting the content', async (_name, text) => {
    const error = await loadCredentialsFile(writeCredentials(text, 0o600)).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ problem: 'malformed-file' });
    expect((error as Error).cause).toBeUndefined();
    expectClean(`${(error as Error).message} ${(error as Error).stack} ${inspect(error)}`);
  });

  it.runIf(process.getuid?.() === 0)('refuses a file owned by another user', async () => {
    const path = writeCredentials(content, 0o600);
    chownSync(path, 65534, 65534);
    await expect(loadCredentialsFile(path)).rejects.toMatchObject({ problem: 'owner' });
  });
});
