/**
 * An exact decimal number written as text, e.g. `"0.5660"` or `"123456789.12345678"`.
 * Prices, quantities, balances and fees are always this type, never `number`.
 * Arithmetic goes through one decimal library (big.js) in the packages that need it.
 */
export type DecimalString = string;

const plainDecimal = /^-?(0|[1-9]\d*)(\.\d+)?$/;
const jsonNumber = /^(-?)(0|[1-9]\d*)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** Largest exponent accepted when normalizing; Kraken never sends more, `1e400` is hostile. */
const maxExponent = 64;
/** Longest digit string accepted; longer inputs are hostile or corrupt. */
const maxDigits = 64;

/** True for plain decimal text without exponent or leading zeros: `0`, `-1.50`, `0.00000001`. */
export function isDecimalString(value: unknown): value is DecimalString {
  return typeof value === 'string' && value.length <= maxDigits + 2 && plainDecimal.test(value);
}

/**
 * Turns JSON number text into plain decimal text, exactly: `1e-8` → `0.00000001`,
 * `1.50E+3` → `1500`, `0.5660` stays `0.5660` (given digits are kept). Returns `undefined`
 * for anything that is not a finite JSON number or is absurdly long (`NaN`, `1e400`).
 */
export function normalizeDecimal(text: string): DecimalString | undefined {
  if (text.length <= maxDigits && plainDecimal.test(text)) {
    return text === '-0' || /^-0\.0+$/.test(text) ? text.slice(1) : text;
  }
  const match = jsonNumber.exec(text);
  if (match === null) return undefined;
  const [, sign, integerPart = '', fractionPart = '', exponentText] = match;
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  if (Math.abs(exponent) > maxExponent || integerPart.length + fractionPart.length > maxDigits) {
    return undefined;
  }
  const digits = integerPart + fractionPart;
  const pointAt = integerPart.length + exponent;
  let result: string;
  if (pointAt <= 0) {
    result = `0.${'0'.repeat(-pointAt)}${digits}`;
  } else if (pointAt >= digits.length) {
    result = digits + '0'.repeat(pointAt - digits.length);
  } else {
    result = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  }
  result = result.replace(/^0+(?=\d)/, '');
  const isZero = /^[0.]+$/.test(result);
  return sign === '-' && !isZero ? `-${result}` : result;
}

/**
 * Exact comparison of two plain decimal strings (as produced by {@link normalizeDecimal}).
 * Returns a negative number, zero or a positive number. `"1.50"` equals `"1.5"`.
 */
export function compareDecimal(a: DecimalString, b: DecimalString): number {
  const negativeA = a.charCodeAt(0) === 45;
  const negativeB = b.charCodeAt(0) === 45;
  if (negativeA !== negativeB) {
    const zeroA = isZeroText(a);
    const zeroB = isZeroText(b);
    if (zeroA && zeroB) return 0;
    return negativeA ? -1 : 1;
  }
  const magnitude = compareMagnitude(negativeA ? a.slice(1) : a, negativeB ? b.slice(1) : b);
  return negativeA ? -magnitude : magnitude;
}

function isZeroText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 48 && code !== 46 && code !== 45) return false;
  }
  return true;
}

function compareMagnitude(a: string, b: string): number {
  let pointA = a.indexOf('.');
  let pointB = b.indexOf('.');
  if (pointA < 0) pointA = a.length;
  if (pointB < 0) pointB = b.length;
  let startA = 0;
  let startB = 0;
  while (startA < pointA - 1 && a.charCodeAt(startA) === 48) startA++;
  while (startB < pointB - 1 && b.charCodeAt(startB) === 48) startB++;
  const lengthA = pointA - startA;
  const lengthB = pointB - startB;
  if (lengthA !== lengthB) return lengthA - lengthB;
  for (let i = 0; i < lengthA; i++) {
    const difference = a.charCodeAt(startA + i) - b.charCodeAt(startB + i);
    if (difference !== 0) return difference;
  }
  const fractionLength = Math.max(a.length - pointA, b.length - pointB);
  for (let i = 1; i < fractionLength; i++) {
    const digitA = pointA + i < a.length ? a.charCodeAt(pointA + i) : 48;
    const digitB = pointB + i < b.length ? b.charCodeAt(pointB + i) : 48;
    if (digitA !== digitB) return digitA - digitB;
  }
  return 0;
}
