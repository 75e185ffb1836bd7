import type { ChannelDecodeResult } from './wire-decode-result.js';
import {
  asObject,
  readArray,
  readBoolean,
  readDecimal,
  readInteger,
  readObject,
  readString,
  readSymbol,
} from './wire-fields.js';
import type {
  ChannelMessageType,
  InstrumentAsset,
  InstrumentMessage,
  InstrumentPair,
} from './wire-messages.js';
import type { WireObject } from './wire-parser.js';

/** Kraken lists about 1 500 pairs (more with tokenized assets); 20 000 is hostile. */
export const maxInstrumentItems = 20_000;
/** Decimal places Kraken uses stay far below this. */
export const maxPrecision = 18;

/**
 * Validates an `instrument` snapshot or update (cold path, a few messages per session).
 * One malformed asset or pair rejects the whole message, so the catalogue is never half
 * updated.
 */
export function decodeInstrumentMessage(
  frame: WireObject,
  type: ChannelMessageType,
): ChannelDecodeResult<InstrumentMessage> {
  const data = readObject(frame, 'data');
  if (data === undefined) return 'data';
  const assetValues = readArray(data, 'assets', maxInstrumentItems);
  if (assetValues === undefined) return 'data.assets';
  const pairValues = readArray(data, 'pairs', maxInstrumentItems);
  if (pairValues === undefined) return 'data.pairs';
  const assets: InstrumentAsset[] = [];
  for (const value of assetValues) {
    const object = asObject(value);
    const asset = object === undefined ? '' : decodeAsset(object);
    if (typeof asset === 'string') return `data.assets[].${asset}`;
    assets.push(asset);
  }
  const pairs: InstrumentPair[] = [];
  for (const value of pairValues) {
    const object = asObject(value);
    const pair = object === undefined ? '' : decodePair(object);
    if (typeof pair === 'string') return `data.pairs[].${pair}`;
    pairs.push(pair);
  }
  return { kind: 'instrument', type, data: { assets, pairs } };
}

function decodeAsset(object: WireObject): InstrumentAsset | string {
  const id = readString(object, 'id');
  if (id === undefined) return 'id';
  const status = readString(object, 'status');
  if (status === undefined) return 'status';
  const precision = readInteger(object, 'precision', 0, maxPrecision);
  if (precision === undefined) return 'precision';
  const asset: { -readonly [K in keyof InstrumentAsset]: InstrumentAsset[K] } = { id, status, precision };
  if (object.precision_display !== undefined) {
    const value = readInteger(object, 'precision_display', 0, maxPrecision);
    if (value === undefined) return 'precision_display';
    asset.precision_display = value;
  }
  if (object.borrowable !== undefined) {
    const value = readBoolean(object, 'borrowable');
    if (value === undefined) return 'borrowable';
    asset.borrowable = value;
  }
  for (const key of ['collateral_value', 'margin_rate', 'multiplier'] as const) {
    if (object[key] === undefined) continue;
    const value = readDecimal(object, key, 'non-negative');
    if (value === undefined) return key;
    asset[key] = value;
  }
  return asset;
}

function decodePair(object: WireObject): InstrumentPair | string {
  const symbol = readSymbol(object);
  if (symbol === undefined) return 'symbol';
  const base = readString(object, 'base');
  if (base === undefined) return 'base';
  const quote = readString(object, 'quote');
  if (quote === undefined) return 'quote';
  const status = readString(object, 'status');
  if (status === undefined) return 'status';
  const price_precision = readInteger(object, 'price_precision', 0, maxPrecision);
  if (price_precision === undefined) return 'price_precision';
  const qty_precision = readInteger(object, 'qty_precision', 0, maxPrecision);
  if (qty_precision === undefined) return 'qty_precision';
  const price_increment = readDecimal(object, 'price_increment', 'positive');
  if (price_increment === undefined) return 'price_increment';
  const qty_increment = readDecimal(object, 'qty_increment', 'positive');
  if (qty_increment === undefined) return 'qty_increment';
  const qty_min = readDecimal(object, 'qty_min', 'non-negative');
  if (qty_min === undefined) return 'qty_min';
  const pair: { -readonly [K in keyof InstrumentPair]: InstrumentPair[K] } = {
    symbol,
    base,
    quote,
    status,
    price_precision,
    qty_precision,
    price_increment,
    qty_increment,
    qty_min,
  };
  if (object.cost_min !== undefined) {
    // Documented as a string, shown as a number in examples: readDecimal takes both.
    const value = readDecimal(object, 'cost_min', 'non-negative');
    if (value === undefined) return 'cost_min';
    pair.cost_min = value;
  }
  if (object.cost_precision !== undefined) {
    const value = readInteger(object, 'cost_precision', 0, maxPrecision);
    if (value === undefined) return 'cost_precision';
    pair.cost_precision = value;
  }
  for (const key of ['marginable', 'has_index'] as const) {
    if (object[key] === undefined) continue;
    const value = readBoolean(object, key);
    if (value === undefined) return key;
    pair[key] = value;
  }
  return pair;
}
