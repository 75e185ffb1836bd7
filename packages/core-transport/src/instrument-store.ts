import type { BookPrecision } from './book-checksum.js';
import type { PrecisionSource } from './book-store.js';
import { type ListenerErrorHandler, TypedEmitter } from './typed-emitter.js';
import type {
  ChannelMessageType,
  InstrumentAsset,
  InstrumentMessage,
  InstrumentPair,
} from './wire-messages.js';

export interface InstrumentChangeEvent {
  readonly type: ChannelMessageType;
  /** Ids of the assets added or changed. */
  readonly assets: readonly string[];
  /** Symbols of the pairs added or changed. */
  readonly pairs: readonly string[];
}

export interface InstrumentStoreEvents {
  [event: string]: unknown;
  'instrument-change': InstrumentChangeEvent;
}

/**
 * The `instrument` catalogue: assets and pairs. A snapshot replaces it; an update merges
 * the items it lists (Kraken sends only what changed). It is the {@link PrecisionSource}
 * the book checksum reads `price_precision` / `qty_precision` from.
 */
export class InstrumentStore extends TypedEmitter<InstrumentStoreEvents> implements PrecisionSource {
  #assets = new Map<string, InstrumentAsset>();
  #pairs = new Map<string, InstrumentPair>();
  #precisions = new Map<string, BookPrecision>();
  #loaded = false;

  constructor(options: { onListenerError?: ListenerErrorHandler } = {}) {
    super(options.onListenerError);
  }

  apply(message: InstrumentMessage): void {
    if (message.type === 'snapshot') {
      this.#assets = new Map();
      this.#pairs = new Map();
      this.#precisions = new Map();
      this.#loaded = true;
    }
    for (const asset of message.data.assets) this.#assets.set(asset.id, asset);
    for (const pair of message.data.pairs) {
      this.#pairs.set(pair.symbol, pair);
      this.#precisions.set(pair.symbol, {
        pricePrecision: pair.price_precision,
        qtyPrecision: pair.qty_precision,
      });
    }
    this.emit('instrument-change', {
      type: message.type,
      assets: message.data.assets.map((asset) => asset.id),
      pairs: message.data.pairs.map((pair) => pair.symbol),
    });
  }

  /** True once a snapshot arrived. */
  get isLoaded(): boolean {
    return this.#loaded;
  }

  pair(symbol: string): InstrumentPair | undefined {
    return this.#pairs.get(symbol);
  }

  asset(id: string): InstrumentAsset | undefined {
    return this.#assets.get(id);
  }

  pairs(): InstrumentPair[] {
    return [...this.#pairs.values()];
  }

  assets(): InstrumentAsset[] {
    return [...this.#assets.values()];
  }

  bookPrecision(symbol: string): BookPrecision | undefined {
    return this.#precisions.get(symbol);
  }
}
