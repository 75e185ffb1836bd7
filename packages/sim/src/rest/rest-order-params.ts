import type { Big } from '../sim-decimal.js';
import { krakenErrors } from '../sim-errors.js';
import type { SimPair, SimPairCatalog } from '../sim-pairs.js';
import type {
  ConditionalCloseSpec,
  OrderRequest,
  OrderType,
  Side,
  StpType,
  TimeInForce,
  TriggerSpec,
} from '../sim-types.js';
import { badParam, emptyParams, int32, Params, RestParamError } from './rest-params.js';
import { parseAmountText, parseRestPrice, priceRoles } from './rest-prices.js';

const orderTypes: ReadonlySet<string> = new Set<OrderType>([
  'market',
  'limit',
  'iceberg',
  'stop-loss',
  'take-profit',
  'stop-loss-limit',
  'take-profit-limit',
  'trailing-stop',
  'trailing-stop-limit',
  'settle-position',
]);

const closeOrderTypes: ReadonlySet<string> = new Set<OrderType>([
  'limit',
  'iceberg',
  'stop-loss',
  'take-profit',
  'stop-loss-limit',
  'take-profit-limit',
  'trailing-stop',
  'trailing-stop-limit',
]);

const stpTypes: Readonly<Record<string, StpType>> = {
  'cancel-newest': 'cancel_newest',
  'cancel-oldest': 'cancel_oldest',
  'cancel-both': 'cancel_both',
};

/** The pair a REST call names, by any REST spelling (`XXBTZUSD`, `XBTUSD`, `XBT/USD`, `BTC/USD`). */
export function requirePair(catalog: SimPairCatalog, params: Params): SimPair {
  const name = params.requiredString('pair');
  const pair = catalog.byRestName(name);
  if (!pair) throw new RestParamError(krakenErrors.unknownPair);
  return pair;
}

/** `type`: `buy` or `sell`. */
export function requireSide(params: Params): Side {
  const side = params.requiredString('type');
  if (side !== 'buy' && side !== 'sell') throw badParam('type');
  return side;
}

/** `ordertype` (or a close order's), one of Kraken's order types. */
export function requireOrderType(params: Params, field = 'ordertype', allowed = orderTypes): OrderType {
  const orderType = params.requiredString(field);
  if (!allowed.has(orderType)) throw params.invalid(field);
  return orderType as OrderType;
}

/** A quantity field: plain decimal text ≥ 0. */
export function optionalAmount(params: Params, field: string): Big | undefined {
  const text = params.string(field);
  if (text === undefined) return undefined;
  const value = parseAmountText(text);
  if (!value) throw params.invalid(field);
  return value;
}

/**
 * `starttm` / `expiretm`: `0` (unset), `<unix seconds>` absolute, `+<n>` seconds from now
 * (sent as `%2B` in form bodies). Returns epoch ms.
 */
export function parseRestTime(params: Params, field: string, now: number): number | undefined {
  const text = params.string(field)?.trim();
  if (text === undefined || text === '0') return undefined;
  const relative = /^\+(\d{1,10})$/.exec(text);
  if (relative) return now + Number(relative[1]) * 1000;
  if (!/^\d{1,12}(\.\d{1,6})?$/.test(text)) throw params.invalid(field);
  return Math.round(Number(text) * 1000);
}

/** `deadline`: an RFC 3339 timestamp (`2026-01-05T10:00:05Z`, fraction and offset allowed). */
export function parseDeadline(params: Params): number | undefined {
  const text = params.string('deadline');
  if (text === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i.test(text)) {
    throw badParam('deadline');
  }
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw badParam('deadline');
  return ms;
}

interface OrderFlags {
  postOnly: boolean;
  feePreference?: 'base' | 'quote';
  quoteVolume: boolean;
}

/** `oflags`: comma list of `post`, `fcib`, `fciq`, `nompp` (accepted, no effect), `viqc`. */
export function parseOrderFlags(params: Params): OrderFlags {
  const flags = new Set(params.list('oflags') ?? []);
  for (const flag of flags) {
    if (!['post', 'fcib', 'fciq', 'nompp', 'viqc'].includes(flag)) throw badParam('oflags');
  }
  if (flags.has('fcib') && flags.has('fciq')) throw badParam('oflags');
  return {
    postOnly: flags.has('post'),
    ...(flags.has('fcib') ? { feePreference: 'base' as const } : {}),
    ...(flags.has('fciq') ? { feePreference: 'quote' as const } : {}),
    quoteVolume: flags.has('viqc'),
  };
}

function parseTimeInForce(params: Params): TimeInForce {
  const text = params.string('timeinforce');
  if (text === undefined) return 'gtc';
  const value = text.toLowerCase();
  if (value !== 'gtc' && value !== 'ioc' && value !== 'gtd' && value !== 'fok') throw badParam('timeinforce');
  return value;
}

/** `price` / `price2` by the order type's roles, plus the trigger reference. */
function parsePrices(
  params: Params,
  orderType: OrderType,
  side: Side,
  reference: TriggerSpec['reference'],
  fields: { price: string; price2: string },
): Pick<OrderRequest, 'limitPrice' | 'trigger'> {
  const roles = priceRoles(orderType);
  const out: Pick<OrderRequest, 'limitPrice' | 'trigger'> = {};
  if (roles.price) {
    const text = params.string(fields.price);
    if (text === undefined) throw params.invalid(fields.price);
    const spec = parseRestPrice(text, params.qualified(fields.price), roles.price, side, orderType);
    if (roles.price === 'limit') out.limitPrice = spec;
    else out.trigger = { reference, price: spec.value, type: spec.type };
  }
  if (roles.price2) {
    const text = params.string(fields.price2);
    if (text === undefined) throw params.invalid(fields.price2);
    out.limitPrice = parseRestPrice(text, params.qualified(fields.price2), roles.price2, side, orderType);
  }
  return out;
}

/**
 * The close-order fields: a `close` map (form `close[price]=`, JSON `"close":{...}`), or flat
 * `"close[price]"` members as Kraken's OpenAPI spec lists them for JSON bodies.
 */
function closeParams(params: Params): Params | undefined {
  const nested = params.nested('close');
  if (nested) return nested;
  const flat = emptyParams();
  for (const field of ['ordertype', 'price', 'price2']) {
    const value = params.raw(`close[${field}]`);
    if (value !== undefined) flat[field] = value;
  }
  return Object.keys(flat).length > 0 ? new Params(flat, (name) => `close[${name}]`) : undefined;
}

function parseClose(params: Params, side: Side, reference: TriggerSpec['reference']) {
  const close = closeParams(params);
  if (!close || close.string('ordertype') === undefined) return undefined;
  const orderType = requireOrderType(close, 'ordertype', closeOrderTypes);
  const closeSide: Side = side === 'buy' ? 'sell' : 'buy';
  const prices = parsePrices(close, orderType, closeSide, reference, { price: 'price', price2: 'price2' });
  const conditional: ConditionalCloseSpec = { orderType };
  if (prices.limitPrice) conditional.limitPrice = prices.limitPrice;
  if (prices.trigger) conditional.triggerPrice = { value: prices.trigger.price, type: prices.trigger.type };
  return conditional;
}

/**
 * One order's REST fields (AddOrder, or one AddOrderBatch entry) as the engine's
 * {@link OrderRequest} (PROTOCOL §3.3, §10.1): `type` → side, `ordertype`, `volume` (or, with
 * `oflags=viqc`, the quote amount), `price`/`price2` by type, `trigger`, `oflags`,
 * `timeinforce`, `starttm`/`expiretm`, `userref` xor `cl_ord_id`, `displayvol`, `stptype`
 * (hyphens), `leverage` (any value but `none` asks for margin), `reduce_only`, `close`.
 * `deadline` and `validate` come from the caller (batch-wide for AddOrderBatch).
 */
export function parseOrderFields(
  params: Params,
  pair: SimPair,
  options: { now: number; validate: boolean; deadline: number | undefined },
): OrderRequest {
  const side = requireSide(params);
  const orderType = requireOrderType(params);
  const volume = optionalAmount(params, 'volume');
  if (volume === undefined) throw badParam('volume');
  const flags = parseOrderFlags(params);
  const referenceText = params.string('trigger') ?? 'last';
  if (referenceText !== 'last' && referenceText !== 'index') throw badParam('trigger');
  const userref = params.integer('userref', int32.min, int32.max);
  const clOrdId = params.string('cl_ord_id');
  if (userref !== undefined && clOrdId !== undefined) throw badParam('cl_ord_id');
  const stpText = params.string('stptype') ?? 'cancel-newest';
  const stpType = Object.hasOwn(stpTypes, stpText) ? stpTypes[stpText] : undefined;
  if (!stpType) throw badParam('stptype');
  const leverage = params.string('leverage');
  const displayQty = optionalAmount(params, 'displayvol');
  const effectiveTime = parseRestTime(params, 'starttm', options.now);
  const expireTime = parseRestTime(params, 'expiretm', options.now);
  const conditional = parseClose(params, side, referenceText);

  const request: OrderRequest = {
    symbol: pair.symbol,
    side,
    orderType,
    ...(flags.quoteVolume ? { cashQty: volume } : { qty: volume }),
    ...parsePrices(params, orderType, side, referenceText, { price: 'price', price2: 'price2' }),
    timeInForce: parseTimeInForce(params),
    postOnly: flags.postOnly,
    reduceOnly: params.boolean('reduce_only'),
    margin: leverage !== undefined && leverage.toLowerCase() !== 'none',
    stpType,
    validate: options.validate,
  };
  if (effectiveTime !== undefined) request.effectiveTime = effectiveTime;
  if (expireTime !== undefined) request.expireTime = expireTime;
  if (options.deadline !== undefined) request.deadline = options.deadline;
  if (clOrdId !== undefined) request.clOrdId = clOrdId;
  if (userref !== undefined) request.userref = userref;
  if (displayQty !== undefined) request.displayQty = displayQty;
  if (flags.feePreference) request.feePreference = flags.feePreference;
  if (conditional) request.conditional = conditional;
  return request;
}
