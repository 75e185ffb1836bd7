import type { Logger } from '@krakenkit/plugin-api';
import { type ConnectionOptions, KrakenConnection } from './connection.js';
import type {
  PrivateConnection,
  PrivateConnectionFactory,
  PrivateConnectionOptions,
} from './core-transport-tokens.js';
import { FrameDecoder } from './frame-decoder.js';
import { SubscriptionRegistry, type SubscriptionRegistryOptions } from './subscription-registry.js';

export type SharedConnectionSettings = Omit<ConnectionOptions, 'name' | 'url' | 'decode' | 'tokenSupplier'>;

/**
 * Builds private connections with the app's settings and shared attempt budget. Keeps
 * every connection it made, so `stopAll` can close any its owner left open.
 */
export class DefaultPrivateConnectionFactory implements PrivateConnectionFactory {
  readonly #created: PrivateConnection[] = [];

  constructor(
    private readonly url: string,
    private readonly settings: SharedConnectionSettings,
    private readonly registryOptions: Omit<SubscriptionRegistryOptions, 'clock' | 'logger'>,
  ) {}

  static create(options: {
    url: string;
    settings: SharedConnectionSettings;
    subscriptions: Omit<SubscriptionRegistryOptions, 'clock' | 'logger'>;
  }): DefaultPrivateConnectionFactory {
    return new DefaultPrivateConnectionFactory(options.url, options.settings, options.subscriptions);
  }

  create(options: PrivateConnectionOptions): PrivateConnection {
    const name = options.name ?? 'private';
    const logger: Logger = this.settings.logger.child({ connection: name });
    // The channels record is read at decode time: owners may register decoders until data flows.
    const decoder = new FrameDecoder({ channels: options.channels ?? {} });
    const connection = new KrakenConnection({
      ...this.settings,
      logger,
      name,
      url: this.url,
      tokenSupplier: options.tokenSupplier,
      decode: (text) => decoder.decode(text),
    });
    const subscriptions = new SubscriptionRegistry(connection, {
      ...this.registryOptions,
      clock: this.settings.clock,
      logger,
    });
    const created: PrivateConnection = { connection, subscriptions, decoder };
    this.#created.push(created);
    return created;
  }

  /** Connections made so far (for health and metrics). */
  list(): readonly PrivateConnection[] {
    return this.#created;
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      this.#created.map(async ({ connection, subscriptions }) => {
        subscriptions.stop();
        await connection.stop();
      }),
    );
  }
}
