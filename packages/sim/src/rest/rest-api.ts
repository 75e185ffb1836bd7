import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimContext } from '../sim-context.js';
import { krakenErrors } from '../sim-errors.js';
import type { CreateRestApi, PublicRestApi, RestApi, SimAuth } from '../sim-modules.js';
import { readBody } from './rest-body.js';
import { sendError, sendHttpError } from './rest-envelope.js';
import { decideRestFault } from './rest-faults.js';
import type { PrivateMethod } from './rest-handler.js';
import { privateMethods } from './rest-private.js';
import { servePrivate, servePublic } from './rest-serve.js';

const routePattern = /^\/0\/(public|private)\/([^/]+)$/;

/**
 * The REST API on the public endpoint (`/0/...`, PROTOCOL §1.2, §2, §3):
 *
 * - `/0/public/<Method>`: GET with a query string (POST with a body works too) → the market's
 *   public handlers.
 * - `/0/private/<Method>`: POST only (other HTTP methods: 405), signed, form or JSON body →
 *   the private handlers, after {@link SimAuth.authorizeRest}.
 * - An unknown method (either kind, case-sensitive) gets `EGeneral:Unknown method` with HTTP
 *   404, as Kraken answers, before any authentication; other paths a plain 404.
 * - Every API outcome is `{"error":[...],"result":...}` with HTTP 200; malformed bodies get
 *   `EGeneral:Invalid arguments`; bodies over 64 KiB a 413 from the "CDN".
 * - REST faults: `rest-http-error` (raw status, HTML body), `rest-error` (a Kraken error,
 *   e.g. `EService:Unavailable`), `rest-lag` (private reads see the account `lagMs` ago).
 *
 * Nothing a client sends can throw out of here: a sim bug is reported through
 * `context.reportError` and answered with `EGeneral:Internal error`.
 */
export const createRestApi: CreateRestApi = (context, { auth, exchange, publicApi }): RestApi => {
  const deps = {
    context,
    format: { catalog: context.catalog, clock: context.clock },
    exchange,
    tokens: auth.tokens,
    publicApi,
  };
  const methods = privateMethods(deps);
  const serve = (request: IncomingMessage, response: ServerResponse) =>
    handleRequest(context, { auth, publicApi, methods }, request, response);
  return {
    handle: (request, response) => {
      serve(request, response).catch((error: unknown) => {
        context.stats.count('rest.handler_errors');
        context.reportError(error);
        sendError(response, krakenErrors.internalError);
      });
    },
  };
};

interface Routes {
  auth: SimAuth;
  publicApi: PublicRestApi;
  methods: ReadonlyMap<string, PrivateMethod>;
}

async function handleRequest(
  context: SimContext,
  routes: Routes,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const { stats } = context;
  stats.count('rest.requests');
  const url = request.url ?? '/';
  const queryAt = url.indexOf('?');
  const path = queryAt < 0 ? url : url.slice(0, queryAt);
  const query = queryAt < 0 ? '' : url.slice(queryAt + 1);

  const body = await readBody(request);
  if (body.kind === 'aborted') {
    stats.count('rest.aborted');
    return;
  }
  if (body.kind === 'too-large') {
    stats.count('rest.body_too_large');
    sendHttpError(response, 413, { close: true });
    response.once('finish', () => request.socket.destroy());
    return;
  }

  const fault = decideRestFault(context.faults, path);
  if (fault.kind === 'http-error') {
    stats.count('faults.rest_http_error');
    sendHttpError(response, fault.status);
    return;
  }
  if (fault.kind === 'kraken-error') {
    stats.count('faults.rest_error');
    sendError(response, fault.error);
    return;
  }

  const route = routePattern.exec(path);
  if (!route) {
    stats.count('rest.not_found');
    sendHttpError(response, 404);
    return;
  }
  const kind = route[1];
  const name = route[2] ?? '';
  const publicHandler =
    kind === 'public' && Object.hasOwn(routes.publicApi, name) ? routes.publicApi[name] : undefined;
  const privateMethod = kind === 'private' ? routes.methods.get(name) : undefined;
  if (!publicHandler && !privateMethod) {
    stats.count('rest.unknown_method');
    sendError(response, krakenErrors.unknownMethod, 404);
    return;
  }
  const allowed = kind === 'public' ? ['GET', 'POST'] : ['POST'];
  if (!allowed.includes(request.method ?? '')) {
    stats.count('rest.method_not_allowed');
    sendHttpError(response, 405, { headers: { allow: allowed.join(', ') } });
    return;
  }

  if (publicHandler) servePublic(context, publicHandler, body.bytes, query, request, response);
  else if (privateMethod) {
    servePrivate(context, routes.auth, name, privateMethod, path, body.bytes, request, response);
  }
}
