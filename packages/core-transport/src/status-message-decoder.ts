import type { ChannelDecodeResult } from './wire-decode-result.js';
import { asObject, readArray, readIntegerText, readString } from './wire-fields.js';
import type { ChannelMessageType, StatusData, StatusMessage } from './wire-messages.js';
import type { WireObject } from './wire-parser.js';

/** `connection_id` is an unsigned 64-bit integer: at most 20 digits. */
const maxConnectionIdDigits = 20;

/** Validates a `status` push. `connection_id` stays exact decimal text (it exceeds 2^53). */
export function decodeStatusMessage(
  frame: WireObject,
  type: ChannelMessageType,
): ChannelDecodeResult<StatusMessage> {
  const entries = readArray(frame, 'data', 16);
  if (entries === undefined || entries.length === 0) return 'data';
  const data: StatusData[] = [];
  for (const entry of entries) {
    const object = asObject(entry);
    if (object === undefined) return 'data[]';
    const api_version = readString(object, 'api_version');
    if (api_version === undefined) return 'data[].api_version';
    const connection_id = readIntegerText(object, 'connection_id', maxConnectionIdDigits);
    if (connection_id === undefined || BigInt(connection_id) >= 2n ** 64n) return 'data[].connection_id';
    const system = readString(object, 'system');
    if (system === undefined) return 'data[].system';
    const version = readString(object, 'version');
    if (version === undefined) return 'data[].version';
    data.push({ api_version, connection_id, system, version });
  }
  return { kind: 'status', type, data };
}
