import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { Sim } from './sim.js';

const statusBody = z
  .object({ status: z.enum(['online', 'maintenance', 'cancel_only', 'post_only']) })
  .strict();
const faultBody = z
  .object({
    fault: z.object({ kind: z.string() }).passthrough(),
    schedule: z
      .object({
        afterMessages: z.number().int().min(0).optional(),
        at: z.number().optional(),
        count: z.number().min(1).optional(),
        durationMs: z.number().min(0).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
const balanceBody = z
  .object({ asset: z.string().min(1), amount: z.string().regex(/^-?\d+(\.\d+)?$/) })
  .strict();
const clockBody = z.object({ offsetMs: z.number() }).strict();

/**
 * The sim's control API over HTTP (JSON), for the CLI: what tests do through
 * `sim.control`, available to bots and tools in other processes. Loopback only.
 *
 *   GET    /state                  status, connections, faults, stats
 *   POST   /status                 {"status":"cancel_only"}
 *   POST   /faults                 {"fault":{"kind":"drop-connection","mode":"reset"},"schedule":{"afterMessages":10}}
 *   DELETE /faults[/<id>]
 *   GET    /balances/<account>     POST /balances/<account> {"asset":"USD","amount":"1000"}
 *   POST   /clock                  {"offsetMs":5000}
 *   POST   /tokens/<account>       a WebSocket token for the account
 */
export async function startControlServer(
  sim: Sim,
  options: { host?: string; port?: number } = {},
): Promise<{
  url: string;
  close(): Promise<void>;
}> {
  const server: Server = createServer((request, response) => {
    handle(sim, request, response).catch((error: unknown) => {
      send(response, 500, { error: error instanceof Error ? error.message : String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(sim: Sim, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const { control } = sim;
  const url = new URL(request.url ?? '/', 'http://control');
  const parts = url.pathname.split('/').filter(Boolean);
  const route = `${request.method} /${parts[0] ?? ''}`;
  const body = request.method === 'POST' ? await readJson(request) : undefined;
  switch (route) {
    case 'GET /state':
      return send(response, 200, {
        status: control.status,
        connections: control.connections(),
        faults: control.faults(),
        stats: control.stats(),
      });
    case 'POST /status': {
      const parsed = statusBody.safeParse(body);
      if (!parsed.success) return invalid(response, parsed.error);
      control.setStatus(parsed.data.status);
      return send(response, 200, { status: control.status });
    }
    case 'POST /faults': {
      const parsed = faultBody.safeParse(body);
      if (!parsed.success) return invalid(response, parsed.error);
      const id = control.inject(parsed.data.fault as never, parsed.data.schedule as never);
      return send(response, 200, { id });
    }
    case 'DELETE /faults':
      control.clearFaults(parts[1]);
      return send(response, 200, { faults: control.faults() });
    case 'GET /balances':
      return send(response, 200, control.balances(parts[1] ?? ''));
    case 'POST /balances': {
      const parsed = balanceBody.safeParse(body);
      if (!parsed.success) return invalid(response, parsed.error);
      control.adjustBalance(parts[1] ?? '', parsed.data.asset, parsed.data.amount);
      return send(response, 200, control.balances(parts[1] ?? ''));
    }
    case 'POST /clock': {
      const parsed = clockBody.safeParse(body);
      if (!parsed.success) return invalid(response, parsed.error);
      control.setClockOffset(parsed.data.offsetMs);
      return send(response, 200, { offsetMs: parsed.data.offsetMs });
    }
    case 'POST /tokens':
      return send(response, 200, { token: control.issueToken(parts[1] ?? '') });
    default:
      return send(response, 404, { error: `no route ${route}` });
  }
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text.length === 0 ? {} : JSON.parse(text);
}

function invalid(response: ServerResponse, error: z.ZodError): void {
  send(response, 400, {
    error: error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
