import { createVirtualClock, type VirtualClock } from '@krakenkit/host/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type Sim, startSim } from '../src/index.js';
import { ClientBook, parseLossless } from './support/kraken-book-model.js';
import { SimClient } from './support/sim-client.js';

// The book channel end to end over real sockets, on a virtual clock: every checksum of every
// snapshot and update verifies with an independent implementation, and the book a client
// rebuilds by Kraken's rules equals the exchange's (REST Depth, read while time stands still).

interface Subscription {
  symbol: string;
  depth: number;
}

let sim: Sim | undefined;
const clients: SimClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  if (sim) expect(sim.control.internalErrors()).toEqual([]);
  await sim?.close();
  sim = undefined;
});

async function start(options: Parameters<typeof startSim>[0]): Promise<{ sim: Sim; clock: VirtualClock }> {
  const clock = createVirtualClock({ now: Date.UTC(2026, 0, 5, 10) });
  sim = await startSim({ clock, limits: { idleTimeoutMs: 3_600_000 }, ...options });
  return { sim, clock };
}

async function connect(url: string): Promise<SimClient> {
  const client = await SimClient.connect(url);
  clients.push(client);
  await client.next((message) => message.channel === 'status');
  return client;
}

/** Waits until the client has everything the server sent so far (a pong is queued behind it). */
async function sync(client: SimClient): Promise<void> {
  const reqId = client.request('ping');
  await client.next((message) => message.method === 'pong' && message.req_id === reqId);
}

/** Applies every new book frame to the client books: each message's symbol and whether its checksum verified. */
function drainBooks(
  client: SimClient,
  books: Map<string, ClientBook>,
  from: number,
): { next: number; bad: string[]; results: { symbol: string; ok: boolean }[] } {
  const results: { symbol: string; ok: boolean }[] = [];
  let index = from;
  for (; index < client.raw.length; index++) {
    const message = parseLossless(client.raw[index] as string);
    if (message.channel !== 'book') continue;
    const data = (message.data as Parameters<ClientBook['apply']>[1][])[0] as Parameters<
      ClientBook['apply']
    >[1] & {
      symbol: string;
    };
    const book = books.get(data.symbol);
    if (!book) continue;
    results.push({ symbol: data.symbol, ok: book.apply(message.type as 'snapshot' | 'update', data) });
  }
  return { next: index, bad: results.filter((result) => !result.ok).map((result) => result.symbol), results };
}

async function restDepth(url: string, symbol: string, count: number) {
  const response = await fetch(`${url}/0/public/Depth?pair=${encodeURIComponent(symbol)}&count=${count}`);
  const body = (await response.json()) as { result: Record<string, { bids: string[][]; asks: string[][] }> };
  const book = Object.values(body.result)[0] as { bids: string[][]; asks: string[][] };
  return {
    bids: book.bids.map(([price, qty]) => [price, qty]),
    asks: book.asks.map(([price, qty]) => [price, qty]),
  };
}

describe('book channel over sockets', () => {
  for (const numberFormat of ['padded', 'trimmed'] as const) {
    it(`a client rebuilding every depth matches the exchange and every checksum (${numberFormat})`, async () => {
      const { sim, clock } = await start({ marketSpeed: 4, numberFormat });
      const subscriptions: Subscription[] = [
        { symbol: 'POL/USD', depth: 10 },
        { symbol: 'PEPE/USD', depth: 25 },
        { symbol: 'ETH/USD', depth: 100 },
        { symbol: 'BTC/USD', depth: 500 },
        { symbol: 'POL/USD', depth: 1000 },
      ];
      const sessions = await Promise.all(
        subscriptions.map(async (subscription) => {
          const client = await connect(sim.urls.publicWs);
          const pair = sim.pairs.find((candidate) => candidate.symbol === subscription.symbol)!;
          const books = new Map([
            [subscription.symbol, new ClientBook(subscription.depth, pair.pricePrecision, pair.qtyPrecision)],
          ]);
          client.request('subscribe', {
            channel: 'book',
            symbol: [subscription.symbol],
            depth: subscription.depth,
          });
          return { client, books, subscription, cursor: 0, messages: 0 };
        }),
      );
      for (let step = 0; step < 25; step++) {
        await clock.advanceAsync(200);
        for (const session of sessions) {
          await sync(session.client);
          const before = session.cursor;
          const drained = drainBooks(session.client, session.books, session.cursor);
          session.cursor = drained.next;
          session.messages += drained.next - before;
          expect(drained.bad, `step ${step}`).toEqual([]);
          const { symbol, depth } = session.subscription;
          const book = session.books.get(symbol)!;
          const rest = await restDepth(sim.urls.rest, symbol, Math.min(depth, 500));
          expect(book.top('bids').slice(0, 500)).toEqual(rest.bids);
          expect(book.top('asks').slice(0, 500)).toEqual(rest.asks);
        }
      }
      for (const session of sessions) expect(session.messages).toBeGreaterThan(20);
      // The traps appeared on the wire: 4-decimal prices ending in 0, and dust quantities.
      const polText = sessions[0]!.client.raw.join('\n');
      expect(polText).toMatch(numberFormat === 'padded' ? /"price":0\.\d{3}0[,}]/ : /"price":0\.\d{1,3}[,}]/);
      expect(sessions[1]!.client.raw.join('\n')).toMatch(/"qty":0\.0{4,7}[1-9]/);
    });
  }
});

describe('book faults', () => {
  it('corrupt-checksum hits exactly the next book message of that symbol; the book itself stays right', async () => {
    const { sim, clock } = await start({ marketSpeed: 4 });
    const client = await connect(sim.urls.publicWs);
    const books = new Map(
      ['POL/USD', 'ETH/USD'].map((symbol) => {
        const pair = sim.pairs.find((candidate) => candidate.symbol === symbol)!;
        return [symbol, new ClientBook(10, pair.pricePrecision, pair.qtyPrecision)] as const;
      }),
    );
    client.request('subscribe', { channel: 'book', symbol: ['POL/USD', 'ETH/USD'] });
    await clock.advanceAsync(500);
    await sync(client);
    let cursor = drainBooks(client, books, 0).next;
    sim.control.inject({ kind: 'corrupt-checksum', symbol: 'POL/USD' });
    const results: { symbol: string; ok: boolean }[] = [];
    for (let step = 0; step < 10; step++) {
      await clock.advanceAsync(300);
      await sync(client);
      const drained = drainBooks(client, books, cursor);
      cursor = drained.next;
      results.push(...drained.results);
    }
    const pol = results.filter((result) => result.symbol === 'POL/USD').map((result) => result.ok);
    const eth = results.filter((result) => result.symbol === 'ETH/USD').map((result) => result.ok);
    expect(pol.length).toBeGreaterThan(3);
    expect(pol).toEqual([false, ...pol.slice(1).map(() => true)]);
    expect(eth.length).toBeGreaterThan(3);
    expect(eth.every(Boolean)).toBe(true);
    expect(sim.control.faults()).toEqual([]);
    expect(sim.control.stats()['faults.corrupt_checksum']).toBe(1);
  });

  it('corrupt-level sends one wrong quantity (true checksum): detected on that message, healed by a resubscribe', async () => {
    const { sim, clock } = await start({ marketSpeed: 4 });
    const client = await connect(sim.urls.publicWs);
    const pair = sim.pairs.find((candidate) => candidate.symbol === 'POL/USD')!;
    let book = new ClientBook(10, pair.pricePrecision, pair.qtyPrecision);
    const other = new ClientBook(10, 2, 8);
    client.request('subscribe', { channel: 'book', symbol: ['POL/USD', 'ETH/USD'] });
    await clock.advanceAsync(500);
    await sync(client);
    let cursor = drainBooks(
      client,
      new Map([
        ['POL/USD', book],
        ['ETH/USD', other],
      ]),
      0,
    ).next;
    sim.control.inject({ kind: 'corrupt-level', symbol: 'POL/USD' });
    let detected = false;
    for (let step = 0; step < 10 && !detected; step++) {
      await clock.advanceAsync(300);
      await sync(client);
      const drained = drainBooks(
        client,
        new Map([
          ['POL/USD', book],
          ['ETH/USD', other],
        ]),
        cursor,
      );
      cursor = drained.next;
      expect(drained.bad.filter((symbol) => symbol !== 'POL/USD')).toEqual([]);
      detected = drained.bad.includes('POL/USD');
    }
    expect(detected).toBe(true);
    expect(sim.control.stats()['faults.corrupt_level']).toBe(1);
    // Resync as a client should: unsubscribe, subscribe, take the new snapshot.
    client.request('unsubscribe', { channel: 'book', symbol: ['POL/USD'], depth: 10 }, 50);
    client.request('subscribe', { channel: 'book', symbol: ['POL/USD'] }, 51);
    await client.response(51);
    book = new ClientBook(10, pair.pricePrecision, pair.qtyPrecision);
    await sync(client);
    const skip = client.raw.findIndex((text, index) => index >= cursor && text.includes('"req_id":51'));
    for (let step = 0; step < 5; step++) {
      await clock.advanceAsync(300);
      await sync(client);
      const drained = drainBooks(
        client,
        new Map([
          ['POL/USD', book],
          ['ETH/USD', other],
        ]),
        Math.max(cursor, skip),
      );
      cursor = drained.next;
      expect(drained.bad).toEqual([]);
    }
  });

  it('silence-subscription stops that channel and symbol only; heartbeats go on', async () => {
    const { sim, clock } = await start({ marketSpeed: 10 });
    const silenced = await connect(sim.urls.publicWs);
    const other = await connect(sim.urls.publicWs);
    silenced.request('subscribe', { channel: 'trade', symbol: ['BTC/USD'] }, 1);
    other.request('subscribe', { channel: 'trade', symbol: ['BTC/USD'] }, 1);
    await silenced.response(1);
    await other.response(1);
    sim.control.inject(
      {
        kind: 'silence-subscription',
        channel: 'trade',
        symbol: 'BTC/USD',
        target: { connectionId: sim.control.connections()[0]!.id },
      },
      { durationMs: 5_000 },
    );
    const from = silenced.raw.length;
    const otherFrom = other.raw.length;
    for (let step = 0; step < 8; step++) await clock.advanceAsync(500);
    await sync(silenced);
    await sync(other);
    const heard = silenced.raw.slice(from).map((text) => JSON.parse(text) as Record<string, unknown>);
    expect(heard.filter((message) => message.channel === 'trade')).toEqual([]);
    expect(heard.filter((message) => message.channel === 'heartbeat').length).toBeGreaterThanOrEqual(3);
    expect(other.raw.slice(otherFrom).some((text) => text.includes('"channel":"trade"'))).toBe(true);
    // After the silence ends, trades flow again.
    for (let step = 0; step < 6; step++) await clock.advanceAsync(500);
    await sync(silenced);
    expect(silenced.raw.slice(from).some((text) => text.includes('"channel":"trade"'))).toBe(true);
  });
});
