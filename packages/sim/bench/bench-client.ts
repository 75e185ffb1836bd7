/**
 * The client side of the sim benchmark, run as a child process (`fork`) so the sim keeps
 * its own core. Driven over the IPC channel: the parent sends `{ id, cmd, ...args }`, the
 * child answers `{ id, result }` or `{ id, error }`. Commands:
 *
 *   open  { name, url, raw? }            a connection; answers once the status frame came. `ws` by
 *                                        default; `raw: true` is a bare TCP socket that does the
 *                                        WebSocket handshake itself and only walks frame headers
 *   send  { name, frame }                a raw text frame (e.g. a subscribe)
 *   count { name }                       frames received so far (pongs not counted)
 *   barrier { name }                     ping → pong: every frame the sim wrote before has arrived
 *   arm   { name, frames }               count the next `frames` frames from zero
 *   wait  { name }                       resolves when the armed count is reached: timings
 *   ping-rate { name, ms, window }       `window` pings in flight for `ms`: pongs per second
 *   orders { url, token, rounds, iterations, warmup }
 *                                        private WS: ping, add_order, cancel_order, in turn
 *   rest  { url, apiKey, apiSecret, rounds, iterations, warmup }
 *                                        REST: Time, AddOrder, CancelOrder, in turn
 *   close { name }
 *
 * Both stream counters are null clients: they count frames and touch nothing else. The
 * `ws` one pays for `ws`'s receiver (a Buffer and an event per frame, UTF-8 validation); the
 * raw one only reads each frame's header, so it shows what the sim can send rather than what
 * `ws` can receive.
 */

import { createHash, createHmac, randomBytes } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { type Socket, connect as tcpConnect } from 'node:net';
import {
  type ChildCommand,
  FrameWindow,
  type FrameWindowResult,
  serveChildCommands,
} from '@krakenkit/test-support';
import WebSocket from 'ws';

interface Connection {
  send(text: string): void;
  close(): Promise<void>;
  frames: number;
  pongs: number;
  /** The armed run of frames being timed. */
  window: FrameWindow;
  onPong: (() => void) | undefined;
  onFirstFrame: (() => void) | undefined;
}

const connections = new Map<string, Connection>();

function connection(name: string): Connection {
  const found = connections.get(name);
  if (!found) throw new Error(`no connection ${name}`);
  return found;
}

function newConnection(): Connection {
  return {
    send: () => undefined,
    close: async () => undefined,
    frames: 0,
    pongs: 0,
    window: new FrameWindow(),
    onPong: undefined,
    onFirstFrame: undefined,
  };
}

/** One frame arrived (a pong, or anything else, which counts). */
function received(entry: Connection, isPong: boolean): void {
  if (isPong) {
    entry.pongs += 1;
    entry.onPong?.();
    return;
  }
  entry.frames += 1;
  if (entry.frames === 1) entry.onFirstFrame?.();
  entry.window.count();
}

const pongPrefix = '{"method":"pong"';

async function open(name: string, url: string, raw: boolean): Promise<{ ok: true }> {
  const entry = newConnection();
  connections.set(name, entry);
  // The sim's status frame is the first one on every connection.
  const status = new Promise<void>((resolve) => {
    entry.onFirstFrame = resolve;
  });
  if (raw) await openRaw(entry, url);
  else await openWs(entry, url);
  await status;
  return { ok: true };
}

async function openWs(entry: Connection, url: string): Promise<void> {
  const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: 64 << 20 });
  entry.send = (text) => socket.send(text);
  entry.close = () =>
    new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.close();
    });
  socket.on('message', (data: Buffer) => {
    // Pongs are told apart by their first bytes only, so counting stays cheap.
    received(entry, data.length < 256 && data[2] === 0x6d && data.toString('latin1', 0, 16) === pongPrefix);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
}

/** A client text frame: masked, as RFC 6455 requires of clients. */
function clientTextFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const length = payload.length;
  const header = length < 126 ? 2 : 4;
  const frame = Buffer.allocUnsafe(header + 4 + length);
  frame[0] = 0x81;
  if (length < 126) frame[1] = 0x80 | length;
  else if (length < 65_536) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(length, 2);
  } else throw new Error('client frames over 64 KiB are not needed here');
  const mask = randomBytes(4);
  mask.copy(frame, header);
  for (let i = 0; i < length; i++) frame[header + 4 + i] = payload[i]! ^ mask[i & 3]!;
  return frame;
}

/**
 * A bare TCP WebSocket client: the HTTP upgrade by hand, then a frame-header walker that
 * counts data frames and skips their payloads (only small text frames have their first 16
 * bytes read, to tell pongs apart).
 */
async function openRaw(entry: Connection, url: string): Promise<void> {
  const target = new URL(url);
  const socket: Socket = tcpConnect({ host: target.hostname, port: Number(target.port) });
  socket.setNoDelay(true);
  entry.send = (text) => socket.write(clientTextFrame(text));
  entry.close = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => socket.destroy(), 1_000);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.end(Buffer.from([0x88, 0x80, 0, 0, 0, 0])); // close frame, empty, zero mask
    });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  socket.write(
    `GET ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  let handshake: Buffer | undefined = Buffer.alloc(0);
  /** Payload bytes of the current frame still to skip. */
  let skip = 0;
  /** An incomplete header (with the pong-test prefix) carried over to the next chunk. */
  let partial: Buffer | undefined;
  const walk = (chunk: Buffer) => {
    let data = chunk;
    let offset = 0;
    if (skip > 0) {
      offset = Math.min(skip, data.length);
      skip -= offset;
    }
    if (partial !== undefined) {
      data = Buffer.concat([partial, data.subarray(offset)]);
      offset = 0;
      partial = undefined;
    }
    const length = data.length;
    while (offset < length) {
      if (length - offset < 2) {
        partial = data.subarray(offset);
        return;
      }
      const opcode = data[offset]! & 0x0f;
      let payload = data[offset + 1]! & 0x7f;
      let header = 2;
      if (payload === 126) {
        if (length - offset < 4) {
          partial = data.subarray(offset);
          return;
        }
        payload = data.readUInt16BE(offset + 2);
        header = 4;
      } else if (payload === 127) {
        if (length - offset < 10) {
          partial = data.subarray(offset);
          return;
        }
        payload = Number(data.readBigUInt64BE(offset + 2));
        header = 10;
      }
      const peek = opcode === 1 && payload < 256 ? Math.min(payload, 16) : 0;
      if (length - offset < header + peek) {
        partial = data.subarray(offset);
        return;
      }
      const isPong =
        peek === 16 && data.toString('latin1', offset + header, offset + header + 16) === pongPrefix;
      const end = offset + header + payload;
      if (end > length) {
        skip = end - length;
        offset = length;
      } else {
        offset = end;
      }
      if (opcode <= 2) received(entry, isPong);
    }
  };
  await new Promise<void>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      if (handshake === undefined) {
        walk(chunk);
        return;
      }
      handshake = Buffer.concat([handshake, chunk]);
      const end = handshake.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = handshake.toString('latin1', 0, end);
      const rest = handshake.subarray(end + 4);
      handshake = undefined;
      if (!head.startsWith('HTTP/1.1 101')) {
        reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
        return;
      }
      resolve();
      if (rest.length > 0) walk(rest);
    });
    socket.once('error', reject);
  });
}

let nextPingId = 1_000_000;

function ping(entry: Connection): void {
  entry.send(`{"method":"ping","req_id":${nextPingId++}}`);
}

async function barrier(name: string): Promise<{ frames: number }> {
  const entry = connection(name);
  const wanted = entry.pongs + 1;
  await new Promise<void>((resolve) => {
    entry.onPong = () => {
      if (entry.pongs >= wanted) {
        entry.onPong = undefined;
        resolve();
      }
    };
    ping(entry);
  });
  return { frames: entry.frames };
}

function arm(name: string, frames: number): { ok: true } {
  connection(name).window.arm(frames);
  return { ok: true };
}

function wait(name: string): Promise<FrameWindowResult> {
  return connection(name).window.wait();
}

/** `window` pings in flight on the connection for `ms`: how fast the sim echoes. */
async function pingRate(name: string, ms: number, window: number): Promise<{ pongs: number; ms: number }> {
  const entry = connection(name);
  const started = performance.now();
  const before = entry.pongs;
  let stop = false;
  await new Promise<void>((resolve) => {
    let inFlight = 0;
    entry.onPong = () => {
      inFlight -= 1;
      if (!stop && performance.now() - started >= ms) stop = true;
      if (!stop) {
        inFlight += 1;
        ping(entry);
      } else if (inFlight === 0) {
        entry.onPong = undefined;
        resolve();
      }
    };
    for (let i = 0; i < window; i++) {
      inFlight += 1;
      ping(entry);
    }
  });
  return { pongs: entry.pongs - before, ms: performance.now() - started };
}

function sorted(values: number[]): Float64Array {
  return Float64Array.from(values).sort();
}

function percentiles(values: number[]): { p50: number; p90: number; p99: number; max: number; n: number } {
  const data = sorted(values);
  const at = (p: number) => data[Math.min(data.length - 1, Math.floor((p / 100) * data.length))]!;
  return { p50: at(50), p90: at(90), p99: at(99), max: data[data.length - 1]!, n: data.length };
}

type Stats = ReturnType<typeof percentiles>;

/**
 * Private WS round trips, interleaved (ping, add_order, cancel_order, …) so a disturbance
 * hits all three alike. The order is a limit buy far below the market, so it rests; it is
 * cancelled by id at once. Answers per round: percentiles in ms.
 */
async function orders(args: {
  url: string;
  token: string;
  rounds: number;
  iterations: number;
  warmup: number;
}): Promise<Array<{ ping: Stats; add: Stats; cancel: Stats }>> {
  const socket = new WebSocket(args.url, { perMessageDeflate: false });
  const waiting = new Map<number, (frame: Record<string, unknown>) => void>();
  socket.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString()) as Record<string, unknown>;
    const reqId = frame.req_id as number | undefined;
    if (reqId === undefined) return;
    const resolve = waiting.get(reqId);
    if (resolve) {
      waiting.delete(reqId);
      resolve(frame);
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let reqId = 0;
  const call = (text: (id: number) => string): Promise<{ ms: number; frame: Record<string, unknown> }> => {
    const id = ++reqId;
    return new Promise((resolve) => {
      const started = performance.now();
      waiting.set(id, (frame) => resolve({ ms: performance.now() - started, frame }));
      socket.send(text(id));
    });
  };
  const token = JSON.stringify(args.token);
  const results: Array<{ ping: Stats; add: Stats; cancel: Stats }> = [];
  for (let round = 0; round < args.rounds; round++) {
    const times = { ping: [] as number[], add: [] as number[], cancel: [] as number[] };
    for (let i = 0; i < args.warmup + args.iterations; i++) {
      const pinged = await call((id) => `{"method":"ping","req_id":${id}}`);
      const added = await call(
        (id) =>
          `{"method":"add_order","params":{"order_type":"limit","side":"buy","order_qty":0.001,"symbol":"BTC/USD","limit_price":32000.0,"token":${token}},"req_id":${id}}`,
      );
      const result = added.frame.result as { order_id?: string } | undefined;
      if (added.frame.success !== true || result?.order_id === undefined)
        throw new Error(`add_order failed: ${JSON.stringify(added.frame)}`);
      const cancelled = await call(
        (id) =>
          `{"method":"cancel_order","params":{"order_id":[${JSON.stringify(result.order_id)}],"token":${token}},"req_id":${id}}`,
      );
      if (cancelled.frame.success !== true)
        throw new Error(`cancel_order failed: ${JSON.stringify(cancelled.frame)}`);
      if (i < args.warmup) continue;
      times.ping.push(pinged.ms);
      times.add.push(added.ms);
      times.cancel.push(cancelled.ms);
    }
    results.push({
      ping: percentiles(times.ping),
      add: percentiles(times.add),
      cancel: percentiles(times.cancel),
    });
  }
  socket.close();
  return results;
}

/** Kraken's API-Sign (PROTOCOL.md §2.2), written here independently of the sim's verifier. */
function sign(path: string, nonce: string, body: string, secretB64: string): string {
  const inner = createHash('sha256')
    .update(nonce + body, 'utf8')
    .digest();
  return createHmac('sha512', Buffer.from(secretB64, 'base64'))
    .update(Buffer.concat([Buffer.from(path, 'utf8'), inner]))
    .digest('base64');
}

/**
 * REST round trips over one keep-alive connection, interleaved: public Time (the
 * baseline), private AddOrder (signed form body, a resting limit buy), CancelOrder.
 */
async function rest(args: {
  url: string;
  apiKey: string;
  apiSecret: string;
  rounds: number;
  iterations: number;
  warmup: number;
}): Promise<Array<{ time: Stats; add: Stats; cancel: Stats }>> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let nonce = BigInt(Date.now()) * 1000n;
  const call = (
    path: string,
    body: string | undefined,
  ): Promise<{ ms: number; json: { error: string[]; result?: Record<string, unknown> } }> => {
    const headers: Record<string, string> = { 'user-agent': 'krakenkit-sim-bench' };
    if (body !== undefined) {
      const bodyNonce = /nonce=(\d+)/.exec(body)![1]!;
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = String(Buffer.byteLength(body));
      headers['api-key'] = args.apiKey;
      headers['api-sign'] = sign(path, bodyNonce, body, args.apiSecret);
    }
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const request = httpRequest(
        new URL(path, args.url),
        { method: body === undefined ? 'GET' : 'POST', headers, agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const ms = performance.now() - started;
            try {
              resolve({ ms, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  };
  const results: Array<{ time: Stats; add: Stats; cancel: Stats }> = [];
  for (let round = 0; round < args.rounds; round++) {
    const times = { time: [] as number[], add: [] as number[], cancel: [] as number[] };
    for (let i = 0; i < args.warmup + args.iterations; i++) {
      const time = await call('/0/public/Time', undefined);
      if (time.json.error.length > 0) throw new Error(`Time failed: ${time.json.error.join()}`);
      nonce += 1n;
      const added = await call(
        '/0/private/AddOrder',
        `nonce=${nonce}&ordertype=limit&pair=XBTUSD&price=32000.0&type=buy&volume=0.001`,
      );
      const txid = (added.json.result?.txid as string[] | undefined)?.[0];
      if (added.json.error.length > 0 || txid === undefined)
        throw new Error(`AddOrder failed: ${JSON.stringify(added.json)}`);
      nonce += 1n;
      const cancelled = await call('/0/private/CancelOrder', `nonce=${nonce}&txid=${txid}`);
      if (cancelled.json.error.length > 0)
        throw new Error(`CancelOrder failed: ${cancelled.json.error.join()}`);
      if (i < args.warmup) continue;
      times.time.push(time.ms);
      times.add.push(added.ms);
      times.cancel.push(cancelled.ms);
    }
    results.push({
      time: percentiles(times.time),
      add: percentiles(times.add),
      cancel: percentiles(times.cancel),
    });
  }
  agent.destroy();
  return results;
}

async function handle(message: ChildCommand): Promise<unknown> {
  const name = message.name as string;
  switch (message.cmd) {
    case 'open':
      return open(name, message.url as string, message.raw === true);
    case 'send':
      connection(name).send(message.frame as string);
      return { ok: true };
    case 'count':
      return { frames: connection(name).frames };
    case 'barrier':
      return barrier(name);
    case 'arm':
      return arm(name, message.frames as number);
    case 'wait':
      return wait(name);
    case 'ping-rate':
      return pingRate(name, message.ms as number, message.window as number);
    case 'orders':
      return orders(message as unknown as Parameters<typeof orders>[0]);
    case 'rest':
      return rest(message as unknown as Parameters<typeof rest>[0]);
    case 'close': {
      const entry = connections.get(name);
      connections.delete(name);
      await entry?.close();
      return { ok: true };
    }
    default:
      throw new Error(`unknown command ${message.cmd}`);
  }
}

serveChildCommands(handle);
