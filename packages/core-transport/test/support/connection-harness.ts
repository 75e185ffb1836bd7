import {
  type CapturingLogger,
  createCapturingLogger,
  createVirtualClock,
  type VirtualClock,
} from '@krakenkit/host/testing';
import { type Clock, createSeededRandom } from '@krakenkit/plugin-api';
import { type ConnectionOptions, KrakenConnection } from '../../src/connection.js';
import { ConnectionAttemptBudget } from '../../src/connection-attempt-budget.js';
import { FrameDecoder } from '../../src/frame-decoder.js';

export interface Harness {
  connection: KrakenConnection;
  clock: VirtualClock;
  capture: CapturingLogger;
  events: Array<{ event: string; payload: unknown }>;
}

/** A connection on a virtual clock with test-friendly defaults; every event recorded. */
export function createConnection(
  url: string,
  overrides: Partial<ConnectionOptions> & { clock?: Clock } = {},
): Harness {
  const clock = (overrides.clock as VirtualClock | undefined) ?? createVirtualClock();
  const capture = createCapturingLogger({ level: 'debug' });
  const decoder = new FrameDecoder();
  const connection = new KrakenConnection({
    name: 'test',
    url,
    clock,
    random: createSeededRandom('connection-test'),
    logger: capture.logger,
    budget: new ConnectionAttemptBudget(clock),
    decode: (text) => decoder.decode(text),
    liveness: { idlePingMs: 2_000, deadlineMs: 5_000, keepAlivePingMs: 20_000 },
    reconnect: { baseDelayMs: 500, maxDelayMs: 30_000, stableAfterMs: 60_000, restrictedMinDelayMs: 5_000 },
    requestTimeoutMs: 10_000,
    outbound: { messagesPerSecond: 20, burst: 20, maxBufferedBytes: 1 << 20, maxQueued: 10_000 },
    maxInboundFrameBytes: 8 << 20,
    handshakeTimeoutMs: 5_000,
    statusWaitMs: 2_000,
    ...overrides,
  });
  const events: Harness['events'] = [];
  for (const event of [
    'state-change',
    'connection-open',
    'connection-close',
    'reconnect-scheduled',
    'liveness-timeout',
    'token-error',
    'connection-refused',
    'rtt',
  ]) {
    connection.on(event, (payload) => events.push({ event, payload }));
  }
  return { connection, clock, capture, events };
}

/** Resolves on the connection's next event of that name (real I/O keeps running meanwhile). */
export function nextEvent<T = unknown>(
  connection: KrakenConnection,
  event: string,
  timeoutMs = 5_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    const off = connection.on(event, (payload) => {
      clearTimeout(timer);
      off();
      resolve(payload as T);
    });
  });
}
