import type { SimContext } from '../sim-context.js';
import type { SimMarket } from '../sim-modules.js';
import type { PublicTrade } from '../sim-types.js';
import { encodeFrame, wireDecimal } from '../sim-wire.js';
import type { SimSession } from '../ws/sim-session.js';

/** Trades in a `trade` snapshot (Kraken: the last 50). */
export const tradeSnapshotSize = 50;

/** The `trade` channel: every taker's trades in one frame, encoded once per event. */
export class TradeFeed {
  readonly #symbols = new Map<string, Set<SimSession>>();

  constructor(
    private readonly context: SimContext,
    private readonly market: SimMarket,
  ) {
    context.events.on('public-trades', ({ symbol, trades }) => {
      const sessions = this.#symbols.get(symbol);
      if (!sessions || sessions.size === 0) return;
      const frame = this.#frame(symbol, 'update', trades);
      for (const session of sessions) session.sendChannel('trade', symbol, frame);
    });
  }

  subscribe(session: SimSession, symbol: string, snapshot: boolean): void {
    let sessions = this.#symbols.get(symbol);
    if (!sessions) {
      sessions = new Set();
      this.#symbols.set(symbol, sessions);
    }
    sessions.add(session);
    if (snapshot) {
      const trades = this.market.recentTrades(symbol, tradeSnapshotSize);
      session.sendChannel('trade', symbol, this.#frame(symbol, 'snapshot', trades));
    }
  }

  unsubscribe(session: SimSession, symbol: string): void {
    this.#symbols.get(symbol)?.delete(session);
  }

  #frame(symbol: string, type: 'snapshot' | 'update', trades: readonly PublicTrade[]): string {
    const pair = this.context.catalog.bySymbol(symbol);
    if (!pair) throw new Error(`trade feed: unknown symbol ${symbol}`);
    const format = this.context.numberFormat;
    return encodeFrame({
      channel: 'trade',
      type,
      data: trades.map((trade) => ({
        symbol,
        side: trade.side,
        price: wireDecimal(trade.price, pair.pricePrecision, format),
        qty: wireDecimal(trade.qty, pair.qtyPrecision, format),
        ord_type: trade.orderType,
        trade_id: trade.tradeId,
        timestamp: this.context.clock.timestamp(trade.time),
      })),
    });
  }
}
