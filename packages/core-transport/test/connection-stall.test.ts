import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { systemClock } from '@krakenkit/plugin-api';
import { ensureBuilt } from '@krakenkit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection, nextEvent } from './support/connection-harness.js';

// The sim runs in its own process here: a busy loop in this process must not stop the
// server from sending, so frames really do arrive during the stall.
const simCli = join(
  dirname(createRequire(import.meta.url).resolve('@krakenkit/sim/package.json')),
  'dist/cli.js',
);

describe('KrakenConnection during a local event-loop stall', () => {
  let sim: ChildProcess | undefined;
  let publicWs = '';

  beforeAll(async () => {
    ensureBuilt({
      packageName: '@krakenkit/sim',
      files: ['packages/sim/dist/cli.js', 'packages/plugin-api/dist/index.js'],
    });
    const child = spawn(process.execPath, [simCli, '--market-speed', '5'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    sim = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ctrl-C stops.')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`sim exited with ${code}`)));
    });
    publicWs = /public WS\s+(\S+)/.exec(output)?.[1] ?? '';
  }, 120_000);

  afterAll(() => {
    sim?.kill('SIGINT');
  });

  it('does not declare the link dead when frames arrived during a 3 s stall', {
    timeout: 20_000,
  }, async () => {
    const { connection, events } = createConnection(publicWs, {
      clock: systemClock,
      liveness: { idlePingMs: 400, deadlineMs: 1_000, keepAlivePingMs: 20_000 },
    });
    connection.start();
    await nextEvent(connection, 'connection-open');
    // Heartbeats (or ticker data) flow about every second once a subscription exists.
    await connection.request('subscribe', { channel: 'ticker', symbol: ['BTC/USD'] });
    await nextEvent(connection, 'message');

    const stallUntil = Date.now() + 3_000;
    while (Date.now() < stallUntil) {
      // A user callback hogging the event loop for 3 s: three times the deadline.
    }
    // Give the loop one full turn (timers, then I/O, then checks) to react.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(events.filter((entry) => entry.event === 'liveness-timeout')).toEqual([]);
    expect(connection.state === 'open' || connection.state === 'degraded').toBe(true);
    expect(connection.stats.reconnects).toBe(0);
    await connection.stop();
  });
});
