import { createVirtualClock } from '@krakenkit/host/testing';
import WebSocket from 'ws';
import { defaultAssets, defaultPairs, startSim } from '../src/index.js';

/** A recorded public session: what a client needs before the book, its snapshot, its updates. */
export interface RecordedBookStream {
  symbol: string;
  depth: number;
  /** `instrument` ack and snapshot, the `book` subscribe ack (no status frame: every connection gets its own). */
  setup: string[];
  snapshot: string;
  updates: string[];
}

/**
 * Records `updates` book update frames of one pair from the sim, exactly as a client
 * receives them: a sim on a virtual clock (seeded: same sources, same frames), its market
 * at a high speed, advanced one 100 ms market tick at a time with a ping → pong barrier
 * after each tick (so the client keeps up). The sim's checksums are not re-verified here:
 * the pipeline consumer verifies every one when the stream is replayed.
 */
export async function recordBookStream(options: {
  symbol: string;
  depth: number;
  updates: number;
  marketSpeed: number;
  seed?: number;
}): Promise<RecordedBookStream> {
  const clock = createVirtualClock();
  const pairs = defaultPairs.filter((pair) => pair.symbol === options.symbol);
  await using sim = await startSim({
    seed: options.seed ?? 42,
    clock,
    pairs,
    assets: defaultAssets,
    marketSpeed: options.marketSpeed,
    limits: { wsMessagesPerSecond: 1_000, idleTimeoutMs: 3_600_000 },
  });
  const setup: string[] = [];
  const updates: string[] = [];
  let snapshot: string | undefined;
  let pongs = 0;
  let wake: (() => void) | undefined;
  const socket = new WebSocket(sim.urls.publicWs, { perMessageDeflate: false });
  socket.on('message', (data: Buffer) => {
    const text = data.toString('utf8');
    if (text.startsWith('{"method":"pong"')) pongs += 1;
    else if (text.startsWith('{"channel":"book","type":"update"')) updates.push(text);
    else if (text.startsWith('{"channel":"book","type":"snapshot"')) snapshot = text;
    else if (!text.startsWith('{"channel":"heartbeat"') && !text.startsWith('{"channel":"status"'))
      setup.push(text);
    wake?.();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let reqId = 0;
  const barrier = async () => {
    const wanted = pongs + 1;
    socket.send(`{"method":"ping","req_id":${++reqId}}`);
    while (pongs < wanted) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('recording: the sim stopped answering')), 10_000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  };
  socket.send(`{"method":"subscribe","params":{"channel":"instrument"},"req_id":${++reqId}}`);
  socket.send(
    `{"method":"subscribe","params":{"channel":"book","depth":${options.depth},"symbol":["${options.symbol}"]},"req_id":${++reqId}}`,
  );
  await barrier();
  if (snapshot === undefined) throw new Error('recording: no book snapshot');
  while (updates.length < options.updates) {
    await clock.advanceAsync(100);
    await barrier();
  }
  socket.close();
  if (sim.control.internalErrors().length > 0) throw new Error('recording: the sim reported internal errors');
  return {
    symbol: options.symbol,
    depth: options.depth,
    setup,
    snapshot,
    updates: updates.slice(0, options.updates),
  };
}

/** `[...setup, snapshot, ...updates]`, the `[snapshot, ...updates]` part repeated `cycles` times. */
export function streamFrames(stream: RecordedBookStream, cycles: number): string[] {
  const frames = [...stream.setup];
  for (let cycle = 0; cycle < cycles; cycle++) frames.push(stream.snapshot, ...stream.updates);
  return frames;
}
