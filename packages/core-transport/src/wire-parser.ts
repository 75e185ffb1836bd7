import { exponentShape, fractionShape, negativeShape, WireNumber } from './wire-number.js';

/** A parsed JSON value whose numbers keep their source text. */
export type WireValue = string | boolean | null | WireNumber | WireValue[] | WireObject;

/** A parsed JSON object: an ordinary object that never has `__proto__`, `constructor` or `prototype` keys. */
export interface WireObject {
  [key: string]: WireValue;
}

/** Why a frame is not acceptable JSON. */
export type WireParseFailure =
  | 'frame-too-large'
  | 'nesting-too-deep'
  | 'invalid-json'
  | 'forbidden-key'
  | 'duplicate-key';

export type WireParseResult =
  | { readonly ok: true; readonly value: WireValue }
  | { readonly ok: false; readonly reason: WireParseFailure; readonly position: number };

export interface WireParseOptions {
  /** Longest frame accepted, in UTF-16 code units. Default {@link defaultMaxFrameLength} (8 Mi). */
  maxLength?: number;
  /** Deepest nesting of arrays and objects accepted. Default {@link defaultMaxDepth} (32). */
  maxDepth?: number;
}

/** 8 Mi code units: a depth-1000 book snapshot is about 70 KB, so anything near this is hostile. */
export const defaultMaxFrameLength = 8 * 1024 * 1024;
/** Kraken frames nest 4 levels deep; 32 leaves room for method results and stops stack abuse. */
export const defaultMaxDepth = 32;

// The parser is a set of module-level functions over module-level state: it is synchronous
// and never calls out, so it cannot be re-entered, and V8 optimizes this shape best.
let source = '';
let position = 0;
let depthLeft = 0;
let failure: WireParseFailure = 'invalid-json';

/** Returned by the inner functions instead of throwing; checked by identity. */
const failed: unique symbol = Symbol('failed');
type Parsed = WireValue | typeof failed;

/**
 * Recently seen object keys, by a cheap hash of length and first/last character. Reusing the
 * same string instance for a key skips slicing and V8's string internalization on the hot
 * path (Kraken frames repeat the same dozen keys thousands of times a second).
 */
const keyCache: (string | undefined)[] = new Array(512).fill(undefined);

/**
 * Parses one WebSocket text frame as JSON, keeping every number's exact source text as a
 * {@link WireNumber}. Strict RFC 8259: bare `NaN`/`Infinity`, trailing garbage, unterminated
 * strings, bad escapes and raw control characters are rejected. Objects are ordinary
 * objects, and any `__proto__`, `constructor` or `prototype` key rejects the whole frame,
 * so a parsed frame can never alter a prototype, and a duplicated key (ambiguous between
 * parsers) rejects it too. Never throws: failures come back as `{ ok: false, reason }`.
 */
export function parseWireFrame(text: string, options?: WireParseOptions): WireParseResult {
  const maxLength = options?.maxLength ?? defaultMaxFrameLength;
  if (typeof text !== 'string') return { ok: false, reason: 'invalid-json', position: 0 };
  if (text.length > maxLength) return { ok: false, reason: 'frame-too-large', position: maxLength };
  source = text;
  position = 0;
  depthLeft = options?.maxDepth ?? defaultMaxDepth;
  failure = 'invalid-json';
  let value: Parsed;
  try {
    skipWhitespace();
    value = parseValue();
    if (value !== failed) {
      skipWhitespace();
      if (position !== source.length) value = failed;
    }
  } catch {
    // Unreachable by design (no recursion past maxDepth, no calls out); kept so a V8
    // surprise such as an allocation failure still comes back as a rejected frame.
    value = failed;
    failure = 'invalid-json';
  }
  const failedAt = position;
  source = '';
  if (value === failed) return { ok: false, reason: failure, position: failedAt };
  return { ok: true, value };
}

function skipWhitespace(): void {
  let code = source.charCodeAt(position);
  while (code === 32 || code === 10 || code === 13 || code === 9) code = source.charCodeAt(++position);
}

function parseValue(): Parsed {
  const code = source.charCodeAt(position);
  if (code === 34) return parseString();
  if (code === 123) return parseObject();
  if (code === 91) return parseArray();
  if (code === 45 || (code >= 48 && code <= 57)) return parseNumber();
  if (code === 116) return parseLiteral('true', true);
  if (code === 102) return parseLiteral('false', false);
  if (code === 110) return parseLiteral('null', null);
  return failed;
}

function parseLiteral(word: string, value: boolean | null): Parsed {
  if (!source.startsWith(word, position)) return failed;
  position += word.length;
  return value;
}

function parseObject(): Parsed {
  if (--depthLeft < 0) {
    failure = 'nesting-too-deep';
    return failed;
  }
  position++;
  skipWhitespace();
  const result: WireObject = {};
  if (source.charCodeAt(position) === 125) {
    position++;
    depthLeft++;
    return result;
  }
  for (;;) {
    if (source.charCodeAt(position) !== 34) return failed;
    const key = parseKey();
    if (key === undefined) return failed;
    if (Object.hasOwn(result, key)) {
      failure = 'duplicate-key';
      return failed;
    }
    skipWhitespace();
    if (source.charCodeAt(position) !== 58) return failed;
    position++;
    skipWhitespace();
    const value = parseValue();
    if (value === failed) return failed;
    result[key] = value;
    skipWhitespace();
    const code = source.charCodeAt(position);
    position++;
    if (code === 44) {
      skipWhitespace();
      continue;
    }
    if (code === 125) {
      depthLeft++;
      return result;
    }
    position--;
    return failed;
  }
}

function parseArray(): Parsed {
  if (--depthLeft < 0) {
    failure = 'nesting-too-deep';
    return failed;
  }
  position++;
  skipWhitespace();
  const result: WireValue[] = [];
  if (source.charCodeAt(position) === 93) {
    position++;
    depthLeft++;
    return result;
  }
  for (;;) {
    const value = parseValue();
    if (value === failed) return failed;
    result.push(value);
    skipWhitespace();
    const code = source.charCodeAt(position);
    position++;
    if (code === 44) {
      skipWhitespace();
      continue;
    }
    if (code === 93) {
      depthLeft++;
      return result;
    }
    position--;
    return failed;
  }
}

/** Parses an object key, reusing a cached string instance for keys seen before. */
function parseKey(): string | undefined {
  const start = position + 1;
  let end = start;
  let code = source.charCodeAt(end);
  while (code !== 34) {
    // Escapes, control characters and the end of input all take the general path.
    if (code === 92 || code < 32 || Number.isNaN(code)) {
      const key = parseString();
      return key === failed ? undefined : checkKey(key as string);
    }
    code = source.charCodeAt(++end);
  }
  position = end + 1;
  const length = end - start;
  if (length === 0) return '';
  const slot = (source.charCodeAt(start) * 31 + source.charCodeAt(end - 1) + length * 7) & 511;
  const cached = keyCache[slot];
  if (cached !== undefined && cached.length === length && source.startsWith(cached, start)) return cached;
  const key = checkKey(source.slice(start, end));
  if (key !== undefined) keyCache[slot] = key;
  return key;
}

/** Rejects the keys that could reach a prototype if the object were ever merged elsewhere. */
function checkKey(key: string): string | undefined {
  if (
    (key.length === 9 && (key === '__proto__' || key === 'prototype')) ||
    (key.length === 11 && key === 'constructor')
  ) {
    failure = 'forbidden-key';
    return undefined;
  }
  return key;
}

function parseString(): Parsed {
  const start = position + 1;
  let end = start;
  for (;;) {
    const code = source.charCodeAt(end);
    if (code === 34) {
      position = end + 1;
      return source.slice(start, end);
    }
    if (code === 92) break;
    // Raw control characters are invalid inside JSON strings; NaN means end of input.
    if (code < 32 || Number.isNaN(code)) {
      position = end;
      return failed;
    }
    end++;
  }
  return parseEscapedString(start, end);
}

/** The slow path for strings with escapes; `end` is the first backslash. */
function parseEscapedString(start: number, end: number): Parsed {
  let result = source.slice(start, end);
  let index = end;
  let chunkStart = end;
  for (;;) {
    const code = source.charCodeAt(index);
    if (code === 34) {
      position = index + 1;
      return result + source.slice(chunkStart, index);
    }
    if (code < 32 || Number.isNaN(code)) {
      position = index;
      return failed;
    }
    if (code !== 92) {
      index++;
      continue;
    }
    result += source.slice(chunkStart, index);
    const escaped = source.charCodeAt(index + 1);
    switch (escaped) {
      case 34:
        result += '"';
        break;
      case 92:
        result += '\\';
        break;
      case 47:
        result += '/';
        break;
      case 98:
        result += '\b';
        break;
      case 102:
        result += '\f';
        break;
      case 110:
        result += '\n';
        break;
      case 114:
        result += '\r';
        break;
      case 116:
        result += '\t';
        break;
      case 117: {
        const unit = readHex4(index + 2);
        if (unit < 0) {
          position = index;
          return failed;
        }
        // Lone surrogates are kept as JSON.parse keeps them.
        result += String.fromCharCode(unit);
        index += 4;
        break;
      }
      default:
        position = index;
        return failed;
    }
    index += 2;
    chunkStart = index;
  }
}

function readHex4(at: number): number {
  let unit = 0;
  for (let i = 0; i < 4; i++) {
    const code = source.charCodeAt(at + i);
    let digit: number;
    if (code >= 48 && code <= 57) digit = code - 48;
    else if (code >= 97 && code <= 102) digit = code - 87;
    else if (code >= 65 && code <= 70) digit = code - 55;
    else return -1;
    unit = unit * 16 + digit;
  }
  return unit;
}

/** `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, kept as text. */
function parseNumber(): Parsed {
  const start = position;
  let index = position;
  let shape = 0;
  let code = source.charCodeAt(index);
  if (code === 45) {
    shape = negativeShape;
    code = source.charCodeAt(++index);
  }
  if (code === 48) {
    code = source.charCodeAt(++index);
  } else if (code >= 49 && code <= 57) {
    do code = source.charCodeAt(++index);
    while (code >= 48 && code <= 57);
  } else {
    position = index;
    return failed;
  }
  if (code === 46) {
    shape |= fractionShape;
    code = source.charCodeAt(++index);
    if (!(code >= 48 && code <= 57)) {
      position = index;
      return failed;
    }
    do code = source.charCodeAt(++index);
    while (code >= 48 && code <= 57);
  }
  if (code === 101 || code === 69) {
    shape |= exponentShape;
    code = source.charCodeAt(++index);
    if (code === 43 || code === 45) code = source.charCodeAt(++index);
    if (!(code >= 48 && code <= 57)) {
      position = index;
      return failed;
    }
    do code = source.charCodeAt(++index);
    while (code >= 48 && code <= 57);
  }
  position = index;
  return new WireNumber(source.slice(start, index), shape);
}
