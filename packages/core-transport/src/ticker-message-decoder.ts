import type { ChannelDecodeResult } from './wire-decode-result.js';
import { asObject, readArray, readDecimal, readSymbol, readTimestamp } from './wire-fields.js';
import type { ChannelMessageType, TickerData, TickerMessage } from './wire-messages.js';
import type { WireObject } from './wire-parser.js';

/** Kraken sends one ticker per message; a few more are tolerated. */
export const maxTickerEntries = 16;

/**
 * Validates a `ticker` snapshot or update (hand-written, hot path). Prices and volumes
 * are non-negative exact decimals; `change` and `change_pct` may be negative.
 */
export function decodeTickerMessage(
  frame: WireObject,
  type: ChannelMessageType,
): ChannelDecodeResult<TickerMessage> {
  const entries = readArray(frame, 'data', maxTickerEntries);
  if (entries === undefined || entries.length === 0) return 'data';
  const data: TickerData[] = [];
  for (const entry of entries) {
    const object = asObject(entry);
    if (object === undefined) return 'data[]';
    const ticker = decodeTicker(object);
    if (typeof ticker === 'string') return `data[].${ticker}`;
    data.push(ticker);
  }
  return { kind: 'ticker', type, data };
}

function decodeTicker(object: WireObject): TickerData | string {
  const symbol = readSymbol(object);
  if (symbol === undefined) return 'symbol';
  const bid = readDecimal(object, 'bid', 'non-negative');
  if (bid === undefined) return 'bid';
  const bid_qty = readDecimal(object, 'bid_qty', 'non-negative');
  if (bid_qty === undefined) return 'bid_qty';
  const ask = readDecimal(object, 'ask', 'non-negative');
  if (ask === undefined) return 'ask';
  const ask_qty = readDecimal(object, 'ask_qty', 'non-negative');
  if (ask_qty === undefined) return 'ask_qty';
  const volume = readDecimal(object, 'volume', 'non-negative');
  if (volume === undefined) return 'volume';
  const vwap = readDecimal(object, 'vwap', 'non-negative');
  if (vwap === undefined) return 'vwap';
  const low = readDecimal(object, 'low', 'non-negative');
  if (low === undefined) return 'low';
  const high = readDecimal(object, 'high', 'non-negative');
  if (high === undefined) return 'high';
  const change = readDecimal(object, 'change', 'signed');
  if (change === undefined) return 'change';
  const change_pct = readDecimal(object, 'change_pct', 'signed');
  if (change_pct === undefined) return 'change_pct';
  let last: string | undefined;
  if (object.last !== undefined) {
    last = readDecimal(object, 'last', 'non-negative');
    if (last === undefined) return 'last';
  }
  let timestamp: string | undefined;
  if (object.timestamp !== undefined) {
    timestamp = readTimestamp(object);
    if (timestamp === undefined) return 'timestamp';
  }
  return {
    symbol,
    bid,
    bid_qty,
    ask,
    ask_qty,
    ...(last === undefined ? {} : { last }),
    volume,
    vwap,
    low,
    high,
    change,
    change_pct,
    ...(timestamp === undefined ? {} : { timestamp }),
  };
}
