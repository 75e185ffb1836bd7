import { isLosslessNumber, LosslessNumber, parse } from 'lossless-json';
import type { Big } from './sim-decimal.js';

/**
 * Client frames are parsed losslessly: every JSON number becomes a {@link LosslessNumber}
 * holding its exact text, so the sim can tell `0.5660` from `"0.5660"` (Kraken's WS v2
 * wants numbers) and never rounds a client's quantity through a float.
 */
export type WireNumber = LosslessNumber;
export const isWireNumber = isLosslessNumber as (value: unknown) => value is WireNumber;

export type ParsedFrame = { ok: true; value: unknown } | { ok: false; reason: string };

export function parseClientFrame(text: string): ParsedFrame {
  try {
    return { ok: true, value: parse(text, null, (digits) => new LosslessNumber(digits)) };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : 'invalid JSON' };
  }
}

/** A value to be written as a raw JSON number token (exact digits, e.g. `0.5660`). */
export class RawNumber {
  constructor(readonly text: string) {}
}

/** Marks decimal text (or a Big, at its exact digits) to go out as a JSON number, not a string. */
export function num(value: string | Big): RawNumber {
  return new RawNumber(typeof value === 'string' ? value : value.toFixed());
}

/**
 * Serializes a server frame. Like JSON.stringify, but {@link RawNumber} values are written
 * as their digits: Kraken v2 sends prices and quantities as JSON numbers with the pair's
 * precision (`0.5660`, trailing zero included), which JSON.stringify cannot express.
 */
export function encodeFrame(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'object': {
      if (value === null) return 'null';
      if (value instanceof RawNumber) return value.text;
      if (isLosslessNumber(value)) return value.value;
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          out += value[i] === undefined ? 'null' : encodeFrame(value[i]);
        }
        return `${out}]`;
      }
      let out = '{';
      let first = true;
      for (const key of Object.keys(value)) {
        const entry = (value as Record<string, unknown>)[key];
        if (entry === undefined) continue;
        out += `${first ? '' : ','}${JSON.stringify(key)}:${encodeFrame(entry)}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      return 'null';
  }
}

/**
 * A price or quantity as it goes out on WS v2: a JSON number with exactly `places`
 * decimals (`0.5660`), or with trailing zeros dropped when the sim runs with
 * `numberFormat: 'trimmed'` (`0.566`, as in Kraken's doc examples).
 */
export function wireDecimal(value: Big, places: number, format: 'padded' | 'trimmed'): RawNumber {
  const text = value.toFixed(places);
  if (format === 'padded' || !text.includes('.')) return new RawNumber(text);
  return new RawNumber(text.replace(/\.?0+$/, ''));
}
