import type { WireParseFailure } from './wire-parser.js';

/** Why a frame was skipped. Counted per reason; none of them throws or changes state. */
export type DecodeFailure =
  | WireParseFailure
  /** Valid JSON, but not an object with `channel` or `method`. */
  | 'not-a-message'
  /** A `channel` this decoder has no schema for (forward compatible: skipped, counted). */
  | 'unknown-channel'
  /** A `method` with no `success` field, other than `pong`. */
  | 'unknown-method'
  /** `type` other than `snapshot` / `update`. */
  | 'unknown-type'
  /** A known message that breaks its schema: a missing field, a wrong type, a hostile value. */
  | 'invalid-message';

/** A skipped frame: the reason, the channel if one was read, and the offending field. */
export interface DecodeRejection {
  readonly ok: false;
  readonly reason: DecodeFailure;
  readonly channel: string | undefined;
  /** The field path or parse position, for a bounded log line; never frame content. */
  readonly detail: string;
}

export type DecodeResult<T> = { readonly ok: true; readonly message: T } | DecodeRejection;

/**
 * A channel decoder's answer: the typed message, or the path of the first field that broke
 * the schema (a string, so success allocates nothing extra).
 */
export type ChannelDecodeResult<T> = T | string;
