import { healthCheckToken } from '@krakenkit/plugin-api';
import { startSim } from '@krakenkit/sim';
import { describe, expect, it } from 'vitest';
import {
  bookStoreToken,
  marketDataStreamsToken,
  marketDataToken,
  publicConnectionToken,
  subscriptionRegistryToken,
} from '../src/core-transport-tokens.js';
import { SubscriptionError } from '../src/subscription-registry.js';
import { startTransport, until } from './support/transport-host.js';

describe('core-transport plugin against the sim', () => {
  it('keeps verified books, a ticker stream and instrument precisions', async () => {
    await using sim = await startSim({ seed: 11, marketSpeed: 20 });
    await using host = await startTransport(sim);
    const subscriptions = host.get(subscriptionRegistryToken);
    const books = host.get(bookStoreToken);
    await Promise.all([
      subscriptions.subscribe({ channel: 'book', symbol: 'BTC/USD', params: { depth: 10 } }),
      subscriptions.subscribe({ channel: 'book', symbol: 'POL/USD', params: { depth: 25 } }),
      subscriptions.subscribe({ channel: 'ticker', symbol: 'ETH/USD' }),
    ]);
    await until(
      () => books.book('BTC/USD') !== undefined && books.book('POL/USD') !== undefined,
      10_000,
      'books',
    );
    const btc = books.book('BTC/USD');
    const bid = btc?.bestBid();
    const ask = btc?.bestAsk();
    expect(bid?.price).toMatch(/^\d+\.\d$/);
    expect(Number(ask?.price)).toBeGreaterThan(Number(bid?.price));
    expect(books.book('POL/USD')?.bids(25)).toHaveLength(25);
    const versionBefore = btc?.version ?? 0;
    await until(() => (books.book('BTC/USD')?.version ?? 0) > versionBefore, 10_000, 'book updates');
    expect(books.stats().checksumMismatches).toBe(0);
    expect(host.get(marketDataToken).instruments.pair('PEPE/USD')?.price_precision).toBe(8);

    const streams = host.get(marketDataStreamsToken);
    await until(() => streams.tickers.size > 0 || streams.books.size > 0, 10_000, 'stream items');
    const [report] = await Promise.all(host.get(healthCheckToken).map((check) => check.check()));
    expect(report?.status).toBe('healthy');
    expect(sim.control.internalErrors()).toEqual([]);
  });

  it('resyncs only the corrupted symbol, detected on that very message', async () => {
    await using sim = await startSim({ seed: 5, marketSpeed: 30 });
    await using host = await startTransport(sim);
    const subscriptions = host.get(subscriptionRegistryToken);
    const books = host.get(bookStoreToken);
    await Promise.all(
      ['BTC/USD', 'ETH/USD'].map((symbol) =>
        subscriptions.subscribe({ channel: 'book', symbol, params: { depth: 10 } }),
      ),
    );
    await until(
      () => books.book('BTC/USD') !== undefined && books.book('ETH/USD') !== undefined,
      10_000,
      'books',
    );
    const mismatches: string[] = [];
    books.on('checksum-mismatch', ({ symbol }) => mismatches.push(symbol));
    const states: string[] = [];
    books.on('book-state-change', ({ symbol, to }) => symbol === 'BTC/USD' && states.push(to));
    sim.control.inject({ kind: 'corrupt-checksum', symbol: 'BTC/USD' });
    await until(() => mismatches.length > 0, 10_000, 'the mismatch');
    expect(books.book('BTC/USD')).toBeUndefined(); // nobody reads a known-bad book
    await until(() => books.book('BTC/USD') !== undefined, 10_000, 'the resync');
    expect(mismatches).toEqual(['BTC/USD']);
    expect(states.slice(0, 2)).toEqual(['resyncing', 'ready']);
    const eth = subscriptions.get({ channel: 'book', symbol: 'ETH/USD', params: { depth: 10 } });
    const btc = subscriptions.get({ channel: 'book', symbol: 'BTC/USD', params: { depth: 10 } });
    expect(btc?.resubscribes).toBe(1);
    expect(eth?.resubscribes).toBe(0);
    expect(books.state('ETH/USD')).toBe('ready');
  });

  it('brings every subscription back after a reset, paced, with fresh books', async () => {
    await using sim = await startSim({ seed: 3, marketSpeed: 10 });
    await using host = await startTransport(sim);
    const subscriptions = host.get(subscriptionRegistryToken);
    const connection = host.get(publicConnectionToken);
    const symbols = ['BTC/USD', 'ETH/USD', 'POL/USD', 'PEPE/USD'];
    const specs = symbols.flatMap((symbol) => [
      { channel: 'book', symbol, params: { depth: 10 } },
      { channel: 'ticker', symbol },
      { channel: 'trade', symbol },
      ...[1, 5, 15, 30, 60, 240, 1440, 10080, 21600].map((interval) => ({
        channel: 'ohlc',
        symbol,
        params: { interval },
      })),
    ]);
    await Promise.all(specs.map((spec) => subscriptions.subscribe(spec)));
    const opens = connection.stats.opens;
    sim.control.inject({ kind: 'drop-connection', mode: 'reset' });
    await until(() => connection.stats.opens > opens, 10_000, 'reconnect');
    await until(
      () => subscriptions.list().every((entry) => entry.state === 'active'),
      10_000,
      'resubscribed',
    );
    expect(subscriptions.list()).toHaveLength(specs.length + 1); // + instrument
    await until(
      () => symbols.every((symbol) => host.get(bookStoreToken).book(symbol) !== undefined),
      10_000,
      'books',
    );
    expect(sim.control.stats()['ws.rate_limited'] ?? 0).toBe(0);
    expect(sim.control.connections().filter((entry) => entry.endpoint === 'public')).toHaveLength(1);
  });

  it('resubscribes a subscription that went silent while heartbeats kept flowing', async () => {
    await using sim = await startSim({ seed: 9, marketSpeed: 30 });
    await using host = await startTransport(sim, {
      subscriptions: {
        silentAfterMs: { book: 1_500 },
        chunkSize: 50,
        ackTimeoutMs: 5_000,
        retry: { baseDelayMs: 100, maxDelayMs: 1_000, maxAttempts: 5 },
      },
    });
    const subscriptions = host.get(subscriptionRegistryToken);
    await subscriptions.subscribe({ channel: 'book', symbol: 'BTC/USD', params: { depth: 10 } });
    const silent: string[] = [];
    subscriptions.on('subscription-silent', ({ subscription }) => silent.push(subscription.key));
    const fault = sim.control.inject({ kind: 'silence-subscription', channel: 'book', symbol: 'BTC/USD' });
    await until(() => silent.length > 0, 10_000, 'silence detection');
    sim.control.clearFaults(fault);
    expect(silent[0]).toBe('book|depth=10|BTC/USD');
    expect(host.get(publicConnectionToken).stats.livenessTimeouts).toBe(0); // the connection itself was fine
    await until(() => host.get(bookStoreToken).book('BTC/USD') !== undefined, 10_000, 'fresh snapshot');
  });

  it('surfaces refused subscriptions as typed errors with Kraken’s text, and deduplicates', async () => {
    await using sim = await startSim({ marketSpeed: 0 });
    await using host = await startTransport(sim);
    const subscriptions = host.get(subscriptionRegistryToken);
    const error = await subscriptions
      .subscribe({ channel: 'book', symbol: 'XBT/USD', params: { depth: 10 } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SubscriptionError);
    expect((error as SubscriptionError).krakenError).toBe('Currency pair not supported XBT/USD');
    expect((error as Error).message).toContain('use a v2 symbol'.replace('use', 'Use'));

    const [first, second] = await Promise.all([
      subscriptions.subscribe({ channel: 'ticker', symbol: 'BTC/USD' }),
      subscriptions.subscribe({ channel: 'ticker', symbol: 'BTC/USD' }),
    ]);
    expect(first).toBe(second);
    expect(first.refCount).toBe(2);
    await subscriptions.unsubscribe({ channel: 'ticker', symbol: 'BTC/USD' });
    expect(subscriptions.get({ channel: 'ticker', symbol: 'BTC/USD' })?.state).toBe('active');
    await subscriptions.unsubscribe({ channel: 'ticker', symbol: 'BTC/USD' });
    expect(subscriptions.get({ channel: 'ticker', symbol: 'BTC/USD' })).toBeUndefined();
  });

  it('refuses insecure URLs unless to loopback with the explicit flag', async () => {
    await using sim = await startSim({ marketSpeed: 0 });
    await expect(startTransport(sim, { allowInsecureLoopback: false })).rejects.toThrow(
      /core-transport\.publicUrl: must use wss:\/\//,
    );
    await expect(startTransport(sim, { publicUrl: 'ws://example.com/v2' })).rejects.toThrow(
      /core-transport\.publicUrl: must use wss:/,
    );
  });

  it('retries an unanswered subscribe with backoff, then gives up with a typed error (no spin)', async () => {
    await using sim = await startSim({ marketSpeed: 0 });
    await using host = await startTransport(sim, {
      subscriptions: {
        chunkSize: 50,
        ackTimeoutMs: 150,
        silentAfterMs: {},
        retry: { baseDelayMs: 50, maxDelayMs: 400, maxAttempts: 4 },
      },
    });
    await until(() =>
      host
        .get(subscriptionRegistryToken)
        .list()
        .every((entry) => entry.state === 'active'),
    );
    sim.control.inject({ kind: 'drop-response', method: 'subscribe' }, { count: Number.POSITIVE_INFINITY });
    const started = Date.now();
    const error = await host
      .get(subscriptionRegistryToken)
      .subscribe({ channel: 'ticker', symbol: 'ETH/USD' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SubscriptionError);
    expect((error as SubscriptionError).code).toBe('SUBSCRIPTION_UNANSWERED');
    expect((error as Error).message).toMatch(/no acknowledgement after 4 attempts/);
    expect(sim.control.stats()['faults.dropped_requests']).toBe(4); // exactly one frame per attempt
    expect(Date.now() - started).toBeGreaterThanOrEqual(4 * 150 + 50 + 100 + 200);
  });
});
