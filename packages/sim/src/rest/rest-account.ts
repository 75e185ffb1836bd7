import { type Big, Decimal, toFixedPlaces, zero } from '../sim-decimal.js';
import { krakenErrors } from '../sim-errors.js';
import type { SimAsset } from '../sim-pairs.js';
import { failWith, type PrivateMethod, type RestDeps, succeed } from './rest-handler.js';

/** Balances by REST asset id (`XXBT`, `ZUSD`), for Balance and BalanceEx. */
function restBalances(deps: RestDeps, accountId: string, asOf: number | undefined) {
  const { catalog } = deps.format;
  const rows: { asset: SimAsset | undefined; id: string; balance: Big; holdTrade: Big }[] = [];
  for (const [id, view] of deps.exchange.balances(accountId, asOf)) {
    const asset = catalog.asset(id) ?? catalog.assetByName(id);
    rows.push({ asset, id: asset?.restId ?? id, balance: view.balance, holdTrade: view.holdTrade });
  }
  return rows;
}

/** The last traded price of `base` in `quote` through the public Ticker, if a pair links them. */
function lastPrice(deps: RestDeps, base: string, quote: string): Big | undefined {
  const ticker = deps.publicApi.Ticker;
  if (!ticker) return undefined;
  for (const pair of deps.format.catalog.pairs) {
    const direct = pair.base === base && pair.quote === quote;
    const inverse = pair.base === quote && pair.quote === base;
    if (!direct && !inverse) continue;
    const result = ticker({ pair: pair.altname });
    if (!result.ok) continue;
    const row = (result.value as Record<string, { c?: unknown }> | undefined)?.[pair.restId];
    const text = Array.isArray(row?.c) ? row.c[0] : undefined;
    if (typeof text !== 'string' || !/^\d+(\.\d+)?$/.test(text)) continue;
    const price = new Decimal(text);
    if (price.eq(zero)) continue;
    return direct ? price : new Decimal('1').div(price);
  }
  return undefined;
}

/**
 * GetWebSocketsToken, Balance, BalanceEx, TradeBalance (PROTOCOL §3.2). Balances are
 * strings with the asset's decimals, keyed by REST asset id; BalanceEx adds `hold_trade`.
 * TradeBalance values a spot account: `eb`/`tb`/`e`/`mf` are the balances valued in `asset`
 * at last traded prices (assets without a price path count 0), margin fields are 0, `uv`
 * is the open orders' unexecuted value where quoted in `asset`; `ml` is omitted (no margin
 * positions), as Kraken does without positions.
 */
export function accountMethods(deps: RestDeps): Record<string, PrivateMethod> {
  const { catalog } = deps.format;
  return {
    GetWebSocketsToken: {
      reads: false,
      handle: ({ accountId }) => {
        const { token, expiresInSeconds } = deps.tokens.issue(accountId);
        return succeed({ token, expires: expiresInSeconds });
      },
    },
    Balance: {
      reads: true,
      handle: ({ accountId, asOf }) => {
        const result: Record<string, string> = {};
        for (const row of restBalances(deps, accountId, asOf)) {
          result[row.id] = toFixedPlaces(row.balance, row.asset?.decimals ?? 10);
        }
        return succeed(result);
      },
    },
    BalanceEx: {
      reads: true,
      handle: ({ accountId, asOf }) => {
        const result: Record<string, { balance: string; hold_trade: string }> = {};
        for (const row of restBalances(deps, accountId, asOf)) {
          const places = row.asset?.decimals ?? 10;
          result[row.id] = {
            balance: toFixedPlaces(row.balance, places),
            hold_trade: toFixedPlaces(row.holdTrade, places),
          };
        }
        return succeed(result);
      },
    },
    TradeBalance: {
      reads: true,
      handle: ({ accountId, asOf, params }) => {
        const target = catalog.assetByName(params.string('asset') ?? 'ZUSD');
        if (!target) return failWith(krakenErrors.unknownAsset);
        let equivalent = zero;
        for (const [id, view] of deps.exchange.balances(accountId, asOf)) {
          const asset = catalog.asset(id) ?? catalog.assetByName(id);
          if (!asset || view.balance.eq(zero)) continue;
          const price = asset.id === target.id ? new Decimal('1') : lastPrice(deps, asset.id, target.id);
          if (price) equivalent = equivalent.plus(view.balance.times(price));
        }
        let unexecuted = zero;
        for (const order of deps.exchange.openOrders(accountId, undefined, asOf)) {
          const pair = catalog.bySymbol(order.symbol);
          if (pair?.quote !== target.id || order.limitPrice?.type !== 'static') continue;
          unexecuted = unexecuted.plus(order.qty.minus(order.filledQty).times(order.limitPrice.value));
        }
        const text = (value: Big) => toFixedPlaces(value, target.decimals);
        return succeed({
          eb: text(equivalent),
          tb: text(equivalent),
          m: text(zero),
          n: text(zero),
          c: text(zero),
          v: text(zero),
          e: text(equivalent),
          mf: text(equivalent),
          uv: text(unexecuted),
        });
      },
    },
  };
}
