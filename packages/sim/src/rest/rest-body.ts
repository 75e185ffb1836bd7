import type { IncomingMessage } from 'node:http';
import { isLosslessNumber } from 'lossless-json';
import { parseClientFrame } from '../sim-wire.js';
import { parseForm } from './rest-form.js';
import { emptyParams, type ParamMap, type ParamValue } from './rest-params.js';

/**
 * Largest request body the sim reads (sim choice; Kraken publishes none). A 15-order
 * AddOrderBatch is a few kilobytes; anything near this limit is a client bug.
 */
export const maxBodyBytes = 64 * 1024;

/** The outcome of reading a request body. */
export type BodyRead =
  | { kind: 'ok'; bytes: Buffer }
  | { kind: 'too-large' }
  /** The client went away mid-body: nobody to answer. */
  | { kind: 'aborted' };

/** Reads the whole body as raw bytes (the signature is over them), up to {@link maxBodyBytes}. */
export function readBody(request: IncomingMessage, limit = maxBodyBytes): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyRead) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    request.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        settle({ kind: 'too-large' });
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => settle({ kind: 'ok', bytes: Buffer.concat(chunks) }));
    request.on('error', () => settle({ kind: 'aborted' }));
    request.on('close', () => settle({ kind: 'aborted' }));
  });
}

/** A parsed body, or why it is malformed. */
export type ParsedBody = { ok: true; params: ParamMap } | { ok: false; reason: string };

function isJson(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type.endsWith('+json');
}

/**
 * Parses a body by its content type: `application/json` as JSON (losslessly: a number keeps
 * its digits, so `"price":37500` reads `37500`), anything else (including no content type,
 * as some clients send) as form encoding. `multipart/form-data` is refused.
 */
export function parseBody(bytes: Buffer, contentType: string | undefined): ParsedBody {
  if (bytes.length === 0) return { ok: true, params: emptyParams() };
  if ((contentType ?? '').trim().toLowerCase().startsWith('multipart/')) {
    return { ok: false, reason: 'multipart bodies are not supported' };
  }
  if (isJson(contentType)) {
    const parsed = parseClientFrame(bytes.toString('utf8'));
    if (!parsed.ok) return { ok: false, reason: 'malformed JSON' };
    const params = jsonParams(parsed.value);
    return params
      ? { ok: true, params }
      : { ok: false, reason: 'JSON body must be an object of at most 8 levels' };
  }
  const parsed = parseForm(bytes.toString('utf8'));
  return parsed.ok ? { ok: true, params: parsed.params } : { ok: false, reason: parsed.reason };
}

/**
 * The body's `nonce` exactly as the client wrote it, for the signature (PROTOCOL §2.2: the
 * signed prefix is the nonce's decimal text): the first `nonce` form field (decoded), or a
 * JSON body's top-level `nonce` string or number digits. Found even when the rest of the
 * body is malformed, so a corrupted body is judged by its signature first.
 */
export function extractNonce(bytes: Buffer, contentType: string | undefined): string | undefined {
  const text = bytes.toString('utf8');
  if (isJson(contentType)) {
    const parsed = parseClientFrame(text);
    if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) return undefined;
    const nonce = Object.hasOwn(parsed.value, 'nonce')
      ? (parsed.value as Record<string, unknown>).nonce
      : undefined;
    if (typeof nonce === 'string') return nonce;
    return isLosslessNumber(nonce) ? nonce.value : undefined;
  }
  for (const field of text.split('&')) {
    const equals = field.indexOf('=');
    if (equals < 0 || lenientDecode(field.slice(0, equals)) !== 'nonce') continue;
    return lenientDecode(field.slice(equals + 1));
  }
  return undefined;
}

function lenientDecode(text: string): string {
  const spaced = text.replaceAll('+', ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

const maxJsonDepth = 8;

/** Thrown inside {@link fromJson} for nesting deeper than any Kraken call uses. */
class TooDeep extends Error {}

/** JSON → parameter shape; `null` members are dropped (like an absent parameter). */
function fromJson(value: unknown, depth: number): ParamValue | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (isLosslessNumber(value)) return value.value;
  if (value === null || typeof value !== 'object') return undefined;
  if (depth > maxJsonDepth) throw new TooDeep();
  if (Array.isArray(value)) {
    const list: ParamValue[] = [];
    for (const item of value) {
      const converted = fromJson(item, depth + 1);
      if (converted !== undefined) list.push(converted);
    }
    return list;
  }
  const map = emptyParams();
  for (const [key, member] of Object.entries(value)) {
    const converted = fromJson(member, depth + 1);
    if (converted !== undefined) map[key] = converted;
  }
  return map;
}

function jsonParams(value: unknown): ParamMap | undefined {
  try {
    const converted = fromJson(value, 0);
    return converted !== undefined && typeof converted === 'object' && !Array.isArray(converted)
      ? converted
      : undefined;
  } catch (error) {
    if (error instanceof TooDeep) return undefined;
    throw error;
  }
}
