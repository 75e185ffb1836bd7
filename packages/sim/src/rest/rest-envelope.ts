import type { ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { encodeFrame } from '../sim-wire.js';

/**
 * Kraken's REST envelope: HTTP 200 with `{"error":[...],"result":...}` for success and for
 * API errors alike (PROTOCOL §2.5). `result` is left out on errors; warnings (`W...`) travel
 * in `error` next to a result. Values may contain {@link RawNumber}s.
 */
export function sendEnvelope(
  response: ServerResponse,
  body: { error: readonly string[]; result?: unknown },
  status = 200,
): void {
  const text = encodeFrame(body.result === undefined ? { error: body.error } : body);
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-cache, no-store',
  });
  response.end(text);
}

/** The envelope with one Kraken error and no result. */
export function sendError(response: ServerResponse, error: string, status = 200): void {
  sendEnvelope(response, { error: [error] }, status);
}

/**
 * A response that did not come from Kraken's API: what a CDN or proxy in front of it sends
 * (the `rest-http-error` fault, oversized bodies, wrong HTTP methods). An HTML page like
 * Cloudflare's, never Kraken's JSON envelope.
 */
export function sendHttpError(
  response: ServerResponse,
  status: number,
  options: { close?: boolean; headers?: Record<string, string> } = {},
): void {
  if (response.headersSent || response.destroyed) return;
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  const text = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n`;
  response.writeHead(status, {
    'content-type': 'text/html',
    'content-length': Buffer.byteLength(text),
    ...(options.close ? { connection: 'close' } : {}),
    ...options.headers,
  });
  response.end(text);
}
