import type { LedgerEntry } from '../sim-types.js';
import { type PrivateMethod, pageSize, type RestDeps, succeed } from './rest-handler.js';
import { formatRestLedger } from './rest-history-format.js';
import { parseBound, parseOffset } from './rest-orders.js';
import { badParam } from './rest-params.js';

const ledgerTypes = new Set([
  'all',
  'trade',
  'deposit',
  'withdrawal',
  'transfer',
  'margin',
  'adjustment',
  'rollover',
  'credit',
  'settled',
  'staking',
  'dividend',
  'sale',
  'nft_rebate',
]);

/** Position of a bound in the entries: a time (ms) or the time of the entry with that id. */
function boundTime(entries: readonly LedgerEntry[], bound: number | string | undefined): number | undefined {
  if (bound === undefined || typeof bound === 'number') return bound;
  return entries.find((entry) => entry.id === bound)?.time;
}

/**
 * Ledgers and QueryLedgers (PROTOCOL §4.1 lists their cost). Ledgers filters by `asset`
 * (comma list, any asset spelling), `type`, `start` (exclusive) / `end` (inclusive) as unix
 * seconds or ledger ids, pages by 50 with `ofs`, newest first, with the total `count`.
 * QueryLedgers takes up to 20 ledger ids.
 */
export function ledgerMethods(deps: RestDeps): Record<string, PrivateMethod> {
  const { exchange } = deps;
  const { catalog } = deps.format;
  const newestFirst = (accountId: string, asOf: number | undefined) =>
    exchange
      .ledger(accountId, asOf)
      .map((entry, index) => ({ entry, index }))
      .sort((a, b) => b.entry.time - a.entry.time || b.index - a.index)
      .map(({ entry }) => entry);
  return {
    Ledgers: {
      reads: true,
      handle: ({ accountId, params, asOf }) => {
        const assets = params.list('asset')?.filter((name) => name.toLowerCase() !== 'all');
        const assetIds = assets?.map((name) => {
          const asset = catalog.assetByName(name);
          if (!asset) throw badParam('asset');
          return asset.id;
        });
        const type = params.string('type') ?? 'all';
        if (!ledgerTypes.has(type)) throw badParam('type');
        params.string('aclass');
        const entries = newestFirst(accountId, asOf);
        const start = boundTime(entries, parseBound(params, 'start'));
        const end = boundTime(entries, parseBound(params, 'end'));
        const offset = parseOffset(params) ?? 0;
        const matching = entries.filter(
          (entry) =>
            (!assetIds || assetIds.length === 0 || assetIds.includes(entry.asset)) &&
            (type === 'all' || entry.type === type) &&
            (start === undefined || entry.time > start) &&
            (end === undefined || entry.time <= end),
        );
        const ledger: Record<string, unknown> = {};
        for (const entry of matching.slice(offset, offset + pageSize)) {
          ledger[entry.id] = formatRestLedger(deps.format, entry);
        }
        return succeed(params.boolean('without_count') ? { ledger } : { ledger, count: matching.length });
      },
    },
    QueryLedgers: {
      reads: true,
      handle: ({ accountId, params, asOf }) => {
        const ids = params.list('id') ?? [];
        if (ids.length === 0 || ids.length > 20) throw badParam('id');
        params.boolean('trades');
        const byId = new Map(exchange.ledger(accountId, asOf).map((entry) => [entry.id, entry]));
        const result: Record<string, unknown> = {};
        for (const id of ids) {
          const entry = byId.get(id);
          if (entry) result[id] = formatRestLedger(deps.format, entry);
        }
        return succeed(result);
      },
    },
  };
}
