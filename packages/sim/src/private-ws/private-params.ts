import { type Big, parseDecimal } from '../sim-decimal.js';
import { invalidArguments, krakenErrors } from '../sim-errors.js';
import { isWireNumber } from '../sim-wire.js';

/** A request parameter problem, answered with its Kraken error text. */
export class ParamError extends Error {
  constructor(readonly kraken: string) {
    super(kraken);
  }
}

/**
 * Typed, strict reading of a WS v2 `params` object: unknown fields are refused with
 * Kraken's `Unsupported field: '<name>'` (checked first, for the whole object), numbers must
 * be JSON numbers (a string where Kraken wants a number is `EGeneral:Invalid arguments:<name>`),
 * booleans must be booleans, enums must be one of their values exactly. Every getter
 * throws a {@link ParamError}; callers catch once per request.
 */
export class Params {
  readonly #values: Record<string, unknown>;
  readonly #prefix: string;

  constructor(values: Record<string, unknown> | undefined, allowed: readonly string[], prefix = '') {
    this.#values = values ?? {};
    this.#prefix = prefix;
    for (const key of Object.keys(this.#values)) {
      if (!allowed.includes(key)) throw new ParamError(krakenErrors.unsupportedField(`${prefix}${key}`));
    }
  }

  has(name: string): boolean {
    return this.#values[name] !== undefined;
  }

  #bad(name: string): ParamError {
    return new ParamError(invalidArguments(`${this.#prefix}${name}`));
  }

  string(name: string): string | undefined {
    const value = this.#values[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.length === 0) throw this.#bad(name);
    return value;
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined) throw this.#bad(name);
    return value;
  }

  boolean(name: string): boolean | undefined {
    const value = this.#values[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') throw this.#bad(name);
    return value;
  }

  enumOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const value = this.#values[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) throw this.#bad(name);
    return value as T;
  }

  requiredEnum<T extends string>(name: string, values: readonly T[]): T {
    const value = this.enumOf(name, values);
    if (value === undefined) throw this.#bad(name);
    return value;
  }

  /** A decimal from a JSON number, exactly as written. */
  decimal(name: string): Big | undefined {
    const value = this.#values[name];
    if (value === undefined) return undefined;
    const parsed = isWireNumber(value) ? parseDecimal(value.value) : undefined;
    if (!parsed) throw this.#bad(name);
    return parsed;
  }

  requiredDecimal(name: string): Big {
    const value = this.decimal(name);
    if (value === undefined) throw this.#bad(name);
    return value;
  }

  /** A JSON integer within the safe range. */
  integer(name: string): number | undefined {
    const value = this.#values[name];
    if (value === undefined) return undefined;
    if (!isWireNumber(value) || !/^-?\d{1,15}$/.test(value.value)) throw this.#bad(name);
    return Number(value.value);
  }

  /** An RFC 3339 timestamp with an explicit zone, as epoch ms. */
  time(name: string): number | undefined {
    const value = this.#values[name];
    if (value === undefined) return undefined;
    if (
      typeof value !== 'string' ||
      !/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(value)
    ) {
      throw this.#bad(name);
    }
    const ms = Date.parse(value);
    if (!Number.isFinite(ms)) throw this.#bad(name);
    return ms;
  }

  /** A nested object, read strictly with its own allowed fields. */
  object(name: string, allowed: readonly string[]): Params | undefined {
    const value = this.#values[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw this.#bad(name);
    return new Params(value as Record<string, unknown>, allowed);
  }

  /** An array of raw values (elements checked by the caller). */
  array(name: string): unknown[] | undefined {
    const value = this.#values[name];
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) throw this.#bad(name);
    return value;
  }

  stringArray(name: string): string[] | undefined {
    const value = this.array(name);
    if (value === undefined) return undefined;
    if (!value.every((item) => typeof item === 'string' && item.length > 0)) throw this.#bad(name);
    return value as string[];
  }

  integerArray(name: string): number[] | undefined {
    const value = this.array(name);
    if (value === undefined) return undefined;
    return value.map((item) => {
      if (!isWireNumber(item) || !/^-?\d{1,15}$/.test(item.value)) throw this.#bad(name);
      return Number(item.value);
    });
  }
}
