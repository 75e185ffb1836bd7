import { createHash, createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';

/**
 * A minimal Kraken REST client for tests, with its own signer (independent of the sim's):
 * `API-Sign = base64(HMAC-SHA512(base64decode(secret), path ‖ SHA256(nonce ‖ body)))`.
 */
export function sign(path: string | Buffer, nonce: string, body: Buffer, secretB64: string): string {
  const digest = createHash('sha256')
    .update(Buffer.concat([Buffer.from(nonce), body]))
    .digest();
  return createHmac('sha512', Buffer.from(secretB64, 'base64'))
    .update(Buffer.concat([typeof path === 'string' ? Buffer.from(path) : path, digest]))
    .digest('base64');
}

/** Form encoding as careful clients do it: every reserved byte escaped, `+` as `%2B`. */
export function encodeForm(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Parsed JSON body, undefined when the body is not JSON. */
  json: { error: string[]; result?: unknown } | undefined;
}

/** One HTTP request with exactly these bytes (no re-encoding). */
export function rawRequest(
  baseUrl: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {},
): Promise<RawResponse> {
  const url = new URL(path, baseUrl);
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      {
        method: options.method ?? (body ? 'POST' : 'GET'),
        headers: { ...(body ? { 'content-length': String(body.length) } : {}), ...options.headers },
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: RawResponse['json'];
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

export interface RestCredentials {
  apiKey: string;
  apiSecret: string;
}

/** Signs and sends private calls for one key, with strictly increasing nonces. */
export class RestClient {
  #nonce = BigInt(Date.UTC(2026, 0, 1)) * 1000n;

  constructor(
    readonly baseUrl: string,
    readonly credentials: RestCredentials,
  ) {}

  nextNonce(): string {
    this.#nonce += 1n;
    return this.#nonce.toString();
  }

  /** A private call with a form body (`params` values as given) or a JSON body. */
  async call(
    method: string,
    params: Record<string, unknown> = {},
    options: { json?: boolean; nonce?: string } = {},
  ): Promise<RawResponse> {
    const path = `/0/private/${method}`;
    const nonce = options.nonce ?? this.nextNonce();
    const body = options.json
      ? JSON.stringify({ nonce, ...params })
      : encodeForm({ nonce, ...(params as Record<string, string>) });
    return this.send(path, nonce, Buffer.from(body), options.json ? 'application/json' : undefined);
  }

  /** Sends a body exactly as given, signed with `nonce` (and optionally a different signed path). */
  send(
    path: string,
    nonce: string,
    body: Buffer,
    contentType = 'application/x-www-form-urlencoded',
    signedPath: string | Buffer = path,
  ): Promise<RawResponse> {
    return rawRequest(this.baseUrl, path, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'api-key': this.credentials.apiKey,
        'api-sign': sign(signedPath, nonce, body, this.credentials.apiSecret),
      },
      body,
    });
  }

  /** The call's `result`, or a thrown error carrying Kraken's error strings. */
  async result<T = Record<string, unknown>>(
    method: string,
    params: Record<string, unknown> = {},
    options: { json?: boolean } = {},
  ): Promise<T> {
    const response = await this.call(method, params, options);
    if (!response.json || response.json.error.length > 0) {
      throw new Error(`${method}: ${response.status} ${response.text}`);
    }
    return response.json.result as T;
  }
}
