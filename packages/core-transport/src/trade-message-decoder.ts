import type { ChannelDecodeResult } from './wire-decode-result.js';
import { asObject, readArray, readDecimal, readInteger, readSymbol, readTimestamp } from './wire-fields.js';
import type { ChannelMessageType, TradeData, TradeMessage } from './wire-messages.js';
import type { WireObject } from './wire-parser.js';

/** A trade snapshot carries the last 50 trades; a burst update can carry more. */
export const maxTradeEntries = 1000;

/**
 * Validates a `trade` snapshot or update (hand-written, hot path). `trade_id` is a
 * non-negative safe integer (sequential per book, the dedupe key); price and qty positive.
 */
export function decodeTradeMessage(
  frame: WireObject,
  type: ChannelMessageType,
): ChannelDecodeResult<TradeMessage> {
  const entries = readArray(frame, 'data', maxTradeEntries);
  if (entries === undefined) return 'data';
  const data: TradeData[] = new Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const object = asObject(entries[i]);
    if (object === undefined) return 'data[]';
    const trade = decodeTrade(object);
    if (typeof trade === 'string') return `data[].${trade}`;
    data[i] = trade;
  }
  return { kind: 'trade', type, data };
}

function decodeTrade(object: WireObject): TradeData | string {
  const symbol = readSymbol(object);
  if (symbol === undefined) return 'symbol';
  const side = object.side;
  if (side !== 'buy' && side !== 'sell') return 'side';
  const price = readDecimal(object, 'price', 'positive');
  if (price === undefined) return 'price';
  const qty = readDecimal(object, 'qty', 'positive');
  if (qty === undefined) return 'qty';
  const ord_type = object.ord_type;
  if (ord_type !== 'limit' && ord_type !== 'market') return 'ord_type';
  const trade_id = readInteger(object, 'trade_id', 0, Number.MAX_SAFE_INTEGER);
  if (trade_id === undefined) return 'trade_id';
  const timestamp = readTimestamp(object);
  if (timestamp === undefined) return 'timestamp';
  return { symbol, side, price, qty, ord_type, trade_id, timestamp };
}
