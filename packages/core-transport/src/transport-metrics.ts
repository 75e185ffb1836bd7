import type { Clock, Metrics } from '@krakenkit/plugin-api';
import type { ConnectionState, ConnectionStats, KrakenConnection } from './connection.js';
import type { FrameDecoder } from './frame-decoder.js';
import type { MarketDataRouter } from './market-data-router.js';
import type { MarketDataStreams } from './market-data-streams.js';

const states: readonly ConnectionState[] = [
  'idle',
  'connecting',
  'open',
  'degraded',
  'reconnecting',
  'closed',
];

interface Watched {
  connection: KrakenConnection;
  decoder: FrameDecoder;
  lastStats: ConnectionStats;
  lastRejected: Record<string, number>;
  offs: Array<() => void>;
}

/**
 * Records the transport's metrics. Event-driven where events are rare (state, RTT,
 * reconnects, mismatches, resyncs); sampled once a second from counters where they are
 * frequent (messages, bytes, parse errors, queue depths), so the per-message path pays nothing.
 */
export class TransportMetrics {
  readonly #watched: Watched[] = [];
  readonly #lastDrops = new Map<string, number>();
  readonly #offs: Array<() => void> = [];
  #streams: MarketDataStreams | undefined;
  #timer: ReturnType<Clock['setInterval']> | undefined;
  readonly #state;
  readonly #rtt;
  readonly #reconnects;
  readonly #livenessTimeouts;
  readonly #messagesIn;
  readonly #messagesOut;
  readonly #bytesIn;
  readonly #parseErrors;
  readonly #pendingRequests;
  readonly #checksumMismatches;
  readonly #resyncs;
  readonly #streamDepth;
  readonly #streamDrops;

  constructor(
    metrics: Metrics,
    private readonly clock: Clock,
  ) {
    const byConnection = ['connection'] as const;
    this.#state = metrics.gauge({
      name: 'krakenkit_transport_connection_state',
      help: '1 for the current state of each connection, 0 for the others.',
      labelNames: ['connection', 'state'],
    });
    this.#rtt = metrics.histogram({
      name: 'krakenkit_transport_ping_rtt_seconds',
      help: 'Application ping round-trip time.',
      labelNames: byConnection,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    });
    this.#reconnects = metrics.counter({
      name: 'krakenkit_transport_reconnects_total',
      help: 'Reconnections (opens after the first).',
      labelNames: byConnection,
    });
    this.#livenessTimeouts = metrics.counter({
      name: 'krakenkit_transport_liveness_timeouts_total',
      help: 'Connections declared dead after the no-frame deadline.',
      labelNames: byConnection,
    });
    this.#messagesIn = metrics.counter({
      name: 'krakenkit_transport_messages_in_total',
      help: 'Frames received.',
      labelNames: byConnection,
    });
    this.#messagesOut = metrics.counter({
      name: 'krakenkit_transport_messages_out_total',
      help: 'Frames sent.',
      labelNames: byConnection,
    });
    this.#bytesIn = metrics.counter({
      name: 'krakenkit_transport_received_bytes_total',
      help: 'Bytes received.',
      labelNames: byConnection,
    });
    this.#parseErrors = metrics.counter({
      name: 'krakenkit_transport_parse_errors_total',
      help: 'Frames rejected at the boundary (malformed, unknown, out of schema), by reason.',
      labelNames: ['connection', 'reason'],
    });
    this.#pendingRequests = metrics.gauge({
      name: 'krakenkit_transport_pending_requests',
      help: 'Requests written and waiting for an answer.',
      labelNames: byConnection,
    });
    this.#checksumMismatches = metrics.counter({
      name: 'krakenkit_transport_book_checksum_mismatches_total',
      help: 'Book messages whose checksum did not match the local book.',
    });
    this.#resyncs = metrics.counter({
      name: 'krakenkit_transport_book_resyncs_total',
      help: 'Single-symbol book resubscriptions after a failed verification.',
    });
    this.#streamDepth = metrics.gauge({
      name: 'krakenkit_transport_stream_depth',
      help: 'Items waiting in each slow-consumer stream.',
      labelNames: ['stream'],
    });
    this.#streamDrops = metrics.counter({
      name: 'krakenkit_transport_stream_dropped_total',
      help: 'Items conflated away in slow-consumer streams (trades are never dropped).',
      labelNames: ['stream'],
    });
  }

  watchConnection(connection: KrakenConnection, decoder: FrameDecoder): void {
    const labels = { connection: connection.name };
    const setState = (current: ConnectionState) => {
      for (const state of states) this.#state.set({ ...labels, state }, state === current ? 1 : 0);
    };
    setState(connection.state);
    this.#watched.push({
      connection,
      decoder,
      lastStats: connection.stats,
      lastRejected: {},
      offs: [
        connection.on('state-change', ({ to }) => setState(to)),
        connection.on('rtt', ({ ms }) => this.#rtt.observe(labels, ms / 1000)),
        connection.on('connection-open', ({ reconnect }) => {
          if (reconnect) this.#reconnects.inc(labels);
        }),
        connection.on('liveness-timeout', () => this.#livenessTimeouts.inc(labels)),
      ],
    });
  }

  watchMarketData(router: MarketDataRouter, streams: MarketDataStreams): void {
    this.#streams = streams;
    this.#offs.push(
      router.books.on('checksum-mismatch', () => this.#checksumMismatches.inc()),
      router.books.on('resync-needed', () => this.#resyncs.inc()),
    );
  }

  start(): void {
    this.#timer ??= this.clock.setInterval(() => this.sample(), 1_000);
    this.#timer.unref();
  }

  stop(): void {
    this.clock.clearInterval(this.#timer);
    this.#timer = undefined;
    this.sample();
    for (const off of this.#offs.splice(0)) off();
    for (const watched of this.#watched) for (const off of watched.offs.splice(0)) off();
  }

  /** Folds what accumulated since the last sample into the metrics. */
  sample(): void {
    for (const watched of this.#watched) {
      const labels = { connection: watched.connection.name };
      const stats = watched.connection.stats;
      this.#messagesIn.inc(labels, stats.messagesIn - watched.lastStats.messagesIn);
      this.#messagesOut.inc(labels, stats.messagesOut - watched.lastStats.messagesOut);
      this.#bytesIn.inc(labels, stats.bytesIn - watched.lastStats.bytesIn);
      this.#pendingRequests.set(labels, watched.connection.pendingRequests);
      watched.lastStats = stats;
      for (const [reason, count = 0] of Object.entries(watched.decoder.stats().rejectedByReason)) {
        const delta = count - (watched.lastRejected[reason] ?? 0);
        if (delta > 0) this.#parseErrors.inc({ ...labels, reason }, delta);
        watched.lastRejected[reason] = count;
      }
    }
    for (const [stream, stats] of Object.entries(this.#streams?.stats() ?? {})) {
      this.#streamDepth.set({ stream }, stats.depth);
      const delta = stats.dropped - (this.#lastDrops.get(stream) ?? 0);
      if (delta > 0) this.#streamDrops.inc({ stream }, delta);
      this.#lastDrops.set(stream, stats.dropped);
    }
  }
}
