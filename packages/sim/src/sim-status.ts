import type { SimEvents } from './sim-events.js';
import type { SystemStatus } from './sim-types.js';

/**
 * The exchange-wide system status. Effects (Kraken's): `maintenance` refuses every order
 * command including cancels (`EService:Unavailable`); `cancel_only` accepts cancels only
 * and nothing matches; `post_only` accepts cancels and post-only limit orders, nothing
 * matches. Every change is pushed to every connection as a `status` frame.
 */
export class SimStatus {
  #status: SystemStatus = 'online';

  constructor(private readonly events: SimEvents) {}

  get current(): SystemStatus {
    return this.#status;
  }

  set(status: SystemStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    this.events.emit('status-change', { status });
  }

  /** Whether the engine matches orders at all. */
  get matching(): boolean {
    return this.#status === 'online';
  }
}
