import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { SimContext } from '../sim-context.js';
import { type MessageSource, matchesTarget } from '../sim-faults.js';
import { encodeFrame, isWireNumber, num, parseClientFrame, type RawNumber } from '../sim-wire.js';

/** A parsed client request (`{"method", "params", "req_id"}`). */
export interface ClientRequest {
  method: string;
  params: Record<string, unknown> | undefined;
  /** Echoed exactly as sent. */
  reqId: RawNumber | undefined;
  /** When it arrived (RFC 3339, µs), for `time_in`. */
  timeIn: string;
}

export interface SessionHandler {
  /** Every method but `ping`. Answer with `session.respond(...)`; one request may get several answers. */
  onRequest(session: SimSession, request: ClientRequest): void;
  onClose?(session: SimSession): void;
}

export interface SimSessionOptions {
  id: string;
  endpoint: 'public' | 'private';
  context: SimContext;
  socket: WebSocket;
  rawSocket: Socket;
  request: IncomingMessage;
  handler: SessionHandler;
}

export type Response = { result?: unknown; error?: undefined } | { error: string; result?: undefined };

/**
 * One client connection, public or private: what every Kraken WS v2 connection does
 * regardless of channel — status frame on connect, heartbeats while subscribed, ping/pong,
 * the response envelope, bad-input handling, message-rate and idle limits, and the
 * connection-level faults (silence, drops, junk frames).
 */
export class SimSession implements MessageSource {
  readonly connectionId: string;
  readonly endpoint: 'public' | 'private';
  readonly remoteAddress: string;
  /** Set by the private endpoint once a token identified the account. */
  accountId: string | undefined;
  /** Live subscriptions on this connection; heartbeats flow while it is above zero. */
  subscriptionCount = 0;
  #closed = false;
  #channelMessageSinceTick = false;
  #lastClientMessageAt: number;
  #rateWindowStart = 0;
  #rateWindowCount = 0;
  readonly #heartbeat: ReturnType<SimContext['clock']['setInterval']>;
  readonly #context: SimContext;
  readonly #socket: WebSocket;
  readonly #rawSocket: Socket;
  readonly #handler: SessionHandler;
  readonly #onStatusChange: (event: { status: string }) => void;

  constructor(options: SimSessionOptions) {
    this.connectionId = options.id;
    this.endpoint = options.endpoint;
    this.remoteAddress = options.request.socket.remoteAddress ?? 'unknown';
    this.#context = options.context;
    this.#socket = options.socket;
    this.#rawSocket = options.rawSocket;
    this.#handler = options.handler;
    const { clock } = this.#context;
    this.#lastClientMessageAt = clock.monotonic();

    this.#socket.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    this.#socket.on('ping', (data) => {
      if (!this.#silenced()) this.#socket.pong(data);
    });
    this.#socket.on('close', () => this.#dispose());
    this.#socket.on('error', () => this.#dispose());

    this.#onStatusChange = ({ status }) => this.sendStatus(status);
    this.#context.events.on('status-change', this.#onStatusChange);

    // Kraken: a heartbeat about once a second while subscribed, when nothing else was sent.
    this.#heartbeat = clock.setInterval(() => this.#tick(), 1_000);
    this.#heartbeat.unref();
    this.sendStatus(this.#context.status.current);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Sends any frame (object or pre-encoded text), unless the connection is silenced. */
  send(frame: unknown): boolean {
    if (this.#closed || this.#silenced()) return false;
    this.#socket.send(typeof frame === 'string' ? frame : encodeFrame(frame));
    this.#context.faults.noteMessage(this);
    return true;
  }

  /**
   * Sends pre-encoded frames `frames[start]` … `frames[end - 1]` in one batch: the socket is
   * corked around them, so they leave in one write instead of one system call per frame
   * (benchmarks: `control.blast`). Same rules as {@link send} for each frame. Returns how
   * many were sent (fewer once the connection is closed or silenced).
   */
  sendBatch(frames: readonly string[], start: number, end: number): number {
    const socket = this.#rawSocket;
    socket.cork();
    let sent = 0;
    try {
      for (let index = start; index < end; index++) {
        if (!this.send(frames[index] as string)) break;
        sent += 1;
      }
    } finally {
      socket.uncork();
    }
    return sent;
  }

  /** Bytes written to the socket and not yet handed to the kernel. */
  get bufferedBytes(): number {
    return this.#rawSocket.writableLength;
  }

  /** Resolves once the socket's write buffer drained (or the connection closed). */
  drained(): Promise<void> {
    if (this.#closed || this.#rawSocket.writableLength === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        this.#rawSocket.off('drain', done);
        this.#rawSocket.off('close', done);
        resolve();
      };
      this.#rawSocket.on('drain', done);
      this.#rawSocket.on('close', done);
    });
  }

  /** Sends channel data (counts as activity, so no heartbeat that second); honours silenced subscriptions. */
  sendChannel(channel: string, symbol: string | undefined, frame: unknown): boolean {
    const silenced = this.#context.faults.active(
      'silence-subscription',
      (fault) =>
        fault.channel === channel &&
        (fault.symbol === undefined || fault.symbol === symbol) &&
        matchesTarget(fault.target, this),
    );
    if (silenced.length > 0) return false;
    const sent = this.send(frame);
    if (sent) this.#channelMessageSinceTick = true;
    return sent;
  }

  /**
   * Answers a request with Kraken's envelope (`method`, `req_id`, `result` | `error`,
   * `success`, `time_in`, `time_out`). `extra` adds top-level fields (e.g. `symbol` on a
   * failed subscribe). Honours the delay and drop-ack faults.
   */
  respond(request: ClientRequest, response: Response, extra: Record<string, unknown> = {}): void {
    const { faults, clock } = this.#context;
    if (
      faults.take(
        'execute-drop-ack',
        (fault) => fault.method === request.method && matchesTarget(fault.target, this),
      )
    ) {
      return;
    }
    const delay = faults.take(
      'delay-response',
      (fault) => fault.method === request.method && matchesTarget(fault.target, this),
    );
    const build = () =>
      encodeFrame({
        ...(response.error === undefined ? {} : { error: response.error }),
        method: request.method,
        req_id: request.reqId,
        ...(response.error === undefined && response.result !== undefined ? { result: response.result } : {}),
        ...extra,
        success: response.error === undefined,
        time_in: request.timeIn,
        time_out: clock.timestamp(),
      });
    if (delay) {
      clock.setTimeout(() => this.send(build()), delay.delayMs).unref();
      return;
    }
    this.send(build());
  }

  sendStatus(status: string): void {
    this.send({
      channel: 'status',
      type: 'update',
      data: [
        {
          api_version: 'v2',
          connection_id: num(this.#connectionNumber()),
          system: status,
          version: '2.0.10',
        },
      ],
    });
  }

  /** Closes with a close frame. */
  close(code = 1000, reason = ''): void {
    if (this.#closed) return;
    this.#socket.close(code, reason);
    this.#dispose();
  }

  /** Drops the TCP connection without a close frame (RST). */
  reset(): void {
    if (this.#closed) return;
    this.#rawSocket.resetAndDestroy();
    this.#socket.terminate();
    this.#dispose();
  }

  /** Sends raw bytes as a binary frame (fault). */
  sendBinary(bytes: Buffer): void {
    if (this.#closed || this.#silenced()) return;
    this.#socket.send(bytes, { binary: true });
    this.#context.faults.noteMessage(this);
  }

  #connectionNumber(): string {
    // A 64-bit id above 2^53, like Kraken's: clients must keep it exact.
    const high = 0x80000000 + Math.floor(this.#context.random() * 0x7fffffff);
    const low = Math.floor(this.#context.random() * 0x100000000);
    return ((BigInt(high) << 32n) | BigInt(low)).toString();
  }

  #silenced(): boolean {
    return (
      this.#context.faults.active('silence-connection', (fault) => matchesTarget(fault.target, this)).length >
      0
    );
  }

  #tick(): void {
    if (this.#closed) return;
    const { clock, limits, stats } = this.#context;
    if (clock.monotonic() - this.#lastClientMessageAt >= limits.idleTimeoutMs) {
      stats.count('ws.closed_idle');
      this.close(1000, 'idle: no client message for too long; send ping');
      return;
    }
    if (this.subscriptionCount > 0 && !this.#channelMessageSinceTick) this.send({ channel: 'heartbeat' });
    this.#channelMessageSinceTick = false;
  }

  #onMessage(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    const { clock, stats, limits } = this.#context;
    const timeIn = clock.timestamp();
    this.#lastClientMessageAt = clock.monotonic();
    const withinRate = this.#withinRate();
    if (!withinRate && this.#rateWindowCount > limits.wsMessagesPerSecond * 4) {
      stats.count('ws.rate_limited');
      this.close(1008, 'Exceeded msg rate');
      return;
    }
    if (isBinary) {
      stats.count('ws.binary_frames');
      this.#sendInvalid('EGeneral:Invalid arguments:binary frames are not supported', timeIn);
      return;
    }
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString('utf8')
      : Buffer.from(data as Buffer).toString('utf8');
    const parsed = parseClientFrame(text);
    if (!parsed.ok) {
      stats.count('ws.malformed_frames');
      this.#sendInvalid('EGeneral:Invalid arguments:malformed JSON', timeIn);
      return;
    }
    const frame = parsed.value;
    if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
      stats.count('ws.invalid_requests');
      this.#sendInvalid('EGeneral:Invalid arguments:request must be a JSON object', timeIn);
      return;
    }
    const { method, params, req_id: reqId } = frame as Record<string, unknown>;
    const validReqId = reqId === undefined || (isWireNumber(reqId) && /^\d{1,19}$/.test(reqId.value));
    if (typeof method !== 'string' || !validReqId) {
      stats.count('ws.invalid_requests');
      this.#sendInvalid(
        typeof method !== 'string'
          ? 'EGeneral:Invalid arguments:method'
          : 'EGeneral:Invalid arguments:req_id',
        timeIn,
      );
      return;
    }
    if (params !== undefined && (typeof params !== 'object' || params === null || Array.isArray(params))) {
      stats.count('ws.invalid_requests');
      this.respond(
        { method, params: undefined, reqId: reqId === undefined ? undefined : num(String(reqId)), timeIn },
        { error: 'EGeneral:Invalid arguments:params must be an object' },
      );
      return;
    }
    const request: ClientRequest = {
      method,
      params: params as Record<string, unknown> | undefined,
      reqId: reqId === undefined ? undefined : num(String(reqId)),
      timeIn,
    };
    if (!withinRate) {
      // Refused, but answered like any request so the client can correlate it.
      stats.count('ws.rate_limited');
      this.respond(request, { error: 'Exceeded msg rate' });
      return;
    }
    const { faults } = this.#context;
    if (
      faults.take('drop-response', (fault) => fault.method === method && matchesTarget(fault.target, this))
    ) {
      stats.count('faults.dropped_requests');
      return;
    }
    if (method === 'ping') {
      this.send(
        encodeFrame({ method: 'pong', req_id: request.reqId, time_in: timeIn, time_out: clock.timestamp() }),
      );
      return;
    }
    try {
      this.#handler.onRequest(this, request);
    } catch (error) {
      // A handler bug must not kill the connection or the sim; answer like Kraken's internal error.
      stats.count('ws.handler_errors');
      this.#context.reportError(error);
      this.respond(request, { error: 'EGeneral:Internal error' });
    }
  }

  #sendInvalid(error: string, timeIn: string): void {
    this.send({ error, success: false, time_in: timeIn, time_out: this.#context.clock.timestamp() });
  }

  #withinRate(): boolean {
    const { clock, limits } = this.#context;
    const now = clock.monotonic();
    // Two-second windows: bursts up to 2 s worth of the rate pass.
    if (now - this.#rateWindowStart >= 2_000) {
      this.#rateWindowStart = now;
      this.#rateWindowCount = 0;
    }
    this.#rateWindowCount += 1;
    return this.#rateWindowCount <= limits.wsMessagesPerSecond * 2;
  }

  #dispose(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#context.clock.clearInterval(this.#heartbeat);
    this.#context.events.off('status-change', this.#onStatusChange);
    this.#handler.onClose?.(this);
  }
}
