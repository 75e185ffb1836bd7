import type { ChannelDecodeResult } from './wire-decode-result.js';
import {
  maxErrorLength,
  readBoolean,
  readInteger,
  readString,
  readSymbol,
  readTimestamp,
} from './wire-fields.js';
import type { MethodResponse, PongMessage } from './wire-messages.js';
import type { WireObject, WireValue } from './wire-parser.js';

/** Longest method name accepted; Kraken's longest is `cancel_all_orders_after`. */
const maxMethodLength = 64;
const maxWarnings = 32;

/** Validates `{"method":"pong",...}`, the reply to a ping. */
export function decodePong(frame: WireObject): ChannelDecodeResult<PongMessage> {
  const common = decodeCommon(frame);
  if (typeof common === 'string') return common;
  return { kind: 'pong', ...common };
}

/**
 * Validates the v2 response envelope: `method`, `success`, optional `result` (kept as
 * parsed), `error` (one string), `time_in`, `time_out`, `req_id`, top-level `symbol` and
 * `result.warnings` / `warnings`. The result's content belongs to the method's owner.
 */
export function decodeMethodResponse(frame: WireObject): ChannelDecodeResult<MethodResponse> {
  const method = readString(frame, 'method', maxMethodLength);
  if (method === undefined) return 'method';
  const success = readBoolean(frame, 'success');
  if (success === undefined) return 'success';
  const common = decodeCommon(frame);
  if (typeof common === 'string') return common;
  const response: { -readonly [K in keyof MethodResponse]: MethodResponse[K] } = {
    kind: 'method-response',
    method,
    success,
    ...common,
  };
  if (frame.result !== undefined) response.result = frame.result;
  if (frame.error !== undefined) {
    const error = readString(frame, 'error', maxErrorLength);
    if (error === undefined) return 'error';
    response.error = error;
  }
  if (frame.symbol !== undefined) {
    // A failed subscribe echoes what the client sent, which may not be a valid symbol.
    const symbol = readSymbol(frame) ?? readString(frame, 'symbol', maxErrorLength);
    if (symbol === undefined) return 'symbol';
    response.symbol = symbol;
  }
  return response;
}

interface Common {
  req_id?: number;
  time_in?: string;
  time_out?: string;
  warnings?: readonly string[];
}

function decodeCommon(frame: WireObject): Common | string {
  const common: Common = {};
  if (frame.req_id !== undefined) {
    const reqId = readInteger(frame, 'req_id', 0, Number.MAX_SAFE_INTEGER);
    if (reqId === undefined) return 'req_id';
    common.req_id = reqId;
  }
  for (const key of ['time_in', 'time_out'] as const) {
    if (frame[key] === undefined) continue;
    const value = readTimestamp(frame, key);
    if (value === undefined) return key;
    common[key] = value;
  }
  const result = frame.result;
  const warnings =
    frame.warnings ??
    (typeof result === 'object' && result !== null && !Array.isArray(result) && 'warnings' in result
      ? (result as WireObject).warnings
      : undefined);
  if (warnings !== undefined) {
    const list = decodeWarnings(warnings);
    if (list === undefined) return 'warnings';
    common.warnings = list;
  }
  return common;
}

function decodeWarnings(value: WireValue): string[] | undefined {
  if (!Array.isArray(value) || value.length > maxWarnings) return undefined;
  const list: string[] = [];
  for (const item of value) {
    if (typeof item !== 'string' || item.length > maxErrorLength) return undefined;
    list.push(item);
  }
  return list;
}
