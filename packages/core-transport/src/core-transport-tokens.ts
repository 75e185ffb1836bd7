import { createToken } from '@krakenkit/plugin-api';
import type { BookStore } from './book-store.js';
import type { KrakenConnection } from './connection.js';
import type { FrameDecoder } from './frame-decoder.js';
import type { KrakenHttpClient } from './http-client.js';
import type { MarketDataRouter } from './market-data-router.js';
import type { MarketDataStreams } from './market-data-streams.js';
import type { SubscriptionRegistry } from './subscription-registry.js';
import type { ExtensionDecoder } from './wire-decoder.js';

const providedBy = '@krakenkit/core-transport';

/** The public WebSocket v2 connection (market data). */
export const publicConnectionToken = createToken<KrakenConnection>({
  id: 'core-transport.publicConnection',
  providedBy,
});

/** Subscriptions of the public connection. */
export const subscriptionRegistryToken = createToken<SubscriptionRegistry>({
  id: 'core-transport.subscriptions',
  providedBy,
});

/** Checksum-verified order books fed by the public connection. */
export const bookStoreToken = createToken<BookStore>({ id: 'core-transport.books', providedBy });

/** Every public channel's store (books, tickers, trades, OHLC, instruments, status). */
export const marketDataToken = createToken<MarketDataRouter>({ id: 'core-transport.marketData', providedBy });

/** Bounded slow-consumer queues of books, tickers, OHLC bars and trades. */
export const marketDataStreamsToken = createToken<MarketDataStreams>({
  id: 'core-transport.streams',
  providedBy,
});

/** Plain HTTP client for Kraken REST (public calls; auth signs private ones on it). */
export const httpClientToken = createToken<KrakenHttpClient>({ id: 'core-transport.http', providedBy });

export interface PrivateConnectionOptions {
  /** Asked for a fresh WS token before every (re)connect. */
  tokenSupplier: () => Promise<string>;
  /** For logs and metrics. Default `private`. */
  name?: string;
  /**
   * Decoders of the private channels (`executions`, `balances`, ...), by channel name. Read
   * at decode time, so channels may be added until the first frame arrives.
   */
  channels?: Record<string, ExtensionDecoder>;
}

/** A private connection and its subscription registry. The caller starts and stops the connection. */
export interface PrivateConnection {
  readonly connection: KrakenConnection;
  readonly subscriptions: SubscriptionRegistry;
  /** Its inbound boundary (rejection counters). */
  readonly decoder: FrameDecoder;
}

/**
 * Opens private (authenticated) connections to the configured private endpoint, with the
 * app's liveness, reconnect and rate settings and its shared connection-attempt budget.
 * This package never depends on auth: the token comes from the supplier.
 */
export interface PrivateConnectionFactory {
  create(options: PrivateConnectionOptions): PrivateConnection;
}

export const privateConnectionFactoryToken = createToken<PrivateConnectionFactory>({
  id: 'core-transport.privateConnections',
  providedBy,
});
