import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostConfigError, PluginStartError } from '@krakenkit/host';
import { startTestHost } from '@krakenkit/host/testing';
import { nonceProviderToken } from '@krakenkit/plugin-api';
import { afterAll, describe, expect, it } from 'vitest';
import nonceDefault, {
  NonceFileCorruptError,
  NonceStateError,
  NonceStoreError,
  nonceKeyHash,
  noncePlugin,
} from '../src/index.js';

const apiKey = 'CANARY-API-KEY-plugin-1e77aa';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function freshDirectory(): string {
  const root = mkdtempSync(join(tmpdir(), 'krakenkit-nonce-plugin-'));
  roots.push(root);
  return join(root, 'state');
}

describe('noncePlugin in a host', () => {
  it('is the default export and provides the nonce provider (memory store by default)', async () => {
    expect(nonceDefault).toBe(noncePlugin);
    expect(noncePlugin.id).toBe('nonce');
    await using testHost = await startTestHost({ plugins: [import('../src/index.js')] });
    const provider = testHost.get(nonceProviderToken);
    const first = await provider.next(apiKey);
    expect(first).toBe((BigInt(testHost.clock.now()) * 1_000_000n).toString());
    expect(await provider.withNonce(apiKey, async (nonce) => nonce)).toBe((BigInt(first) + 1n).toString());
    expect(testHost.logs.join('\n')).toContain('nonces are kept in this process only');
  });

  it('reports config problems under nonce.<path>, all at once', async () => {
    const error = await startTestHost({
      plugins: [noncePlugin],
      config: { nonce: { storage: 'file', directory: 'relative', blockMs: -1, color: 'red' } },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HostConfigError);
    expect([...(error as HostConfigError).issues].sort()).toEqual([
      'nonce.blockMs: Too small: expected number to be >=0',
      'nonce.color: unknown key',
      'nonce.directory: must be an absolute path',
    ]);
    await expect(
      startTestHost({ plugins: [noncePlugin], config: { nonce: { storage: 'disk' } } }),
    ).rejects.toThrow("nonce.storage: storage must be 'memory', 'file' or 'redis'");
    await expect(
      startTestHost({ plugins: [noncePlugin], config: { nonce: { storage: 'redis' } } }),
    ).rejects.toThrow(/nonce\.url: /);
  });

  it('opens the file store on start and closes it on stop', async () => {
    const directory = freshDirectory();
    const testHost = await startTestHost({
      plugins: [noncePlugin],
      config: { nonce: { storage: 'file', directory } },
    });
    expect(statSync(directory).mode & 0o777).toBe(0o700);
    const provider = testHost.get(nonceProviderToken);
    await provider.next(apiKey);
    expect(existsSync(join(directory, `nonce-${nonceKeyHash(apiKey)}.json`))).toBe(true);
    await testHost.stop();
    await expect(provider.next(apiKey)).rejects.toBeInstanceOf(NonceStateError);
    expect(testHost.logs.join('\n')).not.toContain(apiKey);
  });

  it('a corrupt nonce file stops the start with the clear error', async () => {
    const directory = freshDirectory();
    {
      await using testHost = await startTestHost({
        plugins: [noncePlugin],
        config: { nonce: { storage: 'file', directory } },
      });
      await testHost.get(nonceProviderToken).next(apiKey);
    }
    writeFileSync(
      join(directory, `nonce-${nonceKeyHash(apiKey)}.json`),
      '{"format":"krakenkit-nonce-file/1","ceil',
    );
    const error = await startTestHost({
      plugins: [noncePlugin],
      config: { nonce: { storage: 'file', directory } },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PluginStartError);
    expect((error as PluginStartError).cause).toBeInstanceOf(NonceFileCorruptError);
    expect((error as Error).message).toMatch(/^Plugin 'nonce' failed to start: Nonce file .* is corrupt/);
  });

  it('an unreachable Redis stops the start with a typed error', async () => {
    const error = await startTestHost({
      plugins: [noncePlugin],
      // Port 9 (discard) on loopback: nothing listens there.
      config: { nonce: { storage: 'redis', url: 'redis://127.0.0.1:9', commandTimeoutMs: 500 } },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PluginStartError);
    expect((error as PluginStartError).cause).toBeInstanceOf(NonceStoreError);
    expect((error as Error).message).toContain('Check that Redis at 127.0.0.1:9 is reachable');
  });
});
