import { isLosslessNumber, LosslessNumber, parse } from 'lossless-json';

// An independent client-side view of Kraken's v2 `book` channel, written from PROTOCOL §7.2
// and §8 only (no sim code): a table CRC-32, the checksum string built from decimal text
// padded to the instrument precisions, and a book maintained by the documented rules
// (snapshot replaces; update entries applied in order, qty 0 deletes; truncate to depth).

const table = (() => {
  const entries = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    entries[n] = c >>> 0;
  }
  return entries;
})();

/** CRC-32 (IEEE 802.3, as zlib), unsigned. */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++)
    crc = (table[(crc ^ text.charCodeAt(i)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Decimal text with exactly `places` decimals (pads `0.566` to `0.5660`). */
export function padDecimal(text: string, places: number): string {
  const [whole = '0', fraction = ''] = text.split('.');
  if (fraction.length > places) throw new Error(`${text} has more than ${places} decimals`);
  return places === 0 ? whole : `${whole}.${fraction.padEnd(places, '0')}`;
}

const checksumPart = (text: string) => text.replace('.', '').replace(/^0+/, '');

/** Kraken's checksum of the top 10 asks (ascending) then top 10 bids (descending). */
export function krakenChecksum(
  asks: readonly (readonly [string, string])[],
  bids: readonly (readonly [string, string])[],
  pricePrecision: number,
  qtyPrecision: number,
): number {
  let input = '';
  for (const [price, qty] of [...asks.slice(0, 10), ...bids.slice(0, 10)]) {
    input += checksumPart(padDecimal(price, pricePrecision)) + checksumPart(padDecimal(qty, qtyPrecision));
  }
  return crc32(input);
}

/** Parses a server frame keeping every number's source text. */
export function parseLossless(text: string): Record<string, unknown> {
  return parse(text, null, (digits) => new LosslessNumber(digits)) as Record<string, unknown>;
}

export function numberText(value: unknown): string {
  if (!isLosslessNumber(value)) throw new Error(`expected a JSON number, got ${JSON.stringify(value)}`);
  return value.value;
}

interface WireLevel {
  price: unknown;
  qty: unknown;
}

/** A client's book for one symbol at one depth. */
export class ClientBook {
  /** Key: the price's digits at the pair's precision (orders like the price). */
  readonly bids = new Map<bigint, [string, string]>();
  readonly asks = new Map<bigint, [string, string]>();

  constructor(
    readonly depth: number,
    readonly pricePrecision: number,
    readonly qtyPrecision: number,
  ) {}

  /** Applies one `book` message's `data[0]`; returns whether its checksum matches the result. */
  apply(
    type: 'snapshot' | 'update',
    data: { bids: WireLevel[]; asks: WireLevel[]; checksum: unknown },
  ): boolean {
    if (type === 'snapshot') {
      this.bids.clear();
      this.asks.clear();
    }
    for (const [side, levels] of [
      [this.bids, data.bids],
      [this.asks, data.asks],
    ] as const) {
      for (const level of levels) {
        const price = padDecimal(numberText(level.price), this.pricePrecision);
        const qty = padDecimal(numberText(level.qty), this.qtyPrecision);
        const key = BigInt(price.replace('.', ''));
        if (/^0(\.0*)?$/.test(qty)) side.delete(key);
        else side.set(key, [price, qty]);
      }
    }
    this.#truncate('bids');
    this.#truncate('asks');
    const checksum = krakenChecksum(
      this.top('asks', 10),
      this.top('bids', 10),
      this.pricePrecision,
      this.qtyPrecision,
    );
    return checksum === Number(numberText(data.checksum));
  }

  /** The best `count` levels as [price, qty] text padded to the precisions. */
  top(name: 'bids' | 'asks', count: number = this.depth): [string, string][] {
    const side = name === 'bids' ? this.bids : this.asks;
    const better = (a: bigint, b: bigint) => (name === 'bids' ? a > b : a < b);
    if (count >= side.size) {
      return [...side.keys()]
        .sort((a, b) => (better(a, b) ? -1 : 1))
        .map((key) => side.get(key) as [string, string]);
    }
    // Partial selection: the checksum needs only the top 10 of up to 1000 levels.
    const best: bigint[] = [];
    for (const key of side.keys()) {
      if (best.length === count && !better(key, best[count - 1] as bigint)) continue;
      let index = best.length;
      while (index > 0 && better(key, best[index - 1] as bigint)) index -= 1;
      best.splice(index, 0, key);
      if (best.length > count) best.pop();
    }
    return best.map((key) => side.get(key) as [string, string]);
  }

  #truncate(name: 'bids' | 'asks'): void {
    const side = name === 'bids' ? this.bids : this.asks;
    // Usually one or two levels over: drop the worst one at a time (cheaper than sorting 1000).
    while (side.size > this.depth) {
      let worst: bigint | undefined;
      for (const key of side.keys()) {
        if (worst === undefined || (name === 'bids' ? key < worst : key > worst)) worst = key;
      }
      side.delete(worst as bigint);
    }
  }
}
