import { type DecimalString, normalizeDecimal } from '@krakenkit/plugin-api';
import { negativeShape, WireNumber, wireNumberToDecimal, wireNumberToSafeInteger } from './wire-number.js';
import type { WireObject, WireValue } from './wire-parser.js';

// Field readers shared by every channel decoder, hand-written and allocation-free on
// success. Each returns `undefined` when the field is missing or out of schema; the caller
// names the field in the rejection it returns.

/**
 * Longest decimal text accepted for a price or quantity. Kraken's largest values have
 * about 20 significant characters; 40-digit integers and 64-digit fractions are hostile.
 */
export const maxDecimalLength = 32;
/** Longest symbol accepted (`BASE/QUOTE`); real ones are under 16 characters. */
export const maxSymbolLength = 32;
/** Longest free-text field accepted (status names, asset ids, order types). */
export const maxNameLength = 64;
/** Longest error or warning text accepted in a method response. */
export const maxErrorLength = 1024;

/** Which decimal values a field allows. */
export type DecimalSign = 'signed' | 'non-negative' | 'positive';

/**
 * Reads a decimal field sent as a JSON number or, as some docs show, as a string. Returns
 * plain decimal text (exponents expanded exactly), or `undefined` for missing, non-finite,
 * over-long, or sign-violating values. A `-` sign is refused for non-negative fields even
 * on zero: Kraken never sends `-0`, so one is corruption.
 */
export function readDecimal(object: WireObject, key: string, sign: DecimalSign): DecimalString | undefined {
  const value = object[key];
  let text: DecimalString | undefined;
  if (value instanceof WireNumber) {
    if (sign !== 'signed' && (value.shape & negativeShape) !== 0) return undefined;
    text = wireNumberToDecimal(value);
  } else if (typeof value === 'string') {
    if (sign !== 'signed' && value.charCodeAt(0) === 45) return undefined;
    text = value.length <= maxDecimalLength * 2 ? normalizeDecimal(value) : undefined;
  } else {
    return undefined;
  }
  if (text === undefined || text.length > maxDecimalLength) return undefined;
  if (sign === 'positive' && isZeroDecimal(text)) return undefined;
  return text;
}

/** True when plain decimal text is zero (`0`, `0.000`). */
export function isZeroDecimal(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 48 && code !== 46) return false;
  }
  return true;
}

/** Reads an integer field within `[min, max]` (both safe integers). */
export function readInteger(object: WireObject, key: string, min: number, max: number): number | undefined {
  const value = object[key];
  if (!(value instanceof WireNumber)) return undefined;
  const result = wireNumberToSafeInteger(value);
  return result !== undefined && result >= min && result <= max ? result : undefined;
}

/**
 * Reads a non-negative integer of any size as decimal text (for ids above 2^53 such as
 * `connection_id`), up to `maxDigits` digits.
 */
export function readIntegerText(object: WireObject, key: string, maxDigits: number): string | undefined {
  const value = object[key];
  if (!(value instanceof WireNumber) || value.shape !== 0 || value.text.length > maxDigits) return undefined;
  return value.text;
}

/** Reads a string field of 1 to `maxLength` characters. */
export function readString(object: WireObject, key: string, maxLength = maxNameLength): string | undefined {
  const value = object[key];
  return typeof value === 'string' && value.length > 0 && value.length <= maxLength ? value : undefined;
}

export function readBoolean(object: WireObject, key: string): boolean | undefined {
  const value = object[key];
  return typeof value === 'boolean' ? value : undefined;
}

/** Reads an object-valued field (not an array, not null). */
export function readObject(object: WireObject, key: string): WireObject | undefined {
  return asObject(object[key]);
}

export function asObject(value: WireValue | undefined): WireObject | undefined {
  return typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof WireNumber)
    ? (value as WireObject)
    : undefined;
}

/** Reads an array field with at most `maxLength` items. */
export function readArray(object: WireObject, key: string, maxLength: number): WireValue[] | undefined {
  const value = object[key];
  return Array.isArray(value) && value.length <= maxLength ? value : undefined;
}

/**
 * True for a plausible v2 symbol: `BASE/QUOTE`, 3 to 32 characters, each side letters,
 * digits, `.`, `_` or `-` (`BTC/USD`, `TSLAx/USD`). Hand-written: it runs on every frame.
 */
export function isSymbol(text: string): boolean {
  const length = text.length;
  if (length < 3 || length > maxSymbolLength) return false;
  let slash = -1;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code === 47) {
      if (slash >= 0) return false;
      slash = i;
    } else if (
      !(
        (code >= 97 && code <= 122) ||
        (code >= 65 && code <= 90) ||
        (code >= 48 && code <= 57) ||
        code === 46 ||
        code === 95 ||
        code === 45
      )
    ) {
      return false;
    }
  }
  return slash > 0 && slash < length - 1;
}

export function readSymbol(object: WireObject, key = 'symbol'): string | undefined {
  const value = object[key];
  return typeof value === 'string' && isSymbol(value) ? value : undefined;
}

/**
 * True for an RFC 3339 UTC timestamp as Kraken writes it, `2023-09-22T10:33:05.709950Z`
 * (`YYYY-MM-DDTHH:MM:SS`, then `.` and 1 to 9 fraction digits, or nothing, then `Z`).
 * Hand-written: it runs on every frame.
 */
export function isTimestamp(text: string): boolean {
  const length = text.length;
  if (length < 20 || length > 30 || length === 21 || text.charCodeAt(length - 1) !== 90) return false;
  if (
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58 ||
    (length > 20 && text.charCodeAt(19) !== 46)
  ) {
    return false;
  }
  for (let i = 0; i < length - 1; i++) {
    if (i === 4 || i === 7 || i === 10 || i === 13 || i === 16 || i === 19) continue;
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

export function readTimestamp(object: WireObject, key = 'timestamp'): string | undefined {
  const value = object[key];
  return typeof value === 'string' && isTimestamp(value) ? value : undefined;
}
