/**
 * Records Kraken v2 public-session transcripts from the simulator (`@krakenkit/sim`) for the
 * book benchmark: `bench-results/sim-frames/<scenario>.jsonl`, one text frame per line,
 * exactly as the client received it, in the order it arrived. `book-bench.ts --frames
 * bench-results/sim-frames` then measures the pipeline on them.
 *
 * Per scenario: a sim on a virtual clock (seeded, so a recording is reproducible: same sim
 * sources, same frames), its background market at a high `marketSpeed`; a raw `ws` client
 * subscribes `instrument`, then `book` at the scenario's depth for its symbols, and the
 * virtual clock is advanced one market tick (100 ms) at a time. After each tick a `ping` is
 * sent and its `pong` awaited, a barrier: the sim wrote every frame of the tick before
 * answering, so the client never falls behind and the sim's socket never buffers much.
 * Heartbeats and the barrier pongs are not recorded (heartbeats are rare anyway: the book
 * flows every tick). Every frame also goes through a `MarketDataRouter`, checksums
 * verified; the recording fails unless every book is ready with zero checksum mismatches
 * and zero rejected frames.
 *
 * Scenarios (matching the generated ones of `book-frame-generator.ts` in shape and volume):
 *   depth-10-1-symbol     BTC/USD (the sim's default pair, 1000 levels a side), depth 10,
 *                         100 000 update frames
 *   depth-1000-1-symbol   BTC/USD at depth 1000, 40 000 update frames
 *   depth-10-100-symbols  100 generated pairs (S000/USD … S099/USD, precisions cycling
 *                         through 1/8, 2/8, 4/8, 5/5, 8/2 and 8/8 price/qty decimals, 50
 *                         levels a side), one `book` subscribe for all, depth 10, 100 000
 *                         update frames in total (about 1 000 per symbol; the sim's flows
 *                         are random, so the split is not exact)
 *
 * Options: `--out <dir>` (default `bench-results/sim-frames`), `--force` (record even when
 * the files are fresh), `--quick` (a tenth of the volume). Without `--force`, a scenario is
 * recorded only when its file is missing or older than the sim's sources or this script.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createVirtualClock } from '@krakenkit/host/testing';
import { systemClock } from '@krakenkit/plugin-api';
import { defaultAssets, defaultPairs, type SimAsset, type SimPair, startSim } from '@krakenkit/sim';
import WebSocket from 'ws';
import { MarketDataRouter, type WireMessage } from '../src/index.js';

interface RecordSpec {
  name: string;
  depth: number;
  /** 1: BTC/USD; more: generated pairs. */
  symbols: number;
  /** Book update frames to record, all symbols together. */
  updates: number;
  marketSpeed: number;
}

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const force = argv.includes('--force');
const outIndex = argv.indexOf('--out');
const outDirectory =
  outIndex >= 0 && argv[outIndex + 1] !== undefined
    ? argv[outIndex + 1]!
    : fileURLToPath(new URL('../bench-results/sim-frames/', import.meta.url));
const scale = quick ? 0.1 : 1;
const seed = 42;

// Market speeds: BTC/USD runs 44 events per second at speed 1, so 10 000 gives 4 400 events
// per 100 ms tick (the scheduler runs at most 5 000 per pair per tick); each generated pair
// runs 22, so 100 pairs at speed 100 give 22 000 events per tick in all.
const specs: RecordSpec[] = [
  { name: 'depth-10-1-symbol', depth: 10, symbols: 1, updates: 100_000 * scale, marketSpeed: 10_000 },
  { name: 'depth-1000-1-symbol', depth: 1000, symbols: 1, updates: 40_000 * scale, marketSpeed: 10_000 },
  { name: 'depth-10-100-symbols', depth: 10, symbols: 100, updates: 100_000 * scale, marketSpeed: 100 },
];

/** Price/qty decimals like Kraken's pairs: BTC-like, ETH-like, alts, micro caps. */
const shapes = [
  { pricePrecision: 1, qtyPrecision: 8, price: '64283.1', qty: '0.75' },
  { pricePrecision: 2, qtyPrecision: 8, price: '3124.55', qty: '8' },
  { pricePrecision: 4, qtyPrecision: 8, price: '0.5660', qty: '20000' },
  { pricePrecision: 5, qtyPrecision: 5, price: '0.52131', qty: '15000' },
  { pricePrecision: 8, qtyPrecision: 2, price: '0.00123456', qty: '2000000' },
  { pricePrecision: 8, qtyPrecision: 8, price: '0.00001234', qty: '50000000' },
] as const;

const increment = (places: number) => (places === 0 ? '1' : `0.${'0'.repeat(places - 1)}1`);

/** `count` pairs S000/USD … with their assets, for the multi-symbol scenario. */
export function generatedMarket(count: number): { pairs: SimPair[]; assets: SimAsset[] } {
  const usd = defaultAssets.find((asset) => asset.id === 'USD')!;
  const assets: SimAsset[] = [usd];
  const pairs: SimPair[] = [];
  for (let index = 0; index < count; index++) {
    const shape = shapes[index % shapes.length]!;
    const base = `S${String(index).padStart(3, '0')}`;
    assets.push({ id: base, restId: `X${base}`, altname: base, decimals: 10, displayDecimals: 5 });
    pairs.push({
      symbol: `${base}/USD`,
      restId: `X${base}ZUSD`,
      altname: `${base}USD`,
      wsname: `${base}/USD`,
      base,
      quote: 'USD',
      pricePrecision: shape.pricePrecision,
      qtyPrecision: shape.qtyPrecision,
      costPrecision: 5,
      priceIncrement: increment(shape.pricePrecision),
      qtyIncrement: increment(shape.qtyPrecision),
      qtyMin: increment(shape.qtyPrecision),
      costMin: '0.00001',
      makerFeeBps: 25,
      takerFeeBps: 40,
      status: 'online',
      market: {
        initialPrice: shape.price,
        depthLevels: 50,
        typicalLevelQty: shape.qty,
        spreadTicks: 1,
        volatilityBps: 4,
        eventsPerSecond: 20,
        tradesPerSecond: 2,
      },
    });
  }
  return { pairs, assets };
}

/** Newest modification time of the files under `directory` (recursively). */
function newestMtime(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

/** Resolves after `timeoutMs` with an error; used so a stuck recording fails instead of hanging. */
function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: nothing for ${timeoutMs} ms`)), timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

export interface RecordingResult {
  name: string;
  file: string;
  frames: number;
  updateFrames: number;
  snapshots: number;
  bytes: number;
  virtualSeconds: number;
  wallMs: number;
  checks: { checksumMismatches: number; rejectedFrames: number; booksReady: number; booksTracked: number };
}

async function record(spec: RecordSpec): Promise<RecordingResult> {
  const started = performance.now();
  const clock = createVirtualClock();
  const market =
    spec.symbols === 1
      ? { pairs: defaultPairs.filter((pair) => pair.symbol === 'BTC/USD'), assets: defaultAssets }
      : generatedMarket(spec.symbols);
  const symbols = market.pairs.map((pair) => pair.symbol);
  await using sim = await startSim({
    seed,
    clock,
    pairs: market.pairs,
    assets: market.assets,
    marketSpeed: spec.marketSpeed,
    // One barrier ping per virtual tick; no idle close while the virtual clock runs.
    limits: { wsMessagesPerSecond: 1_000, idleTimeoutMs: 3_600_000 },
  });

  const frames: string[] = [];
  const router = new MarketDataRouter({ clock: systemClock });
  let updateFrames = 0;
  let snapshots = 0;
  let pongs = 0;
  let closed = false;
  const waiters: Array<() => void> = [];
  const wake = () => {
    for (const resolve of waiters.splice(0)) resolve();
  };

  const socket = new WebSocket(sim.urls.publicWs, { perMessageDeflate: false });
  socket.on('message', (data, isBinary) => {
    if (isBinary) throw new Error('binary frame from the sim');
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : data.toString();
    if (text.includes('\n')) throw new Error('a frame with a newline cannot go into a .jsonl transcript');
    const message = router.receive(text);
    if (message?.kind === 'pong') {
      pongs += 1;
    } else if (message?.kind !== 'heartbeat') {
      frames.push(text);
      track(router, message);
      if (message?.kind === 'book') {
        if (message.type === 'update') updateFrames += 1;
        else snapshots += 1;
      }
    }
    wake();
  });
  socket.on('close', () => {
    closed = true;
    wake();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });

  const until = async (condition: () => boolean, what: string) => {
    while (!condition()) {
      if (closed) throw new Error(`${spec.name}: the sim closed the connection while waiting for ${what}`);
      await withTimeout(new Promise<void>((resolve) => waiters.push(resolve)), 10_000, what);
    }
  };
  let reqId = 0;
  const send = (method: string, params?: Record<string, unknown>) =>
    socket.send(JSON.stringify({ method, ...(params ? { params } : {}), req_id: ++reqId }));

  send('subscribe', { channel: 'instrument' });
  await until(() => router.instruments.pairs().length >= symbols.length, 'the instrument snapshot');
  send('subscribe', { channel: 'book', depth: spec.depth, symbol: symbols });
  await until(() => snapshots >= symbols.length, 'the book snapshots');

  let ticks = 0;
  while (updateFrames < spec.updates) {
    await clock.advanceAsync(100);
    ticks += 1;
    const expected = pongs + 1;
    send('ping');
    await until(() => pongs >= expected, 'the barrier pong');
  }
  socket.close();

  // Trim to the wanted number of updates: the transcript ends after the last wanted frame.
  let kept = 0;
  let end = frames.length;
  for (let index = 0; index < frames.length; index++) {
    if (frames[index]!.startsWith('{"channel":"book","type":"update"') && ++kept === spec.updates) {
      end = index + 1;
      break;
    }
  }
  const transcript = frames.slice(0, end);

  // The router saw everything (also the trimmed tail); verify the transcript on its own too.
  const check = new MarketDataRouter({ clock: systemClock });
  for (const frame of transcript) track(check, check.receive(frame));
  const books = check.books.symbols();
  const checks = {
    checksumMismatches: router.books.stats().checksumMismatches + check.books.stats().checksumMismatches,
    rejectedFrames: router.decoder.stats().rejected + check.decoder.stats().rejected,
    booksReady: books.filter((symbol) => check.books.state(symbol) === 'ready').length,
    booksTracked: books.length,
  };
  if (
    checks.checksumMismatches > 0 ||
    checks.rejectedFrames > 0 ||
    checks.booksReady !== symbols.length ||
    checks.booksTracked !== symbols.length
  ) {
    throw new Error(`${spec.name}: recording failed verification ${JSON.stringify(checks)}`);
  }
  if (sim.control.internalErrors().length > 0) {
    throw new Error(
      `${spec.name}: the sim reported internal errors: ${String(sim.control.internalErrors()[0])}`,
    );
  }

  mkdirSync(outDirectory, { recursive: true });
  const file = join(outDirectory, `${spec.name}.jsonl`);
  const text = `${transcript.join('\n')}\n`;
  writeFileSync(file, text);
  return {
    name: spec.name,
    file,
    frames: transcript.length,
    updateFrames: Math.min(updateFrames, spec.updates),
    snapshots,
    bytes: Buffer.byteLength(text),
    virtualSeconds: ticks / 10,
    wallMs: performance.now() - started,
    checks,
  };
}

/** Starts tracking a book when its subscribe ack arrives, as the socket layer does. */
function track(router: MarketDataRouter, message: WireMessage | undefined): void {
  if (message?.kind !== 'method-response' || !message.success || message.method !== 'subscribe') return;
  const result = message.result as Record<string, unknown> | undefined;
  if (result?.channel !== 'book') return;
  router.books.track(String(result.symbol), Number(String(result.depth)));
}

async function main(): Promise<void> {
  const simSources = join(dirname(fileURLToPath(import.meta.resolve('@krakenkit/sim/package.json'))), 'src');
  const inputsMtime = Math.max(newestMtime(simSources), statSync(fileURLToPath(import.meta.url)).mtimeMs);
  for (const spec of specs) {
    const file = join(outDirectory, `${spec.name}.jsonl`);
    if (!force && !quick && existsSync(file) && statSync(file).mtimeMs > inputsMtime) {
      console.log(`sim frames: ${spec.name} is up to date (${file})`);
      continue;
    }
    const result = await record(spec);
    console.log(
      `sim frames: ${result.name}: ${result.updateFrames.toLocaleString('en-US')} updates, ${result.snapshots} snapshot(s), ` +
        `${(result.bytes / 1e6).toFixed(1)} MB, ${result.virtualSeconds.toFixed(1)} virtual s, ` +
        `recorded in ${(result.wallMs / 1000).toFixed(1)} s; checksums verified (0 mismatches) → ${result.file}`,
    );
  }
}

await main();
