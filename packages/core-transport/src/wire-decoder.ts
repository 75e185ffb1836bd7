import { decodeBookFrame } from './book-frame-decoder.js';
import { decodeBookMessage } from './book-message-decoder.js';
import { decodeInstrumentMessage } from './instrument-message-decoder.js';
import { decodeMethodResponse, decodePong } from './method-response-decoder.js';
import { decodeOhlcMessage } from './ohlc-message-decoder.js';
import { decodeStatusMessage } from './status-message-decoder.js';
import { decodeTickerMessage } from './ticker-message-decoder.js';
import { decodeTradeMessage } from './trade-message-decoder.js';
import type { ChannelDecodeResult, DecodeFailure, DecodeResult } from './wire-decode-result.js';
import { asObject } from './wire-fields.js';
import type { ChannelMessageType, WireMessage } from './wire-messages.js';
import {
  defaultMaxFrameLength,
  parseWireFrame,
  type WireObject,
  type WireParseOptions,
  type WireValue,
} from './wire-parser.js';

/**
 * Decodes the messages of a channel this package does not know (`executions`, `balances`,
 * `level3`): return the typed value, or the path of the field that broke the schema.
 */
export type ExtensionDecoder = (
  frame: WireObject,
  type: ChannelMessageType | undefined,
) => ChannelDecodeResult<unknown>;

export interface WireDecodeOptions extends WireParseOptions {
  /** Decoders for more channels, by channel name; their messages come out as `kind: 'extension'`. */
  channels?: Readonly<Record<string, ExtensionDecoder>>;
}

/** Longest channel name echoed into a rejection; longer ones are cut. */
const maxChannelEcho = 32;

/**
 * Parses and validates one WebSocket text frame: a typed {@link WireMessage}, or a
 * rejection with its reason. Never throws. Compact `book` frames take a one-pass fast path
 * that produces exactly what the general path would.
 */
export function decodeWireFrame(text: string, options?: WireDecodeOptions): DecodeResult<WireMessage> {
  if (
    typeof text === 'string' &&
    text.length <= (options?.maxLength ?? defaultMaxFrameLength) &&
    bookFastPathApplies(options)
  ) {
    // Declines at once (one prefix check) when the frame is not a compact book frame.
    const book = decodeBookFrame(text);
    if (book !== undefined) return { ok: true, message: book };
  }
  const parsed = parseWireFrame(text, options);
  if (!parsed.ok) return reject(parsed.reason, undefined, `position ${parsed.position}`);
  return decodeWireValue(parsed.value, options);
}

/** Book frames nest 4 deep. */
const bookFrameDepth = 4;

/**
 * The book fast path gives what the general path gives unless the options change the
 * general path for book frames: a depth limit below theirs, or a decoder for `book`.
 */
export function bookFastPathApplies(options: WireDecodeOptions | undefined): boolean {
  if (options === undefined) return true;
  if ((options.maxDepth ?? bookFrameDepth) < bookFrameDepth) return false;
  return options.channels === undefined || !Object.hasOwn(options.channels, 'book');
}

/** Validates an already parsed frame (see {@link decodeWireFrame}). Never throws. */
export function decodeWireValue(value: WireValue, options?: WireDecodeOptions): DecodeResult<WireMessage> {
  const frame = asObject(value);
  if (frame === undefined) return reject('not-a-message', undefined, 'frame');
  const channel = frame.channel;
  if (typeof channel === 'string') return decodeChannelMessage(frame, channel, options);
  if (channel !== undefined) return reject('not-a-message', undefined, 'channel');
  const method = frame.method;
  if (typeof method !== 'string') return reject('not-a-message', undefined, 'method');
  if (method === 'pong' && frame.success === undefined) return accept(decodePong(frame), 'pong');
  if (frame.success === undefined) return reject('unknown-method', undefined, 'method');
  return accept(decodeMethodResponse(frame), undefined);
}

function decodeChannelMessage(
  frame: WireObject,
  channel: string,
  options: WireDecodeOptions | undefined,
): DecodeResult<WireMessage> {
  if (channel === 'heartbeat') return { ok: true, message: { kind: 'heartbeat' } };
  const channels = options?.channels;
  const extension =
    channels !== undefined && Object.hasOwn(channels, channel) ? channels[channel] : undefined;
  const typeValue = frame.type;
  const type = typeValue === 'snapshot' || typeValue === 'update' ? typeValue : undefined;
  if (extension !== undefined) {
    if (typeValue !== undefined && type === undefined) return reject('unknown-type', channel, 'type');
    let value: unknown;
    try {
      value = extension(frame, type);
    } catch {
      return reject('invalid-message', channel, 'decoder threw');
    }
    if (typeof value === 'string') return reject('invalid-message', channel, value);
    return {
      ok: true,
      message:
        type === undefined
          ? { kind: 'extension', channel, value }
          : { kind: 'extension', channel, type, value },
    };
  }
  let result: ChannelDecodeResult<WireMessage>;
  if (type === undefined && isKnownChannel(channel)) return reject('unknown-type', channel, 'type');
  switch (channel) {
    case 'book':
      result = decodeBookMessage(frame, type!);
      break;
    case 'ticker':
      result = decodeTickerMessage(frame, type!);
      break;
    case 'trade':
      result = decodeTradeMessage(frame, type!);
      break;
    case 'ohlc':
      result = decodeOhlcMessage(frame, type!);
      break;
    case 'instrument':
      result = decodeInstrumentMessage(frame, type!);
      break;
    case 'status':
      result = decodeStatusMessage(frame, type!);
      break;
    default:
      return reject('unknown-channel', channel, 'channel');
  }
  return accept(result, channel);
}

function isKnownChannel(channel: string): boolean {
  return (
    channel === 'book' ||
    channel === 'ticker' ||
    channel === 'trade' ||
    channel === 'ohlc' ||
    channel === 'instrument' ||
    channel === 'status'
  );
}

function accept(
  result: ChannelDecodeResult<WireMessage>,
  channel: string | undefined,
): DecodeResult<WireMessage> {
  if (typeof result === 'string') return reject('invalid-message', channel, result);
  return { ok: true, message: result };
}

function reject(reason: DecodeFailure, channel: string | undefined, detail: string): DecodeResult<never> {
  return {
    ok: false,
    reason,
    channel:
      channel === undefined || channel.length <= maxChannelEcho
        ? channel
        : `${channel.slice(0, maxChannelEcho)}…`,
    detail,
  };
}
