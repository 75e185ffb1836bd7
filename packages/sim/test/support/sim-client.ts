import WebSocket from 'ws';

/**
 * A minimal WebSocket test client: collects every frame and waits for the next one that
 * matches (event-driven, no sleeps).
 */
export class SimClient {
  readonly messages: unknown[] = [];
  readonly raw: string[] = [];
  readonly socket: WebSocket;
  #cursor = 0;
  #waiters: Array<() => void> = [];
  #reqId = 1;

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data) => {
      const text = String(data);
      this.raw.push(text);
      try {
        this.messages.push(JSON.parse(text));
      } catch {
        this.messages.push(undefined);
      }
      for (const wake of this.#waiters.splice(0)) wake();
    });
    socket.on('close', () => {
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  static async connect(url: string): Promise<SimClient> {
    const socket = new WebSocket(url);
    const client = new SimClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  /** Sends a request with a fresh req_id (unless given) and returns the req_id. */
  request(method: string, params?: Record<string, unknown>, reqId = this.#reqId++): number {
    this.socket.send(JSON.stringify({ method, ...(params ? { params } : {}), req_id: reqId }));
    return reqId;
  }

  sendRaw(text: string): void {
    this.socket.send(text);
  }

  /** The next message (after those already consumed) that satisfies `predicate`. */
  async next<T = Record<string, unknown>>(
    predicate: (message: Record<string, unknown>) => boolean = () => true,
    timeoutMs = 5_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.#cursor < this.messages.length) {
        const message = this.messages[this.#cursor++] as Record<string, unknown>;
        if (message && predicate(message)) return message as T;
      }
      if (this.socket.readyState === WebSocket.CLOSED) throw new Error('socket closed while waiting');
      const remaining = deadline - Date.now();
      if (remaining <= 0)
        throw new Error(`timed out waiting for a message (${this.messages.length} received)`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The response(s) to a request id. */
  response(reqId: number, timeoutMs?: number): Promise<Record<string, unknown>> {
    return this.next((message) => message.req_id === reqId, timeoutMs);
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}
