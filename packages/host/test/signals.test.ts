import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '@krakenkit/test-support';
import { beforeAll, describe, expect, it } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

// A real process: SIGTERM must run the plugins' stop hooks and exit 0.
describe('a real process receiving SIGTERM', () => {
  beforeAll(() => {
    ensureBuilt({
      packageName: '@krakenkit/host',
      files: ['packages/host/dist/index.js', 'packages/plugin-api/dist/index.js'],
    });
  }, 120_000);

  it('stops the host and exits cleanly', { timeout: 15_000 }, async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'krakenkit-signals-')), 'stopped');
    const child = spawn(process.execPath, [join(packageDir, 'test/fixtures/signal-app.mjs'), marker], {
      cwd: packageDir,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.includes('ready') && resolve());
      child.once('exit', (exitCode) => reject(new Error(`app exited with ${exitCode} before it was ready`)));
    });
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(readFileSync(marker, 'utf8')).toBe('stopped cleanly');
  });
});
