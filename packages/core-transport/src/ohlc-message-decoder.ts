import type { ChannelDecodeResult } from './wire-decode-result.js';
import { asObject, readArray, readDecimal, readInteger, readSymbol, readTimestamp } from './wire-fields.js';
import type { ChannelMessageType, OhlcBar, OhlcMessage } from './wire-messages.js';
import type { WireObject } from './wire-parser.js';

/** Bar lengths Kraken offers, in minutes. */
export const ohlcIntervals: readonly number[] = [1, 5, 15, 30, 60, 240, 1440, 10080, 21600];
/** A snapshot carries up to 720 bars. */
export const maxOhlcEntries = 1000;

/** Validates an `ohlc` snapshot or update. */
export function decodeOhlcMessage(
  frame: WireObject,
  type: ChannelMessageType,
): ChannelDecodeResult<OhlcMessage> {
  const entries = readArray(frame, 'data', maxOhlcEntries);
  if (entries === undefined) return 'data';
  const data: OhlcBar[] = [];
  for (const entry of entries) {
    const object = asObject(entry);
    if (object === undefined) return 'data[]';
    const bar = decodeBar(object);
    if (typeof bar === 'string') return `data[].${bar}`;
    data.push(bar);
  }
  if (frame.timestamp === undefined) return { kind: 'ohlc', type, data };
  const timestamp = readTimestamp(frame);
  if (timestamp === undefined) return 'timestamp';
  return { kind: 'ohlc', type, data, timestamp };
}

function decodeBar(object: WireObject): OhlcBar | string {
  const symbol = readSymbol(object);
  if (symbol === undefined) return 'symbol';
  const open = readDecimal(object, 'open', 'non-negative');
  if (open === undefined) return 'open';
  const high = readDecimal(object, 'high', 'non-negative');
  if (high === undefined) return 'high';
  const low = readDecimal(object, 'low', 'non-negative');
  if (low === undefined) return 'low';
  const close = readDecimal(object, 'close', 'non-negative');
  if (close === undefined) return 'close';
  const vwap = readDecimal(object, 'vwap', 'non-negative');
  if (vwap === undefined) return 'vwap';
  const volume = readDecimal(object, 'volume', 'non-negative');
  if (volume === undefined) return 'volume';
  const trades = readInteger(object, 'trades', 0, Number.MAX_SAFE_INTEGER);
  if (trades === undefined) return 'trades';
  const interval_begin = readTimestamp(object, 'interval_begin');
  if (interval_begin === undefined) return 'interval_begin';
  const interval = readInteger(object, 'interval', 1, 21600);
  if (interval === undefined || !ohlcIntervals.includes(interval)) return 'interval';
  return { symbol, open, high, low, close, vwap, trades, volume, interval_begin, interval };
}
