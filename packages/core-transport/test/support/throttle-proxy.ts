import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on loopback that limits the bandwidth from the server to the client
 * (Toxiproxy's `bandwidth` toxic), for slow-link tests. Real time.
 */
export class ThrottleProxy {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly target: { host: string; port: number },
    private readonly bytesPerSecond: number,
  ) {
    this.#server = createServer((client) => this.#pipe(client));
  }

  static async start(targetUrl: string, bytesPerSecond: number): Promise<ThrottleProxy> {
    const url = new URL(targetUrl);
    const proxy = new ThrottleProxy({ host: url.hostname, port: Number(url.port) }, bytesPerSecond);
    await new Promise<void>((resolve) => proxy.#server.listen(0, '127.0.0.1', resolve));
    proxy.port = (proxy.#server.address() as { port: number }).port;
    return proxy;
  }

  /** The target URL with host and port replaced by the proxy's. */
  url(targetUrl: string): string {
    const url = new URL(targetUrl);
    url.host = `127.0.0.1:${this.port}`;
    return url.toString();
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #pipe(client: Socket): void {
    const upstream = connect(this.target.port, this.target.host);
    this.#sockets.add(client).add(upstream);
    client.pipe(upstream);
    const queue: Buffer[] = [];
    const slice = Math.max(1, Math.floor(this.bytesPerSecond / 20)); // 20 slices a second
    const timer = setInterval(() => {
      let budget = slice;
      while (budget > 0 && queue.length > 0) {
        const head = queue[0] as Buffer;
        const part = head.subarray(0, budget);
        client.write(part);
        budget -= part.length;
        if (part.length === head.length) queue.shift();
        else queue[0] = head.subarray(part.length);
      }
    }, 50);
    upstream.on('data', (chunk: Buffer) => queue.push(chunk));
    const end = () => {
      clearInterval(timer);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  }
}
