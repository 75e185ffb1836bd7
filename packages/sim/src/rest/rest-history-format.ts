import { createHash } from 'node:crypto';
import { toFixedPlaces, zero } from '../sim-decimal.js';
import type { LedgerEntry, OrderType, SimFill } from '../sim-types.js';
import { quoteFee, type RestFormatContext } from './rest-order-format.js';

const idAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * Spot trades carry a `postxid` (position id) anyway; the sim derives a stable, Kraken-shaped
 * one (`TXXXXX-XXXXX-XXXXXX`) from the trade id, so repeated queries agree.
 */
export function positionIdOf(tradeId: string): string {
  const digest = createHash('sha256').update(`postxid:${tradeId}`).digest();
  let text = '';
  for (let i = 0; i < 16; i++) text += idAlphabet[(digest[i] ?? 0) % idAlphabet.length];
  return `T${text.slice(0, 5)}-${text.slice(5, 10)}-${text.slice(10, 16)}`;
}

/** The type that actually traded: a triggered stop trades as market, a `*-limit` as limit. */
function tradedOrderType(orderType: OrderType): OrderType {
  if (orderType.endsWith('-limit') || orderType === 'iceberg') return 'limit';
  if (orderType === 'limit' || orderType === 'market' || orderType === 'settle-position') return orderType;
  return 'market';
}

/**
 * One own trade in Kraken's REST shape (TradesHistory, QueryTrades): `pair` is the REST pair
 * id, `price` price decimals, `cost`/`fee` cost decimals in quote, `vol` lot decimals,
 * `trade_id` the pair's public trade id (a JSON integer), `maker` a boolean; `ledgers` only
 * when asked for.
 */
export function formatRestTrade(
  format: RestFormatContext,
  fill: SimFill,
  options: { ledgers: boolean },
): Record<string, unknown> {
  const pair = format.catalog.bySymbol(fill.symbol);
  if (!pair) throw new Error(`trade ${fill.id} on unknown pair ${fill.symbol}`);
  return {
    ordertxid: fill.orderId,
    postxid: positionIdOf(fill.id),
    pair: pair.restId,
    aclass: 'forex',
    time: format.clock.unixSeconds(fill.time),
    type: fill.side,
    ordertype: fill.orderType,
    tradeordertype: tradedOrderType(fill.orderType),
    price: toFixedPlaces(fill.price, pair.pricePrecision),
    cost: toFixedPlaces(fill.cost, pair.costPrecision),
    fee: toFixedPlaces(quoteFee(pair, fill.fee, fill.feeAsset, fill.price), pair.costPrecision),
    vol: fill.qty.toFixed(pair.qtyPrecision),
    margin: toFixedPlaces(zero, pair.costPrecision),
    leverage: '0',
    misc: '',
    trade_id: fill.publicTradeId,
    maker: fill.liquidity === 'm',
    ...(options.ledgers ? { ledgers: [...fill.ledgerIds] } : {}),
  };
}

/**
 * One ledger entry in Kraken's REST shape (Ledgers, QueryLedgers): REST asset id, amounts
 * with the asset's decimals, `amount` signed and fee-exclusive, `balance` after the entry.
 */
export function formatRestLedger(format: RestFormatContext, entry: LedgerEntry): Record<string, unknown> {
  const asset = format.catalog.asset(entry.asset) ?? format.catalog.assetByName(entry.asset);
  const places = asset?.decimals ?? 8;
  return {
    refid: entry.refId,
    time: format.clock.unixSeconds(entry.time),
    type: entry.type,
    subtype: '',
    aclass: 'currency',
    asset: asset?.restId ?? entry.asset,
    amount: toFixedPlaces(entry.amount, places),
    fee: toFixedPlaces(entry.fee, places),
    balance: toFixedPlaces(entry.balance, places),
  };
}
