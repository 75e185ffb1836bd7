import { execFileSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '@krakenkit/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { SimClient } from './support/sim-client.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('krakenkit-sim CLI', () => {
  beforeAll(() => {
    ensureBuilt({
      packageName: '@krakenkit/sim',
      files: ['packages/sim/dist/cli.js', 'packages/plugin-api/dist/index.js'],
    });
  }, 120_000);

  it('prints its URLs, serves them, and stops cleanly on Ctrl-C', { timeout: 20_000 }, async () => {
    const child = spawn(
      process.execPath,
      [join(packageDir, 'dist/cli.js'), '--seed', '3', '--market-speed', '0'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ctrl-C stops.')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
    });
    const publicWs = /public WS\s+(\S+)/.exec(output)?.[1];
    const privateWs = /private WS\s+(\S+)/.exec(output)?.[1];
    expect(publicWs).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/v2$/);
    expect(privateWs).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/v2$/);
    expect(output).toMatch(/REST\s+http:\/\/127\.0\.0\.1:\d+/);
    expect(output).toMatch(/control\s+http:\/\/127\.0\.0\.1:\d+/);

    const client = await SimClient.connect(publicWs ?? '');
    await client.next((message) => message.channel === 'status');
    await client.close();

    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(output).toContain('krakenkit-sim stopped');
  });

  it('refuses bad flags with a clear message', () => {
    const result = (() => {
      try {
        execFileSync(process.execPath, [join(packageDir, 'dist/cli.js'), '--port', 'abc'], { stdio: 'pipe' });
        return { code: 0, stderr: '' };
      } catch (error) {
        const failure = error as { status: number; stderr: Buffer };
        return { code: failure.status, stderr: failure.stderr.toString() };
      }
    })();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--port must be a port number');
  });
});
