import { invalidArguments } from '../sim-errors.js';

/**
 * A REST parameter after body parsing. Form and JSON bodies land in the same shape: every
 * scalar is its text (JSON numbers keep their exact digits, booleans read `true`/`false`),
 * `a[b]=` / nested objects become maps, `a[0]=` / `a[]=` / JSON arrays become lists.
 */
export type ParamValue = string | ParamValue[] | ParamMap;
/** Named parameters (null-prototype). */
export interface ParamMap {
  [key: string]: ParamValue;
}

/** Kraken's `userref` range (int32). */
export const int32 = { min: -(2 ** 31), max: 2 ** 31 - 1 } as const;

/** A null-prototype map: parameter names never reach `Object.prototype`. */
export function emptyParams(): ParamMap {
  return Object.create(null) as ParamMap;
}

/** Whether a parameter value is a nested map. */
export function isParamMap(value: ParamValue | undefined): value is ParamMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Thrown by the accessors below; the REST layer answers with its Kraken error string. */
export class RestParamError extends Error {
  constructor(readonly krakenError: string) {
    super(krakenError);
  }
}

/** A parameter error `EGeneral:Invalid arguments:<field>`. */
export function badParam(field: string): RestParamError {
  return new RestParamError(invalidArguments(field));
}

/** Typed reads of one request's parameters; every malformed value throws {@link RestParamError}. */
export class Params {
  constructor(
    readonly map: ParamMap,
    /** How a field is named in errors: `close[price]` inside `close`, the plain name elsewhere. */
    private readonly fieldName: (name: string) => string = (name) => name,
  ) {}

  /** The error for a malformed `name`, named as this map names its fields. */
  invalid(name: string): RestParamError {
    return badParam(this.qualified(name));
  }

  /** How errors name a field of this map: `close[price]` inside `close`, else the plain name. */
  qualified(name: string): string {
    return this.fieldName(name);
  }

  has(name: string): boolean {
    return Object.hasOwn(this.map, name);
  }

  raw(name: string): ParamValue | undefined {
    return Object.hasOwn(this.map, name) ? this.map[name] : undefined;
  }

  /** A scalar text value; undefined when absent or empty (Kraken treats `x=` like no `x`). */
  string(name: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw badParam(this.qualified(name));
    return value === '' ? undefined : value;
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined) throw badParam(this.qualified(name));
    return value;
  }

  /** `true`/`false` (any case) or `1`/`0`; absent → `fallback`. */
  boolean(name: string, fallback = false): boolean {
    const value = this.string(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    throw badParam(this.qualified(name));
  }

  /** An integer within [min, max]. */
  integer(name: string, min: number, max: number): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!/^-?\d{1,16}$/.test(value)) throw badParam(this.qualified(name));
    const parsed = Number(value);
    if (parsed < min || parsed > max) throw badParam(this.qualified(name));
    return parsed;
  }

  /** A list given as a comma-separated text, or as a form/JSON array of scalars. */
  list(name: string): string[] | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : undefined;
    if (!items) throw badParam(this.qualified(name));
    const out: string[] = [];
    for (const item of items) {
      if (typeof item !== 'string') throw badParam(this.qualified(name));
      const trimmed = item.trim();
      if (trimmed !== '') out.push(trimmed);
    }
    return out;
  }

  /** A nested map (`close[ordertype]=...` or a JSON object), as {@link Params}. */
  nested(name: string): Params | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (!isParamMap(value)) throw badParam(this.qualified(name));
    const outer = this.qualified(name);
    return new Params(value, (inner) => `${outer}[${inner}]`);
  }

  /** A list of maps (AddOrderBatch `orders`). */
  mapList(name: string): Params[] | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) throw badParam(this.qualified(name));
    return value.map((item) => {
      if (!isParamMap(item)) throw badParam(this.qualified(name));
      // Kraken names the field of a batch entry without the entry's index.
      return new Params(item);
    });
  }
}
