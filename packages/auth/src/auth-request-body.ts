import { decimalToken, WireNumber, writeWireJson } from '@krakenkit/core-transport';
import { PrivateRequestError } from './auth-errors.js';

/**
 * A private call's parameter value. Decimals (prices, volumes) are strings; integers may be
 * numbers (safe integers only) or bigints; nested lists and objects are for JSON bodies
 * (`AddOrderBatch`'s `orders`) and become bracket keys in form bodies (`close[price]`).
 * A `WireNumber` (core-transport's `decimalToken('1.25')`) is written as a JSON number.
 */
export type PrivateParamValue =
  | string
  | number
  | bigint
  | boolean
  | WireNumber
  | readonly PrivateParamValue[]
  | { readonly [key: string]: PrivateParamValue | undefined };

/** A private call's parameters, without `nonce` (added when the call is signed). */
export type PrivateParams = Readonly<Record<string, PrivateParamValue | undefined>>;

/** How the body is encoded: `application/x-www-form-urlencoded` (default) or JSON. */
export type BodyEncoding = 'form' | 'json';

export const contentTypes: Readonly<Record<BodyEncoding, string>> = {
  form: 'application/x-www-form-urlencoded',
  json: 'application/json',
};

// JSON bodies keep decimal strings as strings (REST's documented type); only WireNumbers
// become number tokens. So no key is a decimal field here.
const noDecimalFields: ReadonlySet<string> = new Set();

/**
 * The exact body of a private call: `nonce` first, then the params in their order. This
 * string is what gets signed and sent; nothing re-encodes it afterwards.
 *
 * Form bodies use standard form encoding (`URLSearchParams`): a space is `+`, a literal `+`
 * is `%2B` (so `starttm=+60` arrives as `+60`, PROTOCOL §2.2), text is UTF-8 escaped.
 * JSON bodies carry the nonce as a string: `{"nonce":"1616492376594",...}`.
 */
export function encodePrivateBody(nonce: string, params: PrivateParams, encoding: BodyEncoding): string {
  if (Object.hasOwn(params, 'nonce')) {
    throw new PrivateRequestError('Do not pass nonce in the params; every call gets a fresh one.');
  }
  if (encoding === 'json') {
    try {
      return writeWireJson(toJsonValue({ nonce, ...params }, 'params'), { decimalFields: noDecimalFields });
    } catch (error) {
      throw new PrivateRequestError(
        `The params cannot be sent as JSON: ${error instanceof Error ? error.message : 'unknown value'}`,
        { cause: error },
      );
    }
  }
  const form = new URLSearchParams();
  form.append('nonce', nonce);
  for (const [key, value] of Object.entries(params)) appendField(form, key, value);
  return form.toString();
}

/** Checks numbers as form bodies do, and writes bigints as JSON number tokens. */
function toJsonValue(value: PrivateParamValue | undefined, path: string): unknown {
  if (typeof value === 'bigint') return decimalToken(value.toString());
  if (typeof value === 'number') return checkedInteger(value, path);
  if (Array.isArray(value))
    return value.map((item: PrivateParamValue, index) => toJsonValue(item, `${path}[${index}]`));
  if (typeof value === 'object' && value !== null && !(value instanceof WireNumber)) {
    // No prototype: a `__proto__` param stays a param.
    const out: Record<string, unknown> = Object.create(null);
    for (const [key, item] of Object.entries(value)) out[key] = toJsonValue(item, `${path}.${key}`);
    return out;
  }
  return value;
}

function checkedInteger(value: number, path: string): number {
  // Decimals lose digits as binary floats; only integers are safe as numbers.
  if (!Number.isSafeInteger(value)) {
    throw new PrivateRequestError(
      `Param ${path} is a number that is not a safe integer; pass decimals (prices, volumes) as strings.`,
    );
  }
  return value;
}

function appendField(form: URLSearchParams, key: string, value: PrivateParamValue | undefined): void {
  if (value === undefined) return;
  if (value instanceof WireNumber) {
    form.append(key, value.text);
    return;
  }
  switch (typeof value) {
    case 'string':
      form.append(key, value);
      return;
    case 'boolean':
    case 'bigint':
      form.append(key, String(value));
      return;
    case 'number':
      form.append(key, String(checkedInteger(value, key)));
      return;
    default:
      break;
  }
  if (Array.isArray(value)) {
    value.forEach((item: PrivateParamValue, index) => {
      appendField(form, `${key}[${index}]`, item);
    });
    return;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [name, item] of Object.entries(value)) appendField(form, `${key}[${name}]`, item);
    return;
  }
  throw new PrivateRequestError(`Param ${key} has a value of a type that cannot be sent.`);
}
