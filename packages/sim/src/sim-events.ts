import { EventEmitter } from 'node:events';
import type { ExecutionEvent, LedgerEntry, PublicTrade, SystemStatus } from './sim-types.js';

/** Everything modules tell each other. Emitted synchronously, in causal order. */
export interface SimEventMap {
  /** A private execution report for one account. */
  execution: [ExecutionEvent];
  /** A balance change of one account. */
  'ledger-entry': [LedgerEntry];
  /** Public trades on a pair, in trade id order. */
  'public-trades': [{ symbol: string; trades: readonly PublicTrade[] }];
  /** The pair's book changed; the public feed publishes the difference. */
  'book-change': [{ symbol: string }];
  'status-change': [{ status: SystemStatus }];
  /** Pair or asset metadata changed (the `instrument` channel publishes an update). */
  'instrument-change': [{ symbols: readonly string[] }];
}

export class SimEvents extends EventEmitter<SimEventMap> {
  constructor() {
    super({ captureRejections: false });
    // One listener per connection and channel is normal; thousands of test connections too.
    this.setMaxListeners(0);
  }
}
