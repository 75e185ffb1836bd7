import { crc32 } from 'node:zlib';

// Generates realistic Kraken v2 public-session transcripts for the book benchmark: an
// `instrument` snapshot, one subscribe ack per book, then each book's snapshot and a stream
// of updates, exactly as the wire carries them (compact JSON, numbers at full precision,
// some with trailing zeros trimmed the way a float formatter would, correct checksums).
// The book model and the checksum here are written independently of the package (integer
// ticks, string formatting, zlib CRC-32), so the benchmark also cross-checks the store.
// A transcript recorded from the simulator can replace a generated one: same format, one
// frame per line.

export interface TranscriptSpec {
  /** Scenario name, also the transcript file name. */
  name: string;
  depth: number;
  symbols: number;
  /** Update frames per symbol. */
  updatesPerSymbol: number;
  seed: number;
}

interface Pair {
  symbol: string;
  pricePrecision: number;
  qtyPrecision: number;
  /** Mid price in ticks. */
  midTicks: number;
}

interface Level {
  ticks: number;
  qtyUnits: number;
  /** The wire text of price and qty as last sent. */
  price: string;
  qty: string;
}

/** Small, fast, seeded PRNG (mulberry32). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pair shapes seen on Kraken: BTC-like (1 price decimal), ETH-like (2), alts (4-5), micro caps (8). */
const pairShapes: readonly { pricePrecision: number; qtyPrecision: number; midTicks: number }[] = [
  { pricePrecision: 1, qtyPrecision: 8, midTicks: 642_831 },
  { pricePrecision: 2, qtyPrecision: 8, midTicks: 312_455 },
  { pricePrecision: 4, qtyPrecision: 8, midTicks: 56_631 },
  { pricePrecision: 5, qtyPrecision: 5, midTicks: 52_131 },
  { pricePrecision: 8, qtyPrecision: 2, midTicks: 123_456 },
  { pricePrecision: 8, qtyPrecision: 8, midTicks: 1_234_567_891_234 },
];

export function pairsFor(spec: TranscriptSpec): Pair[] {
  return Array.from({ length: spec.symbols }, (_, index) => {
    const shape = pairShapes[index % pairShapes.length]!;
    return {
      symbol: spec.symbols === 1 ? 'BTC/USD' : `S${String(index).padStart(3, '0')}/USD`,
      ...shape,
    };
  });
}

/** Decimal text of `units / 10^scale`, optionally with trailing zeros trimmed (float style). */
function decimalText(units: number, scale: number, trim: boolean): string {
  if (scale === 0) return String(units);
  const digits = String(units).padStart(scale + 1, '0');
  let text = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  if (trim) text = text.replace(/0+$/, '').replace(/\.$/, '');
  return text;
}

/** Checksum digits the plain way: pad to precision, drop the point, strip leading zeros. */
function checksumDigits(text: string, precision: number): string {
  const [whole = '', fraction = ''] = text.split('.');
  return (whole + fraction.padEnd(precision, '0').slice(0, precision)).replace(/^0+/, '');
}

class GeneratedBook {
  bids: Level[] = [];
  asks: Level[] = [];

  constructor(
    readonly pair: Pair,
    readonly depth: number,
    readonly random: () => number,
  ) {
    let bidTicks = pair.midTicks - 1;
    let askTicks = pair.midTicks + 1;
    for (let i = 0; i < depth; i++) {
      this.bids.push(this.level(bidTicks));
      this.asks.push(this.level(askTicks));
      bidTicks -= this.spacing();
      askTicks += this.spacing();
    }
    this.bids.sort((a, b) => b.ticks - a.ticks);
    this.asks.sort((a, b) => a.ticks - b.ticks);
  }

  spacing(): number {
    return 1 + Math.floor(this.random() * 3);
  }

  level(
    ticks: number,
    qtyUnits = 1 + Math.floor(this.random() * 10 ** Math.min(this.pair.qtyPrecision + 2, 12)),
  ): Level {
    return {
      ticks,
      qtyUnits,
      price: decimalText(ticks, this.pair.pricePrecision, this.random() < 0.3),
      qty: decimalText(qtyUnits, this.pair.qtyPrecision, this.random() < 0.3),
    };
  }

  checksum(): number {
    const { pricePrecision, qtyPrecision } = this.pair;
    let input = '';
    for (const side of [this.asks, this.bids]) {
      for (const level of side.slice(0, 10)) {
        input += checksumDigits(level.price, pricePrecision) + checksumDigits(level.qty, qtyPrecision);
      }
    }
    return crc32(input);
  }

  /** One update: 1-3 changes (modify 60 %, insert 20 %, delete + refill 20 %), applied here. */
  update(): { bids: Level[]; asks: Level[] } {
    const changes = { bids: [] as Level[], asks: [] as Level[] };
    const count = 1 + Math.floor(this.random() * 3);
    for (let n = 0; n < count; n++) {
      const isBid = this.random() < 0.5;
      const side = isBid ? this.bids : this.asks;
      const out = isBid ? changes.bids : changes.asks;
      // Most activity is near the top of the book.
      const index = Math.min(side.length - 1, Math.floor(this.random() ** 2 * side.length));
      const roll = this.random();
      if (roll < 0.6 && side.length > 0) {
        const changed = this.level(side[index]!.ticks);
        side[index] = changed;
        out.push(changed);
      } else if (roll < 0.8) {
        const inserted = this.insert(isBid);
        if (inserted !== undefined) out.push(inserted);
      } else if (side.length > 1) {
        const removed = side.splice(index, 1)[0]!;
        out.push({
          ...removed,
          qty: this.random() < 0.5 ? '0' : decimalText(0, this.pair.qtyPrecision, false),
        });
        if (side.length < this.depth) {
          // Kraken sends the level that comes into range to refill the depth.
          const worst = side.at(-1)!.ticks;
          const refill = this.level(isBid ? worst - this.spacing() : worst + this.spacing());
          side.push(refill);
          out.push(refill);
        }
      }
    }
    // Levels pushed beyond the depth vanish without a delete, as on Kraken: the subscriber
    // truncates after applying the whole message, so the model does too.
    this.bids.length = Math.min(this.bids.length, this.depth);
    this.asks.length = Math.min(this.asks.length, this.depth);
    return changes;
  }

  insert(isBid: boolean): Level | undefined {
    const side = isBid ? this.bids : this.asks;
    const bestOther = isBid ? this.asks[0]!.ticks : this.bids[0]!.ticks;
    const best = side[0]!.ticks;
    const candidate = isBid
      ? Math.min(bestOther - 1, best + 1 - Math.floor(this.random() * 6))
      : Math.max(bestOther + 1, best - 1 + Math.floor(this.random() * 6));
    if (side.some((level) => level.ticks === candidate)) return undefined;
    const level = this.level(candidate);
    side.push(level);
    side.sort(isBid ? (a, b) => b.ticks - a.ticks : (a, b) => a.ticks - b.ticks);
    return level;
  }
}

function levelsText(levels: readonly Level[]): string {
  return `[${levels.map((level) => `{"price":${level.price},"qty":${level.qty}}`).join(',')}]`;
}

function bookFrame(type: string, book: GeneratedBook, bids: Level[], asks: Level[], time: number): string {
  const timestamp = new Date(Date.UTC(2026, 0, 5, 10) + time).toISOString().replace('Z', '123Z');
  return `{"channel":"book","type":"${type}","data":[{"symbol":"${book.pair.symbol}","bids":${levelsText(bids)},"asks":${levelsText(asks)},"checksum":${book.checksum()},"timestamp":"${timestamp}"}]}`;
}

function instrumentFrame(pairs: readonly Pair[]): string {
  const pairText = pairs.map(
    (pair) =>
      `{"symbol":"${pair.symbol}","base":"${pair.symbol.split('/')[0]}","quote":"USD","status":"online","qty_precision":${pair.qtyPrecision},"qty_increment":${decimalText(1, pair.qtyPrecision, false)},"qty_min":${decimalText(1, pair.qtyPrecision, false)},"price_precision":${pair.pricePrecision},"price_increment":${decimalText(1, pair.pricePrecision, false)},"cost_precision":5,"cost_min":0.5,"marginable":false,"has_index":true}`,
  );
  return `{"channel":"instrument","type":"snapshot","data":{"assets":[{"id":"USD","status":"enabled","precision":4,"precision_display":2,"borrowable":true,"collateral_value":1.0,"margin_rate":0.0}],"pairs":[${pairText.join(',')}]}}`;
}

/**
 * A session transcript: instrument snapshot, subscribe acks, every book's snapshot, then
 * updates round-robin across the books (as a multi-symbol subscription interleaves them).
 */
export function generateTranscript(spec: TranscriptSpec): string[] {
  const random = createRandom(spec.seed);
  const pairs = pairsFor(spec);
  const frames = [instrumentFrame(pairs)];
  const books = pairs.map((pair) => new GeneratedBook(pair, spec.depth, random));
  books.forEach((book, index) => {
    frames.push(
      `{"method":"subscribe","req_id":${index + 1},"result":{"channel":"book","depth":${spec.depth},"snapshot":true,"symbol":"${book.pair.symbol}"},"success":true,"time_in":"2026-01-05T10:00:00.000000Z","time_out":"2026-01-05T10:00:00.000050Z"}`,
    );
  });
  let time = 0;
  for (const book of books) frames.push(bookFrame('snapshot', book, book.bids, book.asks, time++));
  for (let n = 0; n < spec.updatesPerSymbol; n++) {
    for (const book of books) {
      const { bids, asks } = book.update();
      frames.push(bookFrame('update', book, bids, asks, time++));
    }
  }
  return frames;
}
