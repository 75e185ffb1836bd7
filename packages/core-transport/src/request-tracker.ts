import type { Clock } from '@krakenkit/plugin-api';
import type { MethodResponse } from './wire-messages.js';

/**
 * What became of a request. `not-sent` is definitive (it provably never left: safe to send
 * elsewhere); `unknown` means it was written and then the answer never came (timeout or a
 * lost connection): the command may or may not have happened and must be reconciled,
 * never blindly resent.
 */
export type RequestResult =
  | { outcome: 'answered'; responses: readonly MethodResponse[] }
  | { outcome: 'not-sent'; reason: NotSentReason }
  | { outcome: 'unknown'; reason: 'timeout' | 'connection-lost'; responses: readonly MethodResponse[] };

export type NotSentReason = 'not-connected' | 'buffer-full' | 'queue-full' | 'write-failed' | 'stopped';

interface Pending {
  method: string;
  expected: number;
  responses: MethodResponse[];
  written: boolean;
  timer: ReturnType<Clock['setTimeout']> | undefined;
  timeoutMs: number;
  resolve: (result: RequestResult) => void;
}

/**
 * Correlates responses to requests by `req_id` (one request may get several responses:
 * a subscribe for N symbols gets N acks). The timeout starts when the frame is written.
 */
export class RequestTracker {
  readonly #pending = new Map<number, Pending>();

  constructor(private readonly clock: Clock) {}

  get size(): number {
    return this.#pending.size;
  }

  /** Registers a request before it is sent; the promise settles exactly once. */
  register(
    reqId: number,
    method: string,
    options: { expected: number; timeoutMs: number },
  ): Promise<RequestResult> {
    return new Promise((resolve) => {
      this.#pending.set(reqId, {
        method,
        expected: Math.max(1, options.expected),
        responses: [],
        written: false,
        timer: undefined,
        timeoutMs: options.timeoutMs,
        resolve,
      });
    });
  }

  /** The frame reached the socket: from now on a missing answer is an unknown outcome. */
  written(reqId: number): void {
    const pending = this.#pending.get(reqId);
    if (!pending || pending.written) return;
    pending.written = true;
    pending.timer = this.clock.setTimeout(() => this.#settle(reqId, 'unknown', 'timeout'), pending.timeoutMs);
    pending.timer.unref();
  }

  /** The frame provably never left. */
  notSent(reqId: number, reason: NotSentReason): void {
    const pending = this.#pending.get(reqId);
    if (!pending) return;
    this.#pending.delete(reqId);
    this.clock.clearTimeout(pending.timer);
    pending.resolve({ outcome: 'not-sent', reason });
  }

  /** Routes a response; false when no request waits for it (late or foreign). */
  onResponse(response: MethodResponse): boolean {
    if (response.req_id === undefined) return false;
    const pending = this.#pending.get(response.req_id);
    if (!pending) return false;
    pending.responses.push(response);
    if (pending.responses.length >= pending.expected) this.#settle(response.req_id, 'answered');
    return true;
  }

  /** The socket is gone: written requests become unknown, unwritten ones were not sent. */
  connectionLost(): void {
    for (const [reqId, pending] of [...this.#pending]) {
      if (pending.written) this.#settle(reqId, 'unknown', 'connection-lost');
      else this.notSent(reqId, 'not-connected');
    }
  }

  #settle(reqId: number, outcome: 'answered' | 'unknown', reason?: 'timeout' | 'connection-lost'): void {
    const pending = this.#pending.get(reqId);
    if (!pending) return;
    this.#pending.delete(reqId);
    this.clock.clearTimeout(pending.timer);
    pending.resolve(
      outcome === 'answered'
        ? { outcome, responses: pending.responses }
        : { outcome, reason: reason ?? 'timeout', responses: pending.responses },
    );
  }
}
