import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on loopback between a client and the sim, for link tests in real time:
 * `bandwidth` limits the bytes per second from the server to the client (Toxiproxy's
 * `bandwidth` toxic); `slicer` cuts every chunk into 1–7-byte writes, one per turn, with
 * Nagle off, so frames arrive fragmented (Toxiproxy's `slicer`).
 */
export class ThrottleProxy {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly target: { host: string; port: number },
    private readonly bytesPerSecond: number,
    private readonly mode: 'bandwidth' | 'slicer' = 'bandwidth',
  ) {
    this.#server = createServer((client) => this.#pipe(client));
  }

  static async start(
    targetUrl: string,
    bytesPerSecond: number,
    mode: 'bandwidth' | 'slicer' = 'bandwidth',
  ): Promise<ThrottleProxy> {
    const url = new URL(targetUrl);
    const proxy = new ThrottleProxy({ host: url.hostname, port: Number(url.port) }, bytesPerSecond, mode);
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
    if (this.mode === 'slicer') {
      client.setNoDelay(true);
      let sending = Promise.resolve();
      upstream.on('data', (chunk: Buffer) => {
        sending = sending.then(async () => {
          for (let offset = 0; offset < chunk.length; ) {
            const size = 1 + ((offset * 7919 + chunk.length) % 7);
            client.write(chunk.subarray(offset, offset + size));
            offset += size;
            await new Promise((resolve) => setImmediate(resolve));
          }
        });
      });
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
      return;
    }
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
