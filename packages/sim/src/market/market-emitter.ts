import type { SimContext } from '../sim-context.js';
import type { PublicTrade } from '../sim-types.js';

type MarketEvent =
  | { kind: 'public-trades'; symbol: string; trades: readonly PublicTrade[] }
  | { kind: 'book-change'; symbol: string };

/**
 * Delivers the market's events in the order they happened. A listener may act on the
 * market (the engine triggering a stop order on a trade, say); the events that causes are
 * queued behind the ones still being delivered instead of overtaking them, so trade ids
 * and book updates reach every listener in order.
 */
export class MarketEmitter {
  readonly #queue: MarketEvent[] = [];
  #flushing = false;

  constructor(private readonly context: SimContext) {}

  enqueue(event: MarketEvent): void {
    this.#queue.push(event);
  }

  flush(): void {
    if (this.#flushing) return;
    this.#flushing = true;
    try {
      for (let event = this.#queue.shift(); event; event = this.#queue.shift()) {
        try {
          if (event.kind === 'public-trades') {
            this.context.events.emit('public-trades', { symbol: event.symbol, trades: event.trades });
          } else {
            this.context.events.emit('book-change', { symbol: event.symbol });
          }
        } catch (error) {
          this.context.reportError(error);
        }
      }
    } finally {
      this.#flushing = false;
    }
  }
}
