import type { SimContext } from '../sim-context.js';
import type { SimAsset, SimPair } from '../sim-pairs.js';
import { encodeFrame, num } from '../sim-wire.js';
import type { SimSession } from '../ws/sim-session.js';

/**
 * The `instrument` channel: `data` is an object `{assets, pairs}`. The snapshot lists every
 * asset and pair; an update (on `instrument-change`) only the pairs that changed. The sim
 * trades spot only, so nothing is marginable or borrowable.
 */
export class InstrumentFeed {
  readonly #sessions = new Set<SimSession>();

  constructor(private readonly context: SimContext) {
    context.events.on('instrument-change', ({ symbols }) => {
      if (this.#sessions.size === 0) return;
      const pairs = symbols
        .map((symbol) => context.catalog.bySymbol(symbol))
        .filter((pair): pair is SimPair => pair !== undefined);
      const frame = this.#frame('update', [], pairs);
      for (const session of this.#sessions) session.sendChannel('instrument', undefined, frame);
    });
  }

  subscribe(session: SimSession, snapshot: boolean): void {
    this.#sessions.add(session);
    if (!snapshot) return;
    const { catalog } = this.context;
    session.sendChannel('instrument', undefined, this.#frame('snapshot', catalog.assets, catalog.pairs));
  }

  unsubscribe(session: SimSession): void {
    this.#sessions.delete(session);
  }

  #frame(type: 'snapshot' | 'update', assets: readonly SimAsset[], pairs: readonly SimPair[]): string {
    return encodeFrame({
      channel: 'instrument',
      type,
      data: {
        assets: assets.map((asset) => ({
          id: asset.id,
          status: 'enabled',
          precision: asset.decimals,
          precision_display: asset.displayDecimals,
          borrowable: false,
          collateral_value: num('0.0'),
          margin_rate: num('0.0'),
        })),
        pairs: pairs.map((pair) => ({
          symbol: pair.symbol,
          base: pair.base,
          quote: pair.quote,
          status: pair.status,
          qty_precision: pair.qtyPrecision,
          qty_increment: num(pair.qtyIncrement),
          price_precision: pair.pricePrecision,
          cost_precision: pair.costPrecision,
          marginable: false,
          has_index: true,
          cost_min: num(pair.costMin),
          tick_size: num(pair.priceIncrement),
          price_increment: num(pair.priceIncrement),
          qty_min: num(pair.qtyMin),
        })),
      },
    });
  }
}
