import { decodeBookFrame } from './book-frame-decoder.js';
import { TypedEmitter } from './typed-emitter.js';
import type { DecodeFailure, DecodeRejection } from './wire-decode-result.js';
import { bookFastPathApplies, decodeWireFrame, type WireDecodeOptions } from './wire-decoder.js';
import type { WireMessage } from './wire-messages.js';
import { defaultMaxFrameLength } from './wire-parser.js';

/** Longest frame excerpt put into a `frame-reject` event (bounded log lines). */
export const rejectExcerptLength = 96;

export interface FrameRejectEvent extends DecodeRejection {
  /** The first {@link rejectExcerptLength} characters of the frame, for a bounded log line. */
  readonly excerpt: string;
  readonly frameLength: number;
}

export interface FrameDecoderEvents {
  [event: string]: unknown;
  'frame-reject': FrameRejectEvent;
}

export interface FrameDecoderStats {
  readonly accepted: number;
  readonly rejected: number;
  /** Rejections by reason. */
  readonly rejectedByReason: Readonly<Partial<Record<DecodeFailure, number>>>;
  /** Rejections by channel (`(none)` when the frame named none). */
  readonly rejectedByChannel: Readonly<Record<string, number>>;
}

/**
 * The inbound boundary of a connection: {@link decodeWireFrame} plus counters. A frame
 * that is malformed, unknown or out of schema comes back as `undefined`, is counted by
 * reason and channel, and is announced as `frame-reject`; it never throws and never
 * reaches a store or a user callback.
 */
export class FrameDecoder extends TypedEmitter<FrameDecoderEvents> {
  readonly #options: WireDecodeOptions | undefined;
  readonly #maxLength: number;
  readonly #fastPath: boolean;
  #accepted = 0;
  #rejected = 0;
  readonly #byReason = new Map<DecodeFailure, number>();
  // Channel names come from the wire, so the counter map has a null prototype and a cap.
  readonly #byChannel = new Map<string, number>();

  constructor(options?: WireDecodeOptions & { onListenerError?: (error: unknown, event: string) => void }) {
    super(options?.onListenerError);
    this.#options = options;
    this.#maxLength = options?.maxLength ?? defaultMaxFrameLength;
    this.#fastPath = bookFastPathApplies(options);
  }

  /** The typed message, or `undefined` for a rejected frame (counted). */
  decode(text: string): WireMessage | undefined {
    // The book fast path first, without the result wrapper (see decodeWireFrame).
    if (this.#fastPath && typeof text === 'string' && text.length <= this.#maxLength) {
      const book = decodeBookFrame(text);
      if (book !== undefined) {
        this.#accepted++;
        return book;
      }
    }
    const result = decodeWireFrame(text, this.#options);
    if (result.ok) {
      this.#accepted++;
      return result.message;
    }
    this.#rejected++;
    this.#byReason.set(result.reason, (this.#byReason.get(result.reason) ?? 0) + 1);
    const channelKey =
      result.channel === undefined ? '(none)' : this.#byChannel.size < 64 ? result.channel : '(other)';
    this.#byChannel.set(channelKey, (this.#byChannel.get(channelKey) ?? 0) + 1);
    if (this.listenerCount('frame-reject') > 0) {
      const isText = typeof text === 'string';
      this.emit('frame-reject', {
        ...result,
        excerpt: isText ? text.slice(0, rejectExcerptLength) : '',
        frameLength: isText ? text.length : 0,
      });
    }
    return undefined;
  }

  stats(): FrameDecoderStats {
    return {
      accepted: this.#accepted,
      rejected: this.#rejected,
      rejectedByReason: Object.fromEntries(this.#byReason),
      rejectedByChannel: Object.assign(
        Object.create(null) as Record<string, number>,
        Object.fromEntries(this.#byChannel),
      ),
    };
  }
}
