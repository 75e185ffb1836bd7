import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimContext } from '../sim-context.js';
import { krakenErrors } from '../sim-errors.js';
import type { PublicRestApi, SimAuth } from '../sim-modules.js';
import type { CommandResult } from '../sim-types.js';
import { extractNonce, parseBody } from './rest-body.js';
import { sendEnvelope, sendError } from './rest-envelope.js';
import { restLagMs } from './rest-faults.js';
import { parseForm } from './rest-form.js';
import type { PrivateMethod } from './rest-handler.js';
import { type ParamMap, Params, RestParamError } from './rest-params.js';

/** Answers a handler's outcome: result (with any warnings in `error`) or the Kraken error. */
function sendResult(response: ServerResponse, result: CommandResult<unknown>): void {
  if (result.ok) sendEnvelope(response, { error: result.warnings ?? [], result: result.value });
  else sendError(response, result.error);
}

/** Runs a handler: parameter errors become Kraken errors, anything else a reported sim bug. */
function runHandler(context: SimContext, run: () => CommandResult<unknown>): CommandResult<unknown> {
  try {
    const result = run();
    if (!result.ok) context.stats.count('rest.api_errors');
    return result;
  } catch (error) {
    if (error instanceof RestParamError) {
      context.stats.count('rest.invalid_arguments');
      return { ok: false, error: error.krakenError };
    }
    context.stats.count('rest.handler_errors');
    context.reportError(error);
    return { ok: false, error: krakenErrors.internalError };
  }
}

/** Public methods take flat string parameters: the query string, plus the body's for POSTs. */
function publicParams(query: string, body: ParamMap | undefined): Record<string, string> | undefined {
  const parsed = parseForm(query);
  if (!parsed.ok) return undefined;
  const params: Record<string, string> = Object.create(null);
  for (const source of [parsed.params, body ?? {}]) {
    for (const [key, value] of Object.entries(source)) if (typeof value === 'string') params[key] = value;
  }
  return params;
}

/** One value of a header that must appear once. */
function headerText(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A public call: parameters from the query string (and a POST body), then the market's handler. */
export function servePublic(
  context: SimContext,
  handler: PublicRestApi[string],
  body: Buffer,
  query: string,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  context.stats.count('rest.public');
  const parsed = parseBody(body, request.headers['content-type']);
  const params = parsed.ok
    ? publicParams(query, request.method === 'POST' ? parsed.params : undefined)
    : undefined;
  if (!params) {
    context.stats.count('rest.malformed_body');
    sendError(response, krakenErrors.invalidArguments);
    return;
  }
  sendResult(
    response,
    runHandler(context, () => handler(params)),
  );
}

/**
 * A private call: authentication first, over the raw bytes (the signature covers them, so
 * even a malformed body is judged by its signature), then strict body parsing, then the
 * handler; account reads see the state `lagMs` ago while a `rest-lag` fault lasts.
 */
export function servePrivate(
  context: SimContext,
  auth: SimAuth,
  name: string,
  method: PrivateMethod,
  path: string,
  body: Buffer,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  context.stats.count('rest.private');
  const contentType = request.headers['content-type'];
  const authorized = auth.authorizeRest({
    method: name,
    path,
    apiKey: headerText(request.headers['api-key']),
    apiSign: headerText(request.headers['api-sign']),
    nonce: extractNonce(body, contentType),
    body,
    remoteAddress: request.socket.remoteAddress ?? 'unknown',
  });
  if (!authorized.ok) {
    sendError(response, authorized.error);
    return;
  }
  const parsed = parseBody(body, contentType);
  if (!parsed.ok) {
    context.stats.count('rest.malformed_body');
    sendError(response, krakenErrors.invalidArguments);
    return;
  }
  const now = context.clock.now();
  const lag = method.reads ? restLagMs(context.faults) : 0;
  const call = {
    accountId: authorized.accountId,
    params: new Params(parsed.params),
    now,
    asOf: lag > 0 ? now - lag : undefined,
  };
  sendResult(
    response,
    runHandler(context, () => method.handle(call)),
  );
}
