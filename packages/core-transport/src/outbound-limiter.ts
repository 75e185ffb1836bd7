import { type Clock, KrakenkitError } from '@krakenkit/plugin-api';

export type OutboundLane = 'urgent' | 'bulk';

export interface OutboundLimiterOptions {
  /** Sustained messages per second. */
  messagesPerSecond: number;
  /** Messages that may go out at once after a quiet period. */
  burst: number;
  /** Most messages allowed to wait; beyond it `acquire` fails at once. */
  maxQueued?: number;
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class OutboundQueueFullError extends KrakenkitError {
  constructor(limit: number) {
    super(
      'OUTBOUND_QUEUE_FULL',
      `More than ${limit} messages are waiting to be sent; the request was not sent.`,
    );
  }
}

/**
 * Paces outbound WebSocket messages with a token bucket so a burst (200 resubscribes after
 * a reconnect) is spread out instead of refused with "Exceeded msg rate". Two lanes: orders
 * and pings (`urgent`) always go before queued subscriptions (`bulk`).
 */
export class OutboundLimiter {
  readonly #urgent: Waiter[] = [];
  readonly #bulk: Waiter[] = [];
  readonly #maxQueued: number;
  #tokens: number;
  #refilledAt: number;
  #timer: ReturnType<Clock['setTimeout']> | undefined;

  constructor(
    private readonly options: OutboundLimiterOptions,
    private readonly clock: Clock,
  ) {
    this.#tokens = options.burst;
    this.#refilledAt = clock.monotonic();
    this.#maxQueued = options.maxQueued ?? 10_000;
  }

  get queued(): number {
    return this.#urgent.length + this.#bulk.length;
  }

  /** Resolves when one message may be sent now. */
  acquire(lane: OutboundLane): Promise<void> {
    this.#refill();
    if (this.queued === 0 && this.#tokens >= 1) {
      this.#tokens -= 1;
      return Promise.resolve();
    }
    if (this.queued >= this.#maxQueued) return Promise.reject(new OutboundQueueFullError(this.#maxQueued));
    return new Promise<void>((resolve, reject) => {
      (lane === 'urgent' ? this.#urgent : this.#bulk).push({ resolve, reject });
      this.#schedule();
    });
  }

  /** Fails every waiting message (the connection is gone: they were never sent). */
  clear(reason: unknown): void {
    this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const waiter of [...this.#urgent.splice(0), ...this.#bulk.splice(0)]) waiter.reject(reason);
  }

  #refill(): void {
    const now = this.clock.monotonic();
    const earned = ((now - this.#refilledAt) / 1000) * this.options.messagesPerSecond;
    this.#tokens = Math.min(this.options.burst, this.#tokens + earned);
    this.#refilledAt = now;
  }

  #schedule(): void {
    if (this.#timer !== undefined) return;
    const waitMs = Math.max(0, ((1 - this.#tokens) / this.options.messagesPerSecond) * 1000);
    this.#timer = this.clock.setTimeout(() => {
      this.#timer = undefined;
      this.#drain();
    }, Math.ceil(waitMs));
    this.#timer.unref();
  }

  #drain(): void {
    this.#refill();
    while (this.#tokens >= 1) {
      const next = this.#urgent.shift() ?? this.#bulk.shift();
      if (next === undefined) return;
      this.#tokens -= 1;
      next.resolve();
    }
    if (this.queued > 0) this.#schedule();
  }
}
