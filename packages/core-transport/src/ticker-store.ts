import { type ListenerErrorHandler, TypedEmitter } from './typed-emitter.js';
import type { TickerData, TickerMessage } from './wire-messages.js';

export interface TickerStoreEvents {
  [event: string]: unknown;
  'ticker-update': TickerData;
}

/** The latest ticker (level 1) per symbol. */
export class TickerStore extends TypedEmitter<TickerStoreEvents> {
  readonly #latest = new Map<string, TickerData>();

  constructor(options: { onListenerError?: ListenerErrorHandler } = {}) {
    super(options.onListenerError);
  }

  apply(message: TickerMessage): void {
    for (const ticker of message.data) {
      this.#latest.set(ticker.symbol, ticker);
      this.emit('ticker-update', ticker);
    }
  }

  get(symbol: string): TickerData | undefined {
    return this.#latest.get(symbol);
  }

  symbols(): string[] {
    return [...this.#latest.keys()];
  }

  forget(symbol: string): void {
    this.#latest.delete(symbol);
  }
}
