import type { SimFill, TradesFilter } from '../sim-types.js';
import { type PrivateMethod, pageSize, type RestDeps, succeed } from './rest-handler.js';
import { formatRestTrade } from './rest-history-format.js';
import { parseBound, parseOffset } from './rest-orders.js';
import { badParam } from './rest-params.js';

const tradeTypes = new Set(['all', 'any position', 'closed position', 'closing position', 'no position']);
/** Spot trades never belong to a margin position. */
const positionTypes = new Set(['any position', 'closed position', 'closing position']);

/** Safety cap on paging through the engine for QueryTrades. */
const maxScannedPages = 10_000;

/**
 * TradesHistory and QueryTrades (PROTOCOL §3.2). TradesHistory pages by 50, newest first,
 * with the total `count`; `type` filters by position (spot trades: `all` and `no position`
 * show everything, the position filters nothing). QueryTrades takes up to 20 trade ids.
 */
export function tradeQueryMethods(deps: RestDeps): Record<string, PrivateMethod> {
  const { exchange } = deps;
  return {
    TradesHistory: {
      reads: true,
      handle: ({ accountId, params, asOf }) => {
        const type = params.string('type') ?? 'all';
        if (!tradeTypes.has(type)) throw badParam('type');
        const filter: TradesFilter = {};
        const start = parseBound(params, 'start');
        const end = parseBound(params, 'end');
        const offset = parseOffset(params);
        if (start !== undefined) filter.start = start;
        if (end !== undefined) filter.end = end;
        if (offset !== undefined) filter.offset = offset;
        const ledgers = params.boolean('ledgers');
        params.boolean('trades');
        params.boolean('consolidate_taker', true);
        const page = positionTypes.has(type)
          ? { fills: [], count: 0 }
          : exchange.trades(accountId, filter, asOf);
        const trades: Record<string, unknown> = {};
        for (const fill of page.fills.slice(0, pageSize)) {
          trades[fill.id] = formatRestTrade(deps.format, fill, { ledgers });
        }
        return succeed(params.boolean('without_count') ? { trades } : { trades, count: page.count });
      },
    },
    QueryTrades: {
      reads: true,
      handle: ({ accountId, params, asOf }) => {
        const ids = params.list('txid') ?? [];
        if (ids.length === 0 || ids.length > 20) throw badParam('txid');
        params.boolean('trades');
        const wanted = new Set(ids);
        const found = new Map<string, SimFill>();
        // The exchange pages trade history; walk it until every id is found or it ends.
        let offset = 0;
        for (let pages = 0; pages < maxScannedPages && found.size < wanted.size; pages++) {
          const page = exchange.trades(accountId, { offset }, asOf);
          for (const fill of page.fills) if (wanted.has(fill.id)) found.set(fill.id, fill);
          offset += page.fills.length;
          if (page.fills.length === 0 || offset >= page.count) break;
        }
        const result: Record<string, unknown> = {};
        for (const id of ids) {
          const fill = found.get(id);
          if (fill) result[id] = formatRestTrade(deps.format, fill, { ledgers: false });
        }
        return succeed(result);
      },
    },
  };
}
