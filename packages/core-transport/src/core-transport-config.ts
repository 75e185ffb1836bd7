import { z } from 'zod';

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

const positiveMs = (fallback: number) => z.number().int().positive().default(fallback);

export const coreTransportConfigSchema = z
  .object({
    /** Public WebSocket v2 endpoint. */
    publicUrl: z.string().default('wss://ws.kraken.com/v2'),
    /** Private (authenticated) WebSocket v2 endpoint. */
    privateUrl: z.string().default('wss://ws-auth.kraken.com/v2'),
    /** REST base URL. */
    restUrl: z.string().default('https://api.kraken.com'),
    /** Allow `ws://` and `http://` URLs, and only to a loopback host (the local sim). */
    allowInsecureLoopback: z.boolean().default(false),
    userAgent: z.string().min(1).max(200).default('krakenkit'),
    liveness: z
      .object({
        /** Quiet this long → ping (and report `degraded`). */
        idlePingMs: positiveMs(2_000),
        /** Nothing received for this long → the connection is dead; reconnect. Kraken suggests ~5 s. */
        deadlineMs: positiveMs(5_000),
        /** Ping at least this often (Kraken drops connections without client traffic after ~1 min). */
        keepAlivePingMs: positiveMs(20_000),
      })
      .strict()
      .default({ idlePingMs: 2_000, deadlineMs: 5_000, keepAlivePingMs: 20_000 }),
    reconnect: z
      .object({
        baseDelayMs: positiveMs(500),
        maxDelayMs: positiveMs(60_000),
        stableAfterMs: positiveMs(60_000),
        /** After a policy close, HTTP 429/503, or while the exchange is not online (Kraken: ≥ 5 s). */
        restrictedMinDelayMs: positiveMs(5_000),
      })
      .strict()
      .default({ baseDelayMs: 500, maxDelayMs: 60_000, stableAfterMs: 60_000, restrictedMinDelayMs: 5_000 }),
    /** Connection attempts of the whole app per window (Cloudflare bans an IP above ~150 / 10 min). */
    connectionAttempts: z
      .object({ max: z.number().int().positive().default(140), windowMs: positiveMs(600_000) })
      .strict()
      .default({ max: 140, windowMs: 600_000 }),
    requestTimeoutMs: positiveMs(10_000),
    outbound: z
      .object({
        messagesPerSecond: z.number().positive().default(20),
        burst: z.number().int().positive().default(20),
        /** Past this many unsent bytes, sends fail fast instead of queueing in the socket. */
        maxBufferedBytes: z
          .number()
          .int()
          .positive()
          .default(1 << 20),
        maxQueued: z.number().int().positive().default(10_000),
      })
      .strict()
      .default({ messagesPerSecond: 20, burst: 20, maxBufferedBytes: 1 << 20, maxQueued: 10_000 }),
    /** Largest inbound frame; larger ones close the connection (1009) and it reconnects. */
    maxInboundFrameBytes: z
      .number()
      .int()
      .positive()
      .default(8 << 20),
    handshakeTimeoutMs: positiveMs(10_000),
    /** Wait this long for the status frame after the socket opens. */
    statusWaitMs: positiveMs(2_000),
    /** How long start waits for the public connection to open before continuing anyway. */
    startupWaitMs: z.number().int().min(0).default(5_000),
    subscriptions: z
      .object({
        chunkSize: z.number().int().positive().max(200).default(50),
        ackTimeoutMs: positiveMs(10_000),
        /** A subscription acked but silent this long (per channel, or `channel:SYMBOL`) is resubscribed alone. */
        silentAfterMs: z
          .record(z.string(), z.number().int().positive())
          .default({ book: 120_000, ticker: 300_000 }),
        retry: z
          .object({
            baseDelayMs: positiveMs(1_000),
            maxDelayMs: positiveMs(30_000),
            maxAttempts: positiveMs(5),
          })
          .strict()
          .default({ baseDelayMs: 1_000, maxDelayMs: 30_000, maxAttempts: 5 }),
      })
      .strict()
      .default({
        chunkSize: 50,
        ackTimeoutMs: 10_000,
        silentAfterMs: { book: 120_000, ticker: 300_000 },
        retry: { baseDelayMs: 1_000, maxDelayMs: 30_000, maxAttempts: 5 },
      }),
    books: z
      .object({
        /** Verify the CRC-32 of every book message. Turning it off is for replays, not trading. */
        verifyChecksum: z.boolean().default(true),
        resyncInitialDelayMs: positiveMs(1_000),
        resyncMaxDelayMs: positiveMs(60_000),
        /** Consecutive mismatches of one symbol that raise `resync-alert`. */
        alertAfter: z.number().int().positive().default(3),
      })
      .strict()
      .default({
        verifyChecksum: true,
        resyncInitialDelayMs: 1_000,
        resyncMaxDelayMs: 60_000,
        alertAfter: 3,
      }),
    streams: z
      .object({
        /** Symbols a conflating stream keeps before dropping (counted). */
        maxKeys: z.number().int().positive().default(10_000),
        /** Buffered trades that raise the alarm (trades are never dropped). */
        tradeAlarmDepth: z.number().int().positive().default(10_000),
      })
      .strict()
      .default({ maxKeys: 10_000, tradeAlarmDepth: 10_000 }),
    httpTimeoutMs: positiveMs(10_000),
  })
  .strict()
  .superRefine((config, context) => {
    const check = (key: 'publicUrl' | 'privateUrl' | 'restUrl', secure: string, insecure: string) => {
      let url: URL;
      try {
        url = new URL(config[key]);
      } catch {
        context.addIssue({ code: 'custom', path: [key], message: 'not a URL' });
        return;
      }
      if (url.protocol === secure) return;
      if (url.protocol === insecure && config.allowInsecureLoopback && loopbackHosts.has(url.hostname))
        return;
      context.addIssue({
        code: 'custom',
        path: [key],
        message: `must use ${secure}// (${insecure}// only to a loopback host, with allowInsecureLoopback: true)`,
      });
    };
    check('publicUrl', 'wss:', 'ws:');
    check('privateUrl', 'wss:', 'ws:');
    check('restUrl', 'https:', 'http:');
    if (config.liveness.idlePingMs >= config.liveness.deadlineMs) {
      context.addIssue({
        code: 'custom',
        path: ['liveness', 'idlePingMs'],
        message: 'must be below deadlineMs',
      });
    }
  });

export type CoreTransportConfig = z.output<typeof coreTransportConfigSchema>;
