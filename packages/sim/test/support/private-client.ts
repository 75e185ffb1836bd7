import type { Sim } from '../../src/index.js';
import { SimClient } from './sim-client.js';

/** A private-endpoint client with a token for one account. */
export interface PrivateClient {
  client: SimClient;
  token: string;
  /** Sends a method with the token added; returns the req_id. */
  send(method: string, params?: Record<string, unknown>): number;
  /** Sends raw JSON text with `"token":"<token>"` spliced into `params` (to control number formats). */
  sendRaw(method: string, paramsJson: string, reqId: number): void;
  /** The next executions update (or snapshot), skipping everything else. */
  execution(predicate?: (report: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function connectPrivate(sim: Sim, accountId: string): Promise<PrivateClient> {
  const client = await SimClient.connect(sim.urls.privateWs);
  await client.next((message) => message.channel === 'status');
  const token = sim.control.issueToken(accountId);
  return {
    client,
    token,
    send: (method, params = {}) => client.request(method, { ...params, token }),
    sendRaw: (method, paramsJson, reqId) =>
      client.sendRaw(
        `{"method":"${method}","params":{${paramsJson}${paramsJson ? ',' : ''}"token":"${token}"},"req_id":${reqId}}`,
      ),
    execution: async (predicate = () => true) => {
      const message = await client.next(
        (frame) =>
          frame.channel === 'executions' &&
          Array.isArray(frame.data) &&
          (frame.data as Record<string, unknown>[]).some((report) => predicate(report)),
      );
      return (message.data as Record<string, unknown>[]).find((report) => predicate(report))!;
    },
    close: () => client.close(),
  };
}

/** Subscribes to executions and waits for the ack and the snapshot. */
export async function subscribeExecutions(
  session: PrivateClient,
  params: Record<string, unknown> = {},
): Promise<{ ack: Record<string, unknown>; snapshot: Record<string, unknown> }> {
  const reqId = session.send('subscribe', { channel: 'executions', ...params });
  const ack = await session.client.response(reqId);
  const snapshot = await session.client.next(
    (frame) => frame.channel === 'executions' && frame.type === 'snapshot',
  );
  return { ack, snapshot };
}
