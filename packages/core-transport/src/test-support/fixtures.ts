import { readFileSync } from 'node:fs';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { parseWireFrame } from '../wire-parser.js';
import { writeWireJson } from '../wire-writer.js';

const fixtureDirectory = new URL('../__fixtures__/', import.meta.url);

/**
 * The frames of a fixture file (`ws-<channel>-<variant>.json`, a JSON array of frames, one
 * per line). Each frame is re-serialized losslessly and checked against its source line,
 * so fixtures double as writer round-trip tests.
 */
export function loadFrames(name: string): string[] {
  const text = readFileSync(new URL(name, fixtureDirectory), 'utf8');
  const parsed = parseWireFrame(text);
  if (!parsed.ok || !Array.isArray(parsed.value)) throw new Error(`Fixture ${name} is not a JSON array.`);
  const lines = text.split('\n').filter((line) => line.startsWith('{'));
  const frames = parsed.value.map((frame) => writeWireJson(frame, { decimalFields: new Set() }));
  frames.forEach((frame, index) => {
    const line = lines[index]?.replace(/,$/, '');
    if (frame !== line)
      throw new Error(`Fixture ${name} frame ${index} does not round-trip:\n${frame}\n${line}`);
  });
  return frames;
}

/** A level as plain text, for the independent implementations below. */
export interface TextLevel {
  price: string;
  qty: string;
}

/**
 * The checksum the obvious way, independent of the package: format each decimal with
 * string operations (exponent expanded through BigInt), concatenate, `zlib.crc32`.
 */
export function referenceChecksum(
  asks: readonly TextLevel[],
  bids: readonly TextLevel[],
  pricePrecision: number,
  qtyPrecision: number,
): number {
  const digits = (text: string, precision: number) => {
    const [whole = '', fraction = ''] = expandExponent(text).split('.');
    return (whole + fraction.slice(0, precision).padEnd(precision, '0')).replace(/^0+/, '');
  };
  let input = '';
  for (const level of asks.slice(0, 10))
    input += digits(level.price, pricePrecision) + digits(level.qty, qtyPrecision);
  for (const level of bids.slice(0, 10))
    input += digits(level.price, pricePrecision) + digits(level.qty, qtyPrecision);
  return zlibCrc32(input);
}

/** `1.5e-3` → `0.0015` via an integer mantissa and a scale. */
function expandExponent(text: string): string {
  const match = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (match === null) throw new Error(`not a decimal: ${text}`);
  const [, whole = '', fraction = '', exponent = '0'] = match;
  const scale = fraction.length - Number(exponent);
  const units = BigInt(whole + fraction).toString();
  if (scale <= 0) return units + '0'.repeat(-scale);
  const padded = units.padStart(scale + 1, '0');
  return `${padded.slice(0, padded.length - scale)}.${padded.slice(padded.length - scale)}`;
}

/** A compact book frame as Kraken writes it. */
export function bookFrame(
  type: 'snapshot' | 'update',
  symbol: string,
  bids: readonly TextLevel[],
  asks: readonly TextLevel[],
  checksum: number,
  timestamp = '2026-01-05T10:00:00.000000Z',
): string {
  const levels = (side: readonly TextLevel[]) =>
    `[${side.map((level) => `{"price":${level.price},"qty":${level.qty}}`).join(',')}]`;
  return `{"channel":"book","type":"${type}","data":[{"symbol":"${symbol}","bids":${levels(bids)},"asks":${levels(asks)},"checksum":${checksum},"timestamp":"${timestamp}"}]}`;
}
