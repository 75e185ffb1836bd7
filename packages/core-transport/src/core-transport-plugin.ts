import { type Clock, definePlugin, healthCheckToken } from '@krakenkit/plugin-api';
import { type ConnectionOptions, KrakenConnection } from './connection.js';
import { ConnectionAttemptBudget } from './connection-attempt-budget.js';
import { coreTransportConfigSchema } from './core-transport-config.js';
import {
  bookStoreToken,
  httpClientToken,
  marketDataStreamsToken,
  marketDataToken,
  privateConnectionFactoryToken,
  publicConnectionToken,
  subscriptionRegistryToken,
} from './core-transport-tokens.js';
import { KrakenHttpClient } from './http-client.js';
import { MarketDataRouter } from './market-data-router.js';
import { MarketDataStreams } from './market-data-streams.js';
import { DefaultPrivateConnectionFactory } from './private-connection-factory.js';
import { PublicMarketFeed } from './public-market-feed.js';
import { SubscriptionRegistry } from './subscription-registry.js';
import { createTransportHealth } from './transport-health.js';
import { TransportMetrics } from './transport-metrics.js';

/**
 * The wire layer: the public WS v2 connection with its subscriptions, books and channel
 * streams; a factory for private connections (the token comes from whoever asks, so this
 * package never depends on auth); the REST HTTP client; health and metrics.
 */
export const coreTransportPlugin = definePlugin({
  id: 'core-transport',
  configSchema: coreTransportConfigSchema,
  provides: {
    publicConnection: publicConnectionToken,
    subscriptions: subscriptionRegistryToken,
    books: bookStoreToken,
    marketData: marketDataToken,
    streams: marketDataStreamsToken,
    http: httpClientToken,
    privateConnections: privateConnectionFactoryToken,
    health: healthCheckToken,
  },
  setup: ({ config, clock, random, logger, metrics, onStart, onStop }) => {
    const listenerErrors = (error: unknown, event: string) =>
      logger.error({ err: error, event }, 'a market-data listener threw; the data layer carried on');
    const router = new MarketDataRouter({
      clock,
      books: {
        verifyChecksum: config.books.verifyChecksum,
        resyncBackoff: {
          initialDelayMs: config.books.resyncInitialDelayMs,
          maxDelayMs: config.books.resyncMaxDelayMs,
        },
        alertAfter: config.books.alertAfter,
      },
      onListenerError: listenerErrors,
    });
    const settings: Omit<ConnectionOptions, 'name' | 'url' | 'decode' | 'tokenSupplier'> = {
      clock,
      random,
      logger,
      budget: new ConnectionAttemptBudget(clock, {
        maxAttempts: config.connectionAttempts.max,
        windowMs: config.connectionAttempts.windowMs,
      }),
      liveness: config.liveness,
      reconnect: config.reconnect,
      requestTimeoutMs: config.requestTimeoutMs,
      outbound: config.outbound,
      maxInboundFrameBytes: config.maxInboundFrameBytes,
      handshakeTimeoutMs: config.handshakeTimeoutMs,
      statusWaitMs: config.statusWaitMs,
      userAgent: config.userAgent,
    };
    const registryOptions = {
      chunkSize: config.subscriptions.chunkSize,
      ackTimeoutMs: config.subscriptions.ackTimeoutMs,
      retry: config.subscriptions.retry,
      activity: Object.fromEntries(
        Object.entries(config.subscriptions.silentAfterMs).map(([channel, silentAfterMs]) => [
          channel,
          { silentAfterMs },
        ]),
      ),
    };
    const publicConnection = new KrakenConnection({
      ...settings,
      name: 'public',
      url: config.publicUrl,
      decode: (text) => router.receive(text),
    });
    const subscriptions = new SubscriptionRegistry(publicConnection, { ...registryOptions, clock, logger });
    const feed = new PublicMarketFeed(publicConnection, subscriptions, router, clock, logger);
    const streams = new MarketDataStreams(router, config.streams);
    const privateConnections = DefaultPrivateConnectionFactory.create({
      url: config.privateUrl,
      settings,
      subscriptions: registryOptions,
    });
    const http = new KrakenHttpClient({
      baseUrl: config.restUrl,
      timeoutMs: config.httpTimeoutMs,
      userAgent: config.userAgent,
      logger,
    });
    const transportMetrics = new TransportMetrics(metrics, clock);
    transportMetrics.watchConnection(publicConnection, router.decoder);
    transportMetrics.watchMarketData(router, streams);

    onStart(async (signal) => {
      transportMetrics.start();
      publicConnection.start();
      // The instrument channel carries the precisions every book checksum needs.
      void subscriptions
        .subscribe({ channel: 'instrument', params: { snapshot: true } })
        .catch((error: unknown) => {
          logger.error({ err: error }, 'instrument subscription failed; books cannot be verified');
        });
      if (config.startupWaitMs > 0 && publicConnection.state !== 'open') {
        const opened = await waitForOpen(publicConnection, config.startupWaitMs, signal, clock);
        if (!opened)
          logger.warn(
            { url: config.publicUrl },
            'public connection not open yet; still trying in the background',
          );
      }
    });
    onStop(async () => {
      feed.stop();
      streams.stop();
      subscriptions.stop();
      await Promise.all([publicConnection.stop(), privateConnections.stopAll()]);
      transportMetrics.stop();
    });

    return {
      publicConnection,
      subscriptions,
      books: router.books,
      marketData: router,
      streams,
      http,
      privateConnections: {
        create: (options) => {
          const created = privateConnections.create(options);
          transportMetrics.watchConnection(created.connection, created.decoder);
          return created;
        },
      },
      health: createTransportHealth({ publicConnection, router, streams, privateConnections }),
    };
  },
});

export default coreTransportPlugin;

function waitForOpen(
  connection: KrakenConnection,
  timeoutMs: number,
  signal: AbortSignal,
  clock: Clock,
): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (opened: boolean) => {
      off();
      clock.clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(opened);
    };
    const off = connection.on('connection-open', () => finish(true));
    const timer = clock.setTimeout(() => finish(false), timeoutMs);
    const onAbort = () => finish(false);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
