import type { Socket } from 'node:net';
import { type Clock, type Logger, type Random, Secret } from '@krakenkit/plugin-api';
import WebSocket from 'ws';
import type { ConnectionAttemptBudget } from './connection-attempt-budget.js';
import { ReconnectBackoff } from './connection-backoff.js';
import { type OutboundLane, OutboundLimiter, OutboundQueueFullError } from './outbound-limiter.js';
import { type RequestResult, RequestTracker } from './request-tracker.js';
import { TypedEmitter } from './typed-emitter.js';
import type { MethodResponse, StatusMessage, WireMessage } from './wire-messages.js';
import { writeRequestFrame } from './wire-writer.js';

/**
 * `idle` before `start()`; `connecting` until the socket is open and Kraken's status frame
 * arrived; `open`; `degraded` when the link has been quiet long enough to be probed with a
 * ping; `reconnecting` while waiting to connect again; `closed` after `stop()` or a
 * terminal refusal.
 */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'degraded' | 'reconnecting' | 'closed';

export interface LivenessOptions {
  /** Quiet this long (nothing received) → send a ping and go `degraded`. */
  idlePingMs: number;
  /** Nothing at all received for this long → the connection is dead: close and reconnect. */
  deadlineMs: number;
  /** Ping at least this often (Kraken closes connections without client traffic for ~1 min). */
  keepAlivePingMs: number;
}

export interface ReconnectOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Open this long → the backoff starts again from the base. */
  stableAfterMs: number;
  /** Least delay after a policy close (1008), HTTP 429/503, or while the exchange is not online. */
  restrictedMinDelayMs: number;
}

export interface OutboundOptions {
  messagesPerSecond: number;
  burst: number;
  /** Past this many unsent bytes in the socket buffer, sends fail fast (`buffer-full`). */
  maxBufferedBytes: number;
  maxQueued: number;
}

export interface ConnectionOptions {
  /** For logs and metrics: `public`, `private`. */
  name: string;
  url: string;
  clock: Clock;
  random: Random;
  logger: Logger;
  /** Shared by every connection of the app: Cloudflare's per-IP attempt limit. */
  budget: ConnectionAttemptBudget;
  /** Turns a text frame into a typed message (and applies it to stores); undefined = rejected. */
  decode: (text: string) => WireMessage | undefined;
  /** Private connections: a fresh WS token for every (re)connect. */
  tokenSupplier?: () => Promise<string>;
  liveness: LivenessOptions;
  reconnect: ReconnectOptions;
  requestTimeoutMs: number;
  outbound: OutboundOptions;
  maxInboundFrameBytes: number;
  handshakeTimeoutMs: number;
  /** After the socket opens, wait this long for the status frame before declaring it open anyway. */
  statusWaitMs: number;
  userAgent?: string;
}

export interface RequestOptions {
  /** Default: the connection's request timeout. */
  timeoutMs?: number;
  /** Responses to wait for (a subscribe for N symbols gets N acks). Default 1. */
  expectedResponses?: number;
  /** `urgent` (default: orders, pings) goes before `bulk` (subscriptions). */
  lane?: OutboundLane;
  /** Put the connection's current WS token into `params.token`. */
  authenticated?: boolean;
}

export interface ConnectionEvents {
  [event: string]: unknown;
  'state-change': { from: ConnectionState; to: ConnectionState; reason: string };
  /** Open and ready for requests (after the status frame); `reconnect` on every open but the first. */
  'connection-open': { connectionId: string | undefined; reconnect: boolean };
  'connection-close': { code: number; reason: string };
  /** Every decoded message that is not an answer to a pending request of this connection. */
  message: WireMessage;
  /** A response no request is waiting for (late after a timeout, or foreign). */
  'response-unmatched': MethodResponse;
  'reconnect-scheduled': { attempt: number; delayMs: number; reason: string };
  'liveness-timeout': { silentMs: number };
  'token-error': { error: unknown };
  /** The server refused the connection for good (HTTP 400/401/403/404 on upgrade). */
  'connection-refused': { status: number };
  rtt: { ms: number };
}

export interface ConnectionStats {
  readonly opens: number;
  readonly reconnects: number;
  readonly messagesIn: number;
  readonly messagesOut: number;
  readonly bytesIn: number;
  readonly livenessTimeouts: number;
  readonly binaryFramesIgnored: number;
  /** Frames over `maxInboundFrameBytes`: the connection is closed (1009) and reopened. */
  readonly oversizedFrames: number;
}

const terminalUpgradeStatuses = new Set([400, 401, 403, 404]);

/**
 * One Kraken WebSocket v2 connection, public or private, that never dies silently: it
 * watches every received byte (not just whole frames, so a slow link delivering a big
 * snapshot is alive), probes quiet links with pings, declares the link dead after the
 * deadline — only after letting pending I/O run, so a local event-loop stall is not
 * mistaken for a silent server — and reconnects with full-jitter backoff inside the shared
 * attempt budget. Requests are correlated by `req_id`; a request that was written and not
 * answered is an *unknown* outcome, one that provably never left fails fast.
 */
export class KrakenConnection extends TypedEmitter<ConnectionEvents> {
  readonly name: string;
  readonly #options: ConnectionOptions;
  readonly #clock: Clock;
  readonly #tracker: RequestTracker;
  readonly #limiter: OutboundLimiter;
  readonly #backoff: ReconnectBackoff;
  #state: ConnectionState = 'idle';
  #socket: WebSocket | undefined;
  #generation = 0;
  #stopped = false;
  #opened = false;
  #token: Secret<string> | undefined;
  #connectionId: string | undefined;
  #systemStatus: string | undefined;
  #lastActivityAt = 0;
  #lastPingAt = 0;
  #rttMs: number | undefined;
  #upgradeStatus: number | undefined;
  #nextReqId = 0;
  readonly #pings = new Map<number, number>();
  #livenessTimer: ReturnType<Clock['setInterval']> | undefined;
  #reconnectTimer: ReturnType<Clock['setTimeout']> | undefined;
  #stableTimer: ReturnType<Clock['setTimeout']> | undefined;
  #statusTimer: ReturnType<Clock['setTimeout']> | undefined;
  #stats = {
    opens: 0,
    reconnects: 0,
    messagesIn: 0,
    messagesOut: 0,
    bytesIn: 0,
    livenessTimeouts: 0,
    binaryFramesIgnored: 0,
    oversizedFrames: 0,
  };

  constructor(options: ConnectionOptions) {
    super((error, event) => options.logger.error({ err: error, event }, 'connection listener threw'));
    this.name = options.name;
    this.#options = options;
    this.#clock = options.clock;
    this.#tracker = new RequestTracker(options.clock);
    this.#limiter = new OutboundLimiter(options.outbound, options.clock);
    this.#backoff = new ReconnectBackoff(options.reconnect, options.random);
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Kraken's id of the current connection (exact decimal text), from its status frame. */
  get connectionId(): string | undefined {
    return this.#connectionId;
  }

  /** The exchange status from the latest status frame (`online`, `maintenance`, ...). */
  get systemStatus(): string | undefined {
    return this.#systemStatus;
  }

  /** Round-trip time of the latest ping, ms. */
  get rttMs(): number | undefined {
    return this.#rttMs;
  }

  /** The WS token this connection was opened with (private connections); reveal it only to send it. */
  get token(): Secret<string> | undefined {
    return this.#token;
  }

  get stats(): ConnectionStats {
    return { ...this.#stats };
  }

  /** Requests written and still waiting for an answer. */
  get pendingRequests(): number {
    return this.#tracker.size;
  }

  /** Messages waiting for the outbound rate limiter. */
  get queuedMessages(): number {
    return this.#limiter.queued;
  }

  /** Whether requests can be written now. */
  get writable(): boolean {
    return (
      (this.#state === 'open' || this.#state === 'degraded') && this.#socket?.readyState === WebSocket.OPEN
    );
  }

  start(): void {
    if (this.#state !== 'idle') return;
    this.#connect();
  }

  /** Closes for good (no reconnect). Written requests become unknown outcomes. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#clearTimers();
    const socket = this.#socket;
    this.#socket = undefined;
    this.#generation += 1;
    this.#tracker.connectionLost();
    this.#limiter.clear(new Error('connection stopped'));
    this.#setState('closed', 'stopped');
    if (socket && socket.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          socket.terminate();
          resolve();
        }, 1_000);
        timer.unref();
        socket.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        socket.close(1000, 'client closing');
      });
    }
  }

  /**
   * Drops the current socket and connects again at once (a fresh token for private
   * connections): e.g. after `ESession:Invalid session`. Written requests become unknown.
   */
  reconnect(reason: string): void {
    if (this.#stopped || this.#state === 'idle') return;
    const socket = this.#socket;
    this.#abandonSocket(reason);
    socket?.terminate();
    this.#setState('reconnecting', reason);
    this.#reconnectTimer = this.#clock.setTimeout(
      () => {
        this.#reconnectTimer = undefined;
        this.#connect();
      },
      Math.max(0, this.#options.budget.delayUntilAllowedMs()),
    );
    this.#reconnectTimer.unref();
  }

  /**
   * Sends `{"method", "params", "req_id"}` through the rate limiter and waits for its
   * response(s). Never throws for transport reasons: the result says whether it was
   * answered, never sent, or has an unknown outcome. Decimal strings in price/quantity
   * fields go out as JSON numbers (see `writeRequestFrame`).
   */
  async request(
    method: string,
    params?: Readonly<Record<string, unknown>>,
    options: RequestOptions = {},
  ): Promise<RequestResult> {
    if (!this.writable) return { outcome: 'not-sent', reason: this.#stopped ? 'stopped' : 'not-connected' };
    const reqId = ++this.#nextReqId;
    const generation = this.#generation;
    const frameParams = options.authenticated ? { ...params, token: this.#token?.reveal() } : params;
    const text = writeRequestFrame({
      method,
      ...(frameParams ? { params: frameParams } : {}),
      req_id: reqId,
    });
    const result = this.#tracker.register(reqId, method, {
      expected: options.expectedResponses ?? 1,
      timeoutMs: options.timeoutMs ?? this.#options.requestTimeoutMs,
    });
    try {
      await this.#limiter.acquire(options.lane ?? 'urgent');
    } catch (error) {
      this.#tracker.notSent(reqId, error instanceof OutboundQueueFullError ? 'queue-full' : 'not-connected');
      return result;
    }
    const socket = this.#socket;
    if (generation !== this.#generation || !socket || !this.writable) {
      this.#tracker.notSent(reqId, this.#stopped ? 'stopped' : 'not-connected');
      return result;
    }
    if (socket.bufferedAmount > this.#options.outbound.maxBufferedBytes) {
      this.#tracker.notSent(reqId, 'buffer-full');
      return result;
    }
    this.#write(socket, text, { method, params: frameParams, req_id: reqId }, (error) => {
      if (error) this.#tracker.notSent(reqId, 'write-failed');
    });
    this.#tracker.written(reqId);
    return result;
  }

  #connect(): void {
    if (this.#stopped) return;
    const generation = ++this.#generation;
    this.#setState('connecting', this.#opened ? 'reconnect' : 'start');
    this.#upgradeStatus = undefined;
    const supplier = this.#options.tokenSupplier;
    if (!supplier) {
      this.#openSocket(generation);
      return;
    }
    supplier().then(
      (token) => {
        if (generation !== this.#generation || this.#stopped) return;
        this.#token = new Secret(token);
        this.#openSocket(generation);
      },
      (error: unknown) => {
        if (generation !== this.#generation || this.#stopped) return;
        this.#options.logger.warn({ err: error, connection: this.name }, 'could not get a WebSocket token');
        this.emit('token-error', { error });
        this.#scheduleReconnect('token-error', this.#options.reconnect.restrictedMinDelayMs);
      },
    );
  }

  #openSocket(generation: number): void {
    const { url, maxInboundFrameBytes, handshakeTimeoutMs, userAgent } = this.#options;
    // Only real connection attempts draw from the budget (a failed token fetch opens no socket).
    this.#options.budget.record();
    const socket = new WebSocket(url, {
      maxPayload: maxInboundFrameBytes,
      handshakeTimeout: handshakeTimeoutMs,
      perMessageDeflate: false,
      ...(userAgent ? { headers: { 'user-agent': userAgent } } : {}),
    });
    this.#socket = socket;
    socket.on('upgrade', (response) => {
      // Count raw bytes as life: a slow link still delivering a big frame is not dead.
      // Attach after ws took the socket: an earlier 'data' listener would switch the stream
      // to flowing mode and swallow the bytes that arrived with the upgrade response.
      queueMicrotask(() =>
        (response.socket as Socket).on('data', (chunk: Buffer) => {
          if (generation !== this.#generation) return;
          this.#stats.bytesIn += chunk.length;
          this.#touch();
        }),
      );
    });
    socket.on('open', () => this.#onOpen(generation));
    socket.on('message', (data, isBinary) => this.#onMessage(generation, data, isBinary));
    socket.on('close', (code, reason) => this.#onClose(generation, code, reason.toString()));
    socket.on('error', (error) => {
      const status = /Unexpected server response: (\d{3})/.exec(error.message)?.[1];
      if (status !== undefined) this.#upgradeStatus = Number(status);
      if ((error as { code?: string }).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH')
        this.#stats.oversizedFrames += 1;
      this.#options.logger.debug({ connection: this.name, err: error }, 'socket error');
    });
  }

  #onOpen(generation: number): void {
    if (generation !== this.#generation) return;
    this.#touch();
    this.#lastPingAt = this.#clock.monotonic();
    const interval = Math.max(50, Math.min(500, this.#options.liveness.idlePingMs / 4));
    this.#livenessTimer = this.#clock.setInterval(() => this.#checkLiveness(generation), interval);
    this.#livenessTimer.unref();
    // Kraken pushes a status frame first; without one, treat the link as usable after a short wait.
    this.#statusTimer = this.#clock.setTimeout(
      () => this.#becomeOpen(generation),
      this.#options.statusWaitMs,
    );
    this.#statusTimer.unref();
  }

  #becomeOpen(generation: number): void {
    if (generation !== this.#generation || this.#state !== 'connecting') return;
    this.#clock.clearTimeout(this.#statusTimer);
    const reconnect = this.#opened;
    this.#opened = true;
    this.#stats.opens += 1;
    if (reconnect) this.#stats.reconnects += 1;
    this.#setState('open', 'status received');
    this.#stableTimer = this.#clock.setTimeout(
      () => this.#backoff.reset(),
      this.#options.reconnect.stableAfterMs,
    );
    this.#stableTimer.unref();
    this.emit('connection-open', { connectionId: this.#connectionId, reconnect });
  }

  #onMessage(generation: number, data: WebSocket.RawData, isBinary: boolean): void {
    if (generation !== this.#generation) return;
    this.#touch();
    this.#stats.messagesIn += 1;
    if (isBinary) {
      // Kraken sends text only; binary frames are counted and dropped.
      this.#stats.binaryFramesIgnored += 1;
      return;
    }
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : data.toString();
    const message = this.#options.decode(text);
    if (message === undefined) return;
    switch (message.kind) {
      case 'pong': {
        const sentAt = message.req_id === undefined ? undefined : this.#pings.get(message.req_id);
        if (sentAt !== undefined && message.req_id !== undefined) {
          this.#pings.delete(message.req_id);
          this.#rttMs = this.#clock.monotonic() - sentAt;
          this.emit('rtt', { ms: this.#rttMs });
        }
        return;
      }
      case 'method-response':
        if (!this.#tracker.onResponse(message)) this.emit('response-unmatched', message);
        return;
      case 'status':
        this.#onStatus(generation, message);
        break;
      default:
        break;
    }
    this.emit('message', message);
  }

  #onStatus(generation: number, message: StatusMessage): void {
    const data = message.data[0];
    if (!data) return;
    this.#connectionId = data.connection_id;
    this.#systemStatus = data.system;
    this.#becomeOpen(generation);
  }

  #touch(): void {
    this.#lastActivityAt = this.#clock.monotonic();
    if (this.#state === 'degraded') this.#setState('open', 'traffic resumed');
  }

  #checkLiveness(generation: number): void {
    // Decide after pending I/O ran: after a local event-loop stall, frames that did arrive
    // are still unread when timers fire; they must count before the link is called dead.
    setImmediate(() => {
      if (generation !== this.#generation || (this.#state !== 'open' && this.#state !== 'degraded')) return;
      const now = this.#clock.monotonic();
      const silentMs = now - this.#lastActivityAt;
      const { idlePingMs, deadlineMs, keepAlivePingMs } = this.#options.liveness;
      if (silentMs >= deadlineMs) {
        this.#declareDead(silentMs);
        return;
      }
      if (silentMs >= idlePingMs && this.#state === 'open') {
        this.#setState('degraded', `nothing received for ${Math.round(silentMs)} ms`);
        this.#ping();
      } else if (now - this.#lastPingAt >= keepAlivePingMs) {
        this.#ping();
      }
    });
  }

  #ping(): void {
    const socket = this.#socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    const reqId = ++this.#nextReqId;
    const now = this.#clock.monotonic();
    this.#lastPingAt = now;
    this.#pings.set(reqId, now);
    // Old unanswered pings are forgotten so the map stays small on a lossy link.
    for (const [id, sentAt] of this.#pings)
      if (now - sentAt > this.#options.liveness.deadlineMs * 4) this.#pings.delete(id);
    this.#write(socket, writeRequestFrame({ method: 'ping', req_id: reqId }), {
      method: 'ping',
      req_id: reqId,
    });
  }

  #declareDead(silentMs: number): void {
    this.#stats.livenessTimeouts += 1;
    this.#options.logger.warn(
      { connection: this.name, silentMs: Math.round(silentMs) },
      'connection silent past deadline',
    );
    this.emit('liveness-timeout', { silentMs });
    const socket = this.#socket;
    this.#abandonSocket('liveness timeout');
    // No close handshake on a dead link: drop it.
    socket?.terminate();
    this.#scheduleReconnect('liveness timeout');
  }

  #onClose(generation: number, code: number, reason: string): void {
    if (generation !== this.#generation) return;
    this.#abandonSocket(`closed ${code}`);
    this.emit('connection-close', { code, reason });
    if (this.#stopped) return;
    const status = this.#upgradeStatus;
    if (status !== undefined && terminalUpgradeStatuses.has(status)) {
      this.#options.logger.error(
        { connection: this.name, status },
        'server refused the connection; not retrying',
      );
      this.emit('connection-refused', { status });
      this.#setState('closed', `refused with HTTP ${status}`);
      return;
    }
    const restricted =
      code === 1008 || status === 429 || status === 503 || (this.#systemStatus ?? 'online') !== 'online';
    this.#scheduleReconnect(
      status === undefined ? `closed ${code}` : `upgrade refused ${status}`,
      restricted ? this.#options.reconnect.restrictedMinDelayMs : 0,
    );
  }

  /** Detaches from the current socket: pending requests resolve, timers stop. */
  #abandonSocket(reason: string): void {
    this.#generation += 1;
    this.#socket = undefined;
    this.#clearTimers();
    this.#pings.clear();
    this.#tracker.connectionLost();
    this.#limiter.clear(new Error(reason));
  }

  #scheduleReconnect(reason: string, minDelayMs = 0): void {
    if (this.#stopped) return;
    const attempt = this.#backoff.attempt + 1;
    const delayMs = Math.max(
      this.#backoff.nextDelayMs(),
      minDelayMs,
      this.#options.budget.delayUntilAllowedMs(),
    );
    this.#setState('reconnecting', reason);
    this.emit('reconnect-scheduled', { attempt, delayMs, reason });
    this.#reconnectTimer = this.#clock.setTimeout(() => {
      this.#reconnectTimer = undefined;
      this.#connect();
    }, delayMs);
    this.#reconnectTimer.unref();
  }

  #write(socket: WebSocket, text: string, frame: object, callback?: (error?: Error) => void): void {
    const { logger } = this.#options;
    // `frame.params.token` is redacted by the logger's paths.
    if (logger.isLevelEnabled('trace')) logger.trace({ connection: this.name, frame }, 'ws send');
    this.#stats.messagesOut += 1;
    socket.send(text, callback);
  }

  #clearTimers(): void {
    this.#clock.clearInterval(this.#livenessTimer);
    this.#clock.clearTimeout(this.#reconnectTimer);
    this.#clock.clearTimeout(this.#stableTimer);
    this.#clock.clearTimeout(this.#statusTimer);
    this.#livenessTimer = undefined;
    this.#reconnectTimer = undefined;
    this.#stableTimer = undefined;
    this.#statusTimer = undefined;
  }

  #setState(to: ConnectionState, reason: string): void {
    const from = this.#state;
    if (from === to) return;
    this.#state = to;
    this.#options.logger.debug({ connection: this.name, from, to, reason }, 'connection state');
    this.emit('state-change', { from, to, reason });
  }
}
