import type { DecimalString } from '@krakenkit/plugin-api';
import Big from 'big.js';

// A private big.js constructor (calling Big() with no argument makes an independent copy),
// so settings here never leak into, or depend on, another package's use of big.js. Strict
// mode refuses `number` inputs: decimals enter as text only.
const Decimal = Big();
Decimal.strict = true;
Decimal.DP = 40;

/** `a - b`, exactly, as plain decimal text. */
export function subtractDecimal(a: DecimalString, b: DecimalString): DecimalString {
  return new Decimal(a).minus(new Decimal(b)).toFixed();
}

/** `(a + b) / 2`, exactly (halving adds at most one decimal place), as plain decimal text. */
export function midpointDecimal(a: DecimalString, b: DecimalString): DecimalString {
  return new Decimal(a).plus(new Decimal(b)).div(new Decimal('2')).toFixed();
}
