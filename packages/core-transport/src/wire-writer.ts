import { type DecimalString, isDecimalString, KrakenkitError } from '@krakenkit/plugin-api';
import { fractionShape, negativeShape, WireNumber } from './wire-number.js';

/**
 * Request fields whose values are decimals: strings under these keys (at any nesting
 * level, e.g. `triggers.price`) are written as JSON number tokens from their digits.
 */
export const defaultDecimalFields: ReadonlySet<string> = new Set([
  'order_qty',
  'limit_price',
  'display_qty',
  'cash_order_qty',
  'price',
  'trigger_price',
  'stop_price',
  'qty',
  'volume',
]);

/** A value could not be written as a Kraken request (the message names the path). */
export class WireEncodeError extends KrakenkitError {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super('WIRE_ENCODE_INVALID', `Cannot encode ${path}: ${problem}`);
  }
}

export interface WriteWireJsonOptions {
  /** Keys whose string values are decimals. Default {@link defaultDecimalFields}. */
  decimalFields?: ReadonlySet<string>;
}

/** A v2 request: `{"method", "params"?, "req_id"?}`. */
export interface WireRequest {
  readonly method: string;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly req_id?: number;
}

/**
 * Marks decimal text to be written as a JSON number token anywhere in a frame, whatever
 * its key. Throws `WireEncodeError` unless it is plain decimal text (`0.01`, `-2.5`; no
 * exponent, sign `+`, spaces or leading zeros).
 */
export function decimalToken(text: DecimalString): WireNumber {
  if (!isDecimalString(text))
    throw new WireEncodeError('value', `${describe(text)} is not plain decimal text.`);
  return new WireNumber(
    text,
    (text.startsWith('-') ? negativeShape : 0) | (text.includes('.') ? fractionShape : 0),
  );
}

/**
 * Builds a request frame. Decimal fields (strings under {@link defaultDecimalFields}, or
 * {@link decimalToken} values) are emitted as JSON numbers written from the string's own
 * digits, never through `Number`; a `number` under a decimal key is refused because it may
 * already have lost digits. Everything else is ordinary JSON. Throws `WireEncodeError`.
 */
export function writeRequestFrame(request: WireRequest, options?: WriteWireJsonOptions): string {
  if (typeof request.method !== 'string' || request.method.length === 0) {
    throw new WireEncodeError('method', 'a request needs a method name.');
  }
  if (request.req_id !== undefined && !(Number.isSafeInteger(request.req_id) && request.req_id >= 0)) {
    throw new WireEncodeError('req_id', `${describe(request.req_id)} is not a non-negative safe integer.`);
  }
  return writeWireJson(request, options);
}

/**
 * Serializes a value to JSON text like `JSON.stringify`, except that {@link WireNumber}s
 * are written as their exact text, strings under decimal keys become number tokens, and
 * non-finite numbers, `bigint`s, functions, symbols and cycles throw `WireEncodeError`
 * instead of silently becoming `null` or vanishing. `undefined` properties are skipped.
 */
export function writeWireJson(value: unknown, options?: WriteWireJsonOptions): string {
  const decimalFields = options?.decimalFields ?? defaultDecimalFields;
  const parts: string[] = [];
  write(value, '$', false, decimalFields, parts, new Set());
  return parts.join('');
}

function write(
  value: unknown,
  path: string,
  isDecimalField: boolean,
  decimalFields: ReadonlySet<string>,
  parts: string[],
  ancestors: Set<object>,
): void {
  if (value instanceof WireNumber) {
    parts.push(checkedNumberText(value, path));
    return;
  }
  switch (typeof value) {
    case 'string':
      if (isDecimalField) {
        if (!isDecimalString(value)) {
          throw new WireEncodeError(path, `${describe(value)} is not plain decimal text.`);
        }
        parts.push(value);
      } else {
        parts.push(JSON.stringify(value));
      }
      return;
    case 'number':
      if (isDecimalField) {
        throw new WireEncodeError(
          path,
          'decimal fields take decimal strings, not numbers (precision may be lost).',
        );
      }
      if (!Number.isFinite(value)) throw new WireEncodeError(path, `${value} is not a finite number.`);
      parts.push(JSON.stringify(value));
      return;
    case 'boolean':
      parts.push(value ? 'true' : 'false');
      return;
    case 'object':
      break;
    default:
      throw new WireEncodeError(path, `${typeof value} values cannot be sent.`);
  }
  if (value === null) {
    parts.push('null');
    return;
  }
  if (ancestors.has(value)) throw new WireEncodeError(path, 'the value contains a cycle.');
  ancestors.add(value);
  if (Array.isArray(value)) {
    parts.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) parts.push(',');
      const item: unknown = value[i];
      if (item === undefined) throw new WireEncodeError(`${path}[${i}]`, 'arrays cannot hold undefined.');
      write(item, `${path}[${i}]`, isDecimalField, decimalFields, parts, ancestors);
    }
    parts.push(']');
  } else {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      throw new WireEncodeError(path, 'only plain objects, arrays and primitives can be sent.');
    }
    parts.push('{');
    let first = true;
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      if (!first) parts.push(',');
      first = false;
      parts.push(JSON.stringify(key), ':');
      write(item, `${path}.${key}`, decimalFields.has(key), decimalFields, parts, ancestors);
    }
    parts.push('}');
  }
  ancestors.delete(value);
}

const jsonNumberPattern = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** Re-checks WireNumber text (it may have been built by hand) against the JSON grammar. */
function checkedNumberText(value: WireNumber, path: string): string {
  const text = value.text;
  if (typeof text !== 'string' || text.length > 128 || !jsonNumberPattern.test(text)) {
    throw new WireEncodeError(path, `${describe(text)} is not a JSON number.`);
  }
  return text;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}
