import { KrakenkitError, type Logger } from '@krakenkit/plugin-api';
import { KrakenApiError } from './kraken-error.js';
import { WireNumber } from './wire-number.js';
import { parseWireFrame, type WireValue } from './wire-parser.js';

/** A REST result as plain JSON, with every JSON number kept as its exact decimal text. */
export type RestValue = string | boolean | null | RestValue[] | { [key: string]: RestValue };

export interface HttpClientOptions {
  /** e.g. `https://api.kraken.com` (or the sim's REST URL). */
  baseUrl: string;
  timeoutMs: number;
  userAgent: string;
  logger: Logger;
  /** Responses larger than this are refused. Default 16 MiB. */
  maxResponseBytes?: number;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  /** `/0/public/Time`, `/0/private/Balance`. */
  path: string;
  query?: Readonly<Record<string, string>>;
  /** Sent exactly as given (signed bodies must be byte-identical). */
  body?: string;
  headers?: Readonly<Record<string, string>>;
  timeoutMs?: number;
  /** Abandons the request (e.g. on shutdown); the outcome is then unknown for state-changing calls. */
  signal?: AbortSignal;
}

export interface HttpResult {
  result: RestValue;
  /** Kraken warnings (`W...`) that came with a valid result. */
  warnings: string[];
}

/**
 * The request failed below Kraken's API. `sent: false` means it provably never reached
 * the server (connection refused, DNS); `'unknown'` means it may have (timeout, reset),
 * so a state-changing call must be reconciled, not repeated.
 */
export class HttpTransportError extends KrakenkitError {
  constructor(
    readonly path: string,
    readonly sent: false | 'unknown',
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      sent === false ? 'HTTP_NOT_SENT' : 'HTTP_OUTCOME_UNKNOWN',
      `${path}: ${reason}${sent === false ? ' (the request was not sent)' : ' (the request may have reached Kraken)'}`,
      options,
    );
  }
}

/** A non-200 answer (Cloudflare, maintenance pages): Kraken's API did not answer properly. */
export class HttpStatusError extends KrakenkitError {
  constructor(
    readonly path: string,
    readonly status: number,
  ) {
    super(
      'HTTP_STATUS',
      `${path}: HTTP ${status}${status >= 500 || status === 429 ? ' (retry reads later; reconcile state-changing calls)' : ''}`,
    );
  }

  get retryable(): boolean {
    return this.status >= 500 || this.status === 429;
  }
}

/** A 200 answer that is not a Kraken envelope. */
export class HttpResponseError extends KrakenkitError {
  constructor(path: string, problem: string) {
    super('HTTP_BAD_RESPONSE', `${path}: ${problem}`);
  }
}

const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * A small HTTP client for Kraken REST: keep-alive (Node's fetch pools connections),
 * timeouts, Kraken's `{error, result}` envelope mapped to typed errors in one place, and
 * exact numbers. Errors are built from a whitelist (method, path, status, Kraken text),
 * never from headers or bodies, so signed requests cannot leak keys through them.
 */
export class KrakenHttpClient {
  readonly #options: HttpClientOptions;
  readonly #maxResponseBytes: number;

  constructor(options: HttpClientOptions) {
    this.#options = options;
    this.#maxResponseBytes = options.maxResponseBytes ?? 16 << 20;
  }

  get baseUrl(): string {
    return this.#options.baseUrl;
  }

  /** `GET /0/public/<method>`. */
  async public(method: string, query?: Readonly<Record<string, string>>): Promise<RestValue> {
    const request: HttpRequest = { method: 'GET', path: `/0/public/${method}` };
    return (await this.send(query ? { ...request, query } : request)).result;
  }

  /** Sends a request and unwraps Kraken's envelope; throws the typed errors above or `KrakenApiError`. */
  async send(request: HttpRequest): Promise<HttpResult> {
    const url = new URL(request.path, this.#options.baseUrl);
    for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
    const started = performance.now();
    let response: Response;
    try {
      response = await fetch(url, {
        method: request.method,
        headers: { 'user-agent': this.#options.userAgent, ...request.headers },
        ...(request.body === undefined ? {} : { body: request.body }),
        signal: request.signal
          ? AbortSignal.any([
              request.signal,
              AbortSignal.timeout(request.timeoutMs ?? this.#options.timeoutMs),
            ])
          : AbortSignal.timeout(request.timeoutMs ?? this.#options.timeoutMs),
      });
    } catch (error) {
      throw this.#transportError(request.path, error);
    }
    let text: string;
    try {
      text = await readBounded(response, this.#maxResponseBytes);
    } catch (error) {
      throw error instanceof HttpResponseError
        ? error
        : new HttpTransportError(request.path, 'unknown', 'the response was cut off', { cause: error });
    }
    this.#options.logger.debug(
      {
        method: request.method,
        path: request.path,
        status: response.status,
        ms: Math.round(performance.now() - started),
      },
      'rest call',
    );
    if (response.status !== 200) throw new HttpStatusError(request.path, response.status);
    return unwrapEnvelope(request.path, text);
  }

  #transportError(path: string, error: unknown): HttpTransportError {
    const cause = (error as { cause?: { code?: string } } | undefined)?.cause;
    if (error instanceof DOMException && error.name === 'TimeoutError') {
      return new HttpTransportError(path, 'unknown', 'timed out', { cause: error });
    }
    if (error instanceof DOMException && error.name === 'AbortError') {
      return new HttpTransportError(path, 'unknown', 'aborted', { cause: error });
    }
    if (cause?.code !== undefined && notSentCodes.has(cause.code)) {
      return new HttpTransportError(path, false, `could not connect (${cause.code})`, { cause: error });
    }
    return new HttpTransportError(path, 'unknown', `connection failed (${cause?.code ?? 'network error'})`, {
      cause: error,
    });
  }
}

async function readBounded(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > limit)
    throw new HttpResponseError(new URL(response.url).pathname, `response larger than ${limit} bytes`);
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new HttpResponseError(new URL(response.url).pathname, `response larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Kraken's REST envelope: `{"error": [...], "result": ...}`; success iff no `E...` error. */
export function unwrapEnvelope(path: string, text: string): HttpResult {
  const parsed = parseWireFrame(text);
  if (!parsed.ok) throw new HttpResponseError(path, `not JSON (${parsed.reason})`);
  const raw = parsed.value;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || raw instanceof WireNumber) {
    throw new HttpResponseError(path, 'not a Kraken envelope');
  }
  // Check types on the parsed value: converting first would turn a numeric error into text.
  const rawErrors = (raw as Record<string, WireValue>).error;
  if (!Array.isArray(rawErrors) || !rawErrors.every((entry) => typeof entry === 'string')) {
    throw new HttpResponseError(path, 'envelope without an error array');
  }
  const envelope = toRestValue(raw) as Record<string, RestValue>;
  const errors = rawErrors as string[];
  const failures = errors.filter((entry) => !entry.startsWith('W'));
  if (failures.length > 0) throw new KrakenApiError(failures[0] ?? '', path);
  const warnings = errors.filter((entry) => entry.startsWith('W'));
  if (!('result' in envelope)) throw new HttpResponseError(path, 'envelope without a result');
  return { result: envelope.result ?? null, warnings };
}

/** Converts parsed wire values to plain JSON values, numbers as their exact text. */
export function toRestValue(value: WireValue): RestValue {
  if (value instanceof WireNumber) return value.text;
  if (Array.isArray(value)) return value.map(toRestValue);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, RestValue> = Object.create(null);
    for (const [key, entry] of Object.entries(value)) out[key] = toRestValue(entry as WireValue);
    return out;
  }
  return value;
}
