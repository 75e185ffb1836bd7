/** Queue figures for metrics (`krakenkit_transport_queue_*`). */
export interface QueueStats {
  /** Items waiting now. */
  readonly depth: number;
  /** Highest depth seen. */
  readonly maxDepth: number;
  readonly pushed: number;
  readonly delivered: number;
  /** Items that will never be delivered (replaced by a newer one, or evicted). */
  readonly dropped: number;
}

export interface ConflatingQueueOptions {
  /** Most distinct keys held; beyond it the oldest key's item is evicted (counted). Default 10 000. */
  maxKeys?: number;
}

/**
 * A slow-consumer queue that keeps only the latest item per key (symbol), for book and
 * ticker updates where only the newest state matters. Pushing a key that is already
 * waiting replaces its item in place (the key keeps its turn) and counts one drop, so
 * memory is bounded by the number of keys and every drop is counted.
 */
export class ConflatingQueue<K, V> {
  readonly #maxKeys: number;
  readonly #items = new Map<K, V>();
  #maxDepth = 0;
  #pushed = 0;
  #delivered = 0;
  #dropped = 0;

  constructor(options: ConflatingQueueOptions = {}) {
    this.#maxKeys = options.maxKeys ?? 10_000;
  }

  push(key: K, value: V): void {
    this.#pushed++;
    const items = this.#items;
    if (items.has(key)) {
      this.#dropped++;
      items.set(key, value);
      return;
    }
    if (items.size >= this.#maxKeys) {
      const oldest = items.keys().next();
      if (!oldest.done) items.delete(oldest.value);
      this.#dropped++;
    }
    items.set(key, value);
    if (items.size > this.#maxDepth) this.#maxDepth = items.size;
  }

  /** The oldest waiting key and its latest item, or `undefined` when empty. */
  shift(): { key: K; value: V } | undefined {
    const first = this.#items.entries().next();
    if (first.done) return undefined;
    const [key, value] = first.value;
    this.#items.delete(key);
    this.#delivered++;
    return { key, value };
  }

  /** Takes up to `max` items (all by default), oldest key first. */
  drain(max = Number.POSITIVE_INFINITY): V[] {
    const result: V[] = [];
    for (const [key, value] of this.#items) {
      if (result.length >= max) break;
      this.#items.delete(key);
      result.push(value);
    }
    this.#delivered += result.length;
    return result;
  }

  get size(): number {
    return this.#items.size;
  }

  get dropped(): number {
    return this.#dropped;
  }

  stats(): QueueStats {
    return {
      depth: this.#items.size,
      maxDepth: this.#maxDepth,
      pushed: this.#pushed,
      delivered: this.#delivered,
      dropped: this.#dropped,
    };
  }
}
