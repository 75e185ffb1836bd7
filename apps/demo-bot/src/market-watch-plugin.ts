import { bookStoreToken, subscriptionRegistryToken } from '@krakenkit/core-transport';
import { definePlugin, healthCheckToken } from '@krakenkit/plugin-api';
import { z } from 'zod';

export const marketWatchConfigSchema = z
  .object({
    /** v2 symbols to watch. */
    symbols: z
      .array(z.string().regex(/^[A-Za-z0-9]+\/[A-Za-z0-9]+$/))
      .min(1)
      .default(['BTC/USD', 'ETH/USD']),
    depth: z
      .union([z.literal(10), z.literal(25), z.literal(100), z.literal(500), z.literal(1000)])
      .default(10),
    /** How often to log the top of each book, in ms. */
    reportEveryMs: z.number().int().positive().default(5_000),
  })
  .strict();

export interface TopOfBook {
  symbol: string;
  bid: string | undefined;
  ask: string | undefined;
  spread: string | undefined;
}

/** Watches order books and logs their top; the demo bot's one piece of logic. */
export const marketWatchPlugin = definePlugin({
  id: 'market-watch',
  configSchema: marketWatchConfigSchema,
  deps: { subscriptions: subscriptionRegistryToken, books: bookStoreToken },
  provides: { health: healthCheckToken },
  setup: ({ config, deps, clock, logger, onStart, onStop }) => {
    const specs = config.symbols.map((symbol) => ({
      channel: 'book',
      symbol,
      params: { depth: config.depth },
    }));
    const top = (): TopOfBook[] =>
      config.symbols.map((symbol) => {
        const book = deps.books.book(symbol);
        return { symbol, bid: book?.bestBid()?.price, ask: book?.bestAsk()?.price, spread: book?.spread() };
      });
    let timer: ReturnType<typeof clock.setInterval> | undefined;
    onStart(async () => {
      await Promise.all(specs.map((spec) => deps.subscriptions.subscribe(spec)));
      timer = clock.setInterval(() => {
        for (const entry of top()) logger.info(entry, 'top of book');
      }, config.reportEveryMs);
      timer.unref();
    });
    onStop(async () => {
      clock.clearInterval(timer);
      await Promise.all(specs.map((spec) => deps.subscriptions.unsubscribe(spec)));
    });
    return {
      health: {
        name: 'market-watch',
        check: () => {
          const books = top();
          const missing = books.filter((entry) => entry.bid === undefined).map((entry) => entry.symbol);
          return missing.length === 0
            ? { status: 'healthy', details: { books } }
            : {
                status: 'degraded',
                message: `no verified book yet for ${missing.join(', ')}`,
                details: { books },
              };
        },
      },
    };
  },
});
