/**
 * The real krakenkit client pipeline as a stream consumer, in a child process: a
 * `KrakenConnection` whose `decode` is `MarketDataRouter.receive` (lossless parse,
 * validation, book apply, CRC-32 checksum verified on every snapshot and update), books
 * tracked from their subscribe acks as the socket layer does. The sim's benchmark
 * (`packages/sim/bench/sim-bench.ts`) forks it and `blast`s pre-built book frames at it, to
 * compare the rate the sim can send with the rate the fastest client consumes.
 *
 * IPC protocol (the same as the sim bench's null client, `packages/sim/bench/bench-client.ts`):
 * the parent sends `{ id, cmd, ...args }`, the child answers `{ id, result }` or `{ id, error }`.
 *   open { name, url }     connect; answers once the connection is open (status frame seen)
 *   arm  { name, frames }  count the next `frames` frames from zero
 *   wait { name }          resolves when they all went through the pipeline: timings and checks
 *   close { name }
 */

import { createSeededRandom, silentLogger, systemClock } from '@krakenkit/plugin-api';
import {
  type ChildCommand,
  FrameWindow,
  type FrameWindowResult,
  serveChildCommands,
} from '@krakenkit/test-support';
import {
  ConnectionAttemptBudget,
  KrakenConnection,
  MarketDataRouter,
  type MethodResponse,
} from '../src/index.js';

interface Consumer {
  connection: KrakenConnection;
  router: MarketDataRouter;
  window: FrameWindow;
}

const consumers = new Map<string, Consumer>();

function consumer(name: string): Consumer {
  const found = consumers.get(name);
  if (!found) throw new Error(`no connection ${name}`);
  return found;
}

async function open(name: string, url: string): Promise<{ ok: true }> {
  const router = new MarketDataRouter({ clock: systemClock });
  const entry: Consumer = {
    connection: undefined as unknown as KrakenConnection,
    router,
    window: new FrameWindow(),
  };
  const connection = new KrakenConnection({
    name: 'public',
    url,
    clock: systemClock,
    random: createSeededRandom('pipeline-consumer'),
    logger: silentLogger,
    budget: new ConnectionAttemptBudget(systemClock),
    decode: (text) => {
      const message = router.receive(text);
      // The waiter resolves after this frame went through the connection's handling too.
      entry.window.count();
      return message;
    },
    // Quiet links are not probed during a run (a pong would be one more frame).
    liveness: { idlePingMs: 60_000, deadlineMs: 120_000, keepAlivePingMs: 60_000 },
    reconnect: { baseDelayMs: 500, maxDelayMs: 30_000, stableAfterMs: 60_000, restrictedMinDelayMs: 5_000 },
    requestTimeoutMs: 10_000,
    outbound: { messagesPerSecond: 20, burst: 20, maxBufferedBytes: 1 << 20, maxQueued: 10_000 },
    maxInboundFrameBytes: 64 << 20,
    handshakeTimeoutMs: 5_000,
    statusWaitMs: 2_000,
  });
  entry.connection = connection;
  // Subscribe acks nobody requested on this connection (they come in the blasted stream).
  connection.on('response-unmatched', (message: MethodResponse) => {
    if (!message.success || message.method !== 'subscribe') return;
    const result = message.result as Record<string, unknown> | undefined;
    if (result?.channel !== 'book') return;
    router.books.track(String(result.symbol), Number(String(result.depth)));
  });
  consumers.set(name, entry);
  const opened = new Promise<void>((resolve, reject) => {
    connection.once('connection-open', () => resolve());
    connection.once('connection-refused', ({ status }) => reject(new Error(`refused: HTTP ${status}`)));
  });
  connection.start();
  await opened;
  return { ok: true };
}

function arm(name: string, frames: number): { ok: true } {
  consumer(name).window.arm(frames);
  return { ok: true };
}

async function wait(name: string): Promise<
  FrameWindowResult & {
    checks: { checksumMismatches: number; rejectedFrames: number; booksReady: number; booksTracked: number };
    applied: number;
  }
> {
  const entry = consumer(name);
  const timings = await entry.window.wait();
  const { router } = entry;
  const symbols = router.books.symbols();
  return {
    ...timings,
    checks: {
      checksumMismatches: router.books.stats().checksumMismatches,
      rejectedFrames: router.decoder.stats().rejected,
      booksReady: symbols.filter((symbol) => router.books.state(symbol) === 'ready').length,
      booksTracked: symbols.length,
    },
    applied: router.books.stats().applied,
  };
}

async function handle(message: ChildCommand): Promise<unknown> {
  const name = message.name as string;
  switch (message.cmd) {
    case 'open':
      return open(name, message.url as string);
    case 'arm':
      return arm(name, message.frames as number);
    case 'wait':
      return wait(name);
    case 'close': {
      const entry = consumers.get(name);
      consumers.delete(name);
      await entry?.connection.stop();
      return { ok: true };
    }
    default:
      throw new Error(`unknown command ${message.cmd}`);
  }
}

serveChildCommands(handle);
