import type { QueueStats } from './conflating-queue.js';
import { type ListenerErrorHandler, TypedEmitter } from './typed-emitter.js';

export interface BufferedQueueOptions {
  /** Depth at which `queue-alarm` fires. Default 10 000. */
  alarmDepth?: number;
  /** Depth at or below which `queue-recover` fires after an alarm. Default half of `alarmDepth`. */
  recoverDepth?: number;
  onListenerError?: ListenerErrorHandler;
}

export interface QueueAlarmEvent {
  readonly depth: number;
  readonly alarmDepth: number;
}

export interface BufferedQueueEvents {
  [event: string]: unknown;
  /** The consumer is falling behind: depth reached `alarmDepth`. Nothing is dropped. */
  'queue-alarm': QueueAlarmEvent;
  /** Depth fell back to `recoverDepth` after an alarm. */
  'queue-recover': QueueAlarmEvent;
}

/**
 * A FIFO for items that must never be dropped silently (trades): it buffers everything,
 * in order, and raises `queue-alarm` when the consumer falls `alarmDepth` behind, so the
 * owner can decide (log, shed the subscription, stop) instead of losing data unseen.
 */
export class BufferedQueue<V> extends TypedEmitter<BufferedQueueEvents> {
  readonly #alarmDepth: number;
  readonly #recoverDepth: number;
  #items: V[] = [];
  #head = 0;
  #alarmed = false;
  #maxDepth = 0;
  #pushed = 0;
  #delivered = 0;
  #alarms = 0;

  constructor(options: BufferedQueueOptions = {}) {
    super(options.onListenerError);
    this.#alarmDepth = options.alarmDepth ?? 10_000;
    this.#recoverDepth = options.recoverDepth ?? Math.floor(this.#alarmDepth / 2);
  }

  push(value: V): void {
    this.#items.push(value);
    this.#pushed++;
    const depth = this.size;
    if (depth > this.#maxDepth) this.#maxDepth = depth;
    if (!this.#alarmed && depth >= this.#alarmDepth) {
      this.#alarmed = true;
      this.#alarms++;
      this.emit('queue-alarm', { depth, alarmDepth: this.#alarmDepth });
    }
  }

  shift(): V | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const value = this.#items[this.#head]!;
    this.#head++;
    this.#delivered++;
    this.#afterTake();
    return value;
  }

  /** Takes up to `max` items (all by default), oldest first. */
  drain(max = Number.POSITIVE_INFINITY): V[] {
    const end = Math.min(this.#items.length, this.#head + max);
    const result = this.#items.slice(this.#head, end);
    this.#head = end;
    this.#delivered += result.length;
    this.#afterTake();
    return result;
  }

  get size(): number {
    return this.#items.length - this.#head;
  }

  /** True between `queue-alarm` and `queue-recover`. */
  get isAlarmed(): boolean {
    return this.#alarmed;
  }

  stats(): QueueStats & { readonly alarms: number } {
    return {
      depth: this.size,
      maxDepth: this.#maxDepth,
      pushed: this.#pushed,
      delivered: this.#delivered,
      dropped: 0,
      alarms: this.#alarms,
    };
  }

  #afterTake(): void {
    // Compact once the consumed prefix dominates, so shift() stays O(1) amortized.
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    if (this.#alarmed && this.size <= this.#recoverDepth) {
      this.#alarmed = false;
      this.emit('queue-recover', { depth: this.size, alarmDepth: this.#alarmDepth });
    }
  }
}
