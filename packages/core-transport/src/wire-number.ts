import { type DecimalString, normalizeDecimal } from '@krakenkit/plugin-api';

/** Bit set in {@link WireNumber.shape} when the literal starts with `-`. */
export const negativeShape = 1;
/** Bit set in {@link WireNumber.shape} when the literal has a fraction (`.`). */
export const fractionShape = 2;
/** Bit set in {@link WireNumber.shape} when the literal has an exponent (`e`/`E`). */
export const exponentShape = 4;

/**
 * A JSON number exactly as it was written on the wire. `parseWireFrame` produces these
 * instead of `number`, so `0.5660` keeps its trailing zero, `13834774380200032777` stays
 * exact and `1e-8` can be normalized to `0.00000001` without ever passing through a float.
 */
export class WireNumber {
  /** The literal's source text, already checked against the JSON number grammar. */
  readonly text: string;
  /** Which optional parts the literal has: {@link negativeShape}, {@link fractionShape}, {@link exponentShape}. */
  readonly shape: number;

  constructor(text: string, shape: number) {
    this.text = text;
    this.shape = shape;
  }

  /** The source text, so template literals and `String(n)` show the exact number. */
  toString(): string {
    return this.text;
  }
}

/**
 * The number as plain decimal text (`1e-8` → `0.00000001`, `0.5660` unchanged), or
 * `undefined` when it cannot be written exactly within the plugin-api limits (`1e400`).
 */
export function wireNumberToDecimal(value: WireNumber): DecimalString | undefined {
  // Literals without an exponent are already plain decimal text: the parser checked the
  // grammar (no leading zeros, digits after the point), so only `-0` needs normalizing.
  if ((value.shape & exponentShape) === 0 && (value.shape & negativeShape) === 0) return value.text;
  return normalizeDecimal(value.text);
}

/** The number as a safe integer, or `undefined` if it has a fraction, an exponent or is too large. */
export function wireNumberToSafeInteger(value: WireNumber): number | undefined {
  if ((value.shape & (fractionShape | exponentShape)) !== 0 || value.text.length > 17) return undefined;
  // `+ 0` turns `-0` into `0`, so integer fields never carry a negative zero.
  const result = Number(value.text) + 0;
  return Number.isSafeInteger(result) ? result : undefined;
}
