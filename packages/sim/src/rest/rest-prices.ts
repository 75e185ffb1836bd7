import { type Big, Decimal } from '../sim-decimal.js';
import type { OrderType, PriceSpec, Side } from '../sim-types.js';
import { badParam } from './rest-params.js';

/**
 * What a REST price field means for the order it belongs to:
 * - `limit`: the limit price of limit/iceberg orders (and of a limit close order);
 * - `trigger`: the trigger price of stop-loss / take-profit types;
 * - `trigger-limit`: `price2` of stop-loss-limit / take-profit-limit;
 * - `trailing`: the trigger offset of trailing stops (must be `+`);
 * - `trailing-limit`: `price2` of trailing-stop-limit (offset from the trigger, `+` or `-`).
 */
export type PriceRole = 'limit' | 'trigger' | 'trigger-limit' | 'trailing' | 'trailing-limit';

/** Plain decimal text, as REST amounts are written (no sign, no exponent). */
export function parseAmountText(text: string): Big | undefined {
  if (!/^\d{1,30}(\.\d{1,30})?$/.test(text)) return undefined;
  return new Decimal(text);
}

/** The role of `price` and of `price2` for an order type. */
export function priceRoles(orderType: OrderType): { price?: PriceRole; price2?: PriceRole } {
  switch (orderType) {
    case 'limit':
    case 'iceberg':
      return { price: 'limit' };
    case 'stop-loss':
    case 'take-profit':
      return { price: 'trigger' };
    case 'stop-loss-limit':
    case 'take-profit-limit':
      return { price: 'trigger', price2: 'trigger-limit' };
    case 'trailing-stop':
      return { price: 'trailing' };
    case 'trailing-stop-limit':
      return { price: 'trailing', price2: 'trailing-limit' };
    default:
      return {};
  }
}

/**
 * Which way `#` points: the direction that keeps the order on its natural side of the
 * market. A buy limit sits below (−), a sell limit above (+); a buy stop-loss triggers
 * above (+), a sell stop-loss below (−); take-profit the other way round; a `*-limit`
 * price2 follows its trigger.
 */
function hashSign(role: PriceRole, side: Side, orderType: OrderType): 1 | -1 {
  const up = side === 'sell' ? 1 : -1;
  if (role === 'limit') return up;
  return orderType.startsWith('take-profit') ? up : (-up as 1 | -1);
}

/**
 * Parses a REST price (PROTOCOL §3.3 AddOrder `price`/`price2`): absolute (`37500.0`) or
 * relative to the last traded price — `+x` adds, `-x` subtracts, `#x` adds or subtracts by
 * the order's direction and type, a `%` suffix makes `x` a percentage. Trailing stops take
 * `+x` only (the distance; direction follows the side); a trailing-stop-limit's `price2` is
 * `+x`/`-x` from the trigger. Leading spaces are ignored, so an unencoded `+` (a space after
 * form decoding) reads as an absolute price, as on Kraken.
 *
 * Relative prices become `PriceSpec`s of type `quote` / `pct` with a signed offset; the engine
 * resolves them against the reference price.
 */
export function parseRestPrice(
  text: string,
  field: string,
  role: PriceRole,
  side: Side,
  orderType: OrderType,
): PriceSpec {
  const match = /^\s*([+\-#]?)(\d{1,30}(?:\.\d{1,30})?)(%?)$/.exec(text);
  if (!match) throw badParam(field);
  const [, prefix = '', digits = '', percent = ''] = match;
  const magnitude = new Decimal(digits);
  const type = percent === '%' ? 'pct' : 'quote';
  if (role === 'trailing') {
    if (prefix !== '+') throw badParam(field);
    return { value: magnitude, type };
  }
  if (role === 'trailing-limit') {
    if (prefix !== '+' && prefix !== '-') throw badParam(field);
    return { value: prefix === '-' ? magnitude.neg() : magnitude, type };
  }
  if (prefix === '') {
    if (percent === '%') throw badParam(field);
    return { value: magnitude, type: 'static' };
  }
  const sign = prefix === '+' ? 1 : prefix === '-' ? -1 : hashSign(role, side, orderType);
  return { value: sign < 0 ? magnitude.neg() : magnitude, type };
}
