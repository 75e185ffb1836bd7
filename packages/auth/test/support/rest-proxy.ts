import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy in front of the sim's REST API, for what the sim cannot do by itself:
 * record the WebSocket tokens it issues (canary scans look for them), hold an answer until
 * the test releases it (a slow GetWebSocketsToken), and run a hook when a token passes.
 * It forwards bytes unchanged, so signatures verify at the sim exactly as without it.
 */
export interface RestProxy {
  readonly url: string;
  /** Every token GetWebSocketsToken answered with, in order. */
  readonly tokens: string[];
  /** Every `API-Sign` header that passed (canary scans look for them too). */
  readonly signatures: string[];
  /** Requests per path. */
  readonly requests: Map<string, number>;
  /** Holds the next answer on `path` until the returned function is called. */
  hold(path: string): { held: Promise<void>; release: () => void };
  /** Called with each issued token before its answer is passed on. */
  onToken: ((token: string) => void) | undefined;
  close(): Promise<void>;
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

export async function startRestProxy(target: string): Promise<RestProxy> {
  const upstream = new URL(target);
  const holds = new Map<string, Array<{ gate: Promise<void>; arrived: () => void }>>();
  const proxy: RestProxy = {
    url: '',
    tokens: [],
    signatures: [],
    requests: new Map(),
    onToken: undefined,
    hold(path) {
      let arrived!: () => void;
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      holds.set(path, [...(holds.get(path) ?? []), { gate, arrived }]);
      return { held, release };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer(async (incoming, outgoing) => {
    const path = (incoming.url ?? '/').split('?')[0] ?? '/';
    proxy.requests.set(path, (proxy.requests.get(path) ?? 0) + 1);
    const signature = incoming.headers['api-sign'];
    if (typeof signature === 'string') proxy.signatures.push(signature);
    const body = await readAll(incoming);
    const answer = await new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>(
      (resolve, reject) => {
        const forwarded = httpRequest(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: incoming.method,
            path: incoming.url,
            headers: incoming.headers,
          },
          async (response) =>
            resolve({
              status: response.statusCode ?? 502,
              headers: response.headers,
              body: await readAll(response),
            }),
        );
        forwarded.on('error', reject);
        forwarded.end(body);
      },
    ).catch(() => undefined);
    if (!answer) {
      outgoing.destroy();
      return;
    }
    if (path.endsWith('/GetWebSocketsToken')) {
      const token = (JSON.parse(answer.body.toString('utf8')) as { result?: { token?: string } }).result
        ?.token;
      if (token !== undefined) {
        proxy.tokens.push(token);
        proxy.onToken?.(token);
      }
    }
    const hold = holds.get(path)?.shift();
    if (hold) {
      hold.arrived();
      await hold.gate;
    }
    outgoing.writeHead(answer.status, answer.headers);
    outgoing.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(proxy, { url: `http://127.0.0.1:${port}` });
}
