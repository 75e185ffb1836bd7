import type { SimSession } from '../ws/sim-session.js';
import type { PublicChannel } from './subscribe-params.js';

/** One live public subscription of a connection. */
export interface PublicSubscription {
  channel: PublicChannel;
  /** Undefined for `instrument`. */
  symbol: string | undefined;
  depth: number;
  interval: number;
  eventTrigger: 'trades' | 'bbo';
}

/**
 * Which subscriptions each connection holds. One subscription per channel and symbol (per
 * interval for `ohlc`, whose candles say their interval): `book` and `ticker` messages do
 * not say which depth or trigger they belong to, so a second one would be ambiguous.
 */
export class PublicSubscriptions {
  readonly #bySession = new Map<SimSession, Map<string, PublicSubscription>>();

  static key(channel: PublicChannel, symbol: string | undefined, interval: number): string {
    return channel === 'ohlc' ? `${channel}|${symbol}|${interval}` : `${channel}|${symbol ?? ''}`;
  }

  get(session: SimSession, key: string): PublicSubscription | undefined {
    return this.#bySession.get(session)?.get(key);
  }

  add(session: SimSession, key: string, subscription: PublicSubscription): void {
    let subscriptions = this.#bySession.get(session);
    if (!subscriptions) {
      subscriptions = new Map();
      this.#bySession.set(session, subscriptions);
    }
    subscriptions.set(key, subscription);
    session.subscriptionCount += 1;
  }

  delete(session: SimSession, key: string): void {
    if (this.#bySession.get(session)?.delete(key)) session.subscriptionCount -= 1;
  }

  /** Forgets a closed connection; returns what it held. */
  release(session: SimSession): PublicSubscription[] {
    const subscriptions = this.#bySession.get(session);
    this.#bySession.delete(session);
    return subscriptions ? [...subscriptions.values()] : [];
  }
}
