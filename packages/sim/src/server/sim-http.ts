import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import type { SimContext } from '../sim-context.js';
import type { SimConnections } from '../ws/sim-connections.js';
import { type SessionHandler, SimSession } from '../ws/sim-session.js';
import type { ConnectionBudget } from './connection-budget.js';

export interface EndpointServerOptions {
  context: SimContext;
  endpoint: 'public' | 'private';
  handler: SessionHandler;
  connections: SimConnections;
  budget: ConnectionBudget;
  /** REST requests (public endpoint only). */
  rest?: (request: IncomingMessage, response: ServerResponse) => void;
}

/** One HTTP server: WebSocket upgrades on `/v2`, REST on `/0/...` when given. */
export class EndpointServer {
  readonly #server: Server;
  readonly #wss: WebSocketServer;
  readonly #sockets = new Set<Socket>();

  constructor(private readonly options: EndpointServerOptions) {
    const { context } = options;
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: context.limits.maxInboundFrameBytes,
      autoPong: false,
      perMessageDeflate: false,
    });
    this.#server = createServer((request, response) => {
      if (options.rest && request.url?.startsWith('/0/')) {
        options.rest(request, response);
        return;
      }
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    });
    this.#server.keepAliveTimeout = 65_000;
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    this.#server.on('upgrade', (request, socket, head) => this.#upgrade(request, socket as Socket, head));
  }

  async listen(host: string, port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    return (this.#server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.#wss.close();
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #upgrade(request: IncomingMessage, socket: Socket, head: Buffer): void {
    const { context, budget, connections, endpoint, handler } = this.options;
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/v2') {
      context.stats.count('ws.upgrade_not_found');
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    if (!budget.admit(request.socket.remoteAddress ?? 'unknown')) {
      socket.end('HTTP/1.1 429 Too Many Requests\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      const session = new SimSession({
        id: connections.nextId(endpoint),
        endpoint,
        context,
        socket: ws,
        rawSocket: socket,
        request,
        handler: {
          onRequest: (current, clientRequest) => handler.onRequest(current, clientRequest),
          onClose: (current) => {
            connections.remove(current);
            handler.onClose?.(current);
          },
        },
      });
      connections.add(session);
    });
  }
}
