import { createServer } from 'node:net';
import { createCapturingLogger } from '@krakenkit/host/testing';
import { describe, expect, it } from 'vitest';
import { HttpResponseError, HttpTransportError, KrakenHttpClient, unwrapEnvelope } from './http-client.js';
import { KrakenApiError } from './kraken-error.js';

describe('unwrapEnvelope', () => {
  it('returns the result with exact numbers and keeps warnings', () => {
    const { result, warnings } = unwrapEnvelope(
      '/0/private/BalanceEx',
      '{"error":["WGeneral:Deprecated"],"result":{"ZUSD":{"balance":0.5660,"hold_trade":"12.10"},"expires":900,"big":13834774380200032777}}',
    );
    expect(result).toEqual({
      ZUSD: { balance: '0.5660', hold_trade: '12.10' },
      expires: '900',
      big: '13834774380200032777',
    });
    expect(warnings).toEqual(['WGeneral:Deprecated']);
  });

  it('maps Kraken errors to typed errors and refuses non-envelopes', () => {
    expect(() => unwrapEnvelope('/0/private/AddOrder', '{"error":["EOrder:Insufficient funds"]}')).toThrow(
      KrakenApiError,
    );
    const error = (() => {
      try {
        unwrapEnvelope('/0/private/AddOrder', '{"error":["EService:Unavailable"]}');
      } catch (caught) {
        return caught as KrakenApiError;
      }
    })();
    expect(error).toMatchObject({
      kind: 'service-unavailable',
      outcomeUnknown: true,
      krakenError: 'EService:Unavailable',
    });
    for (const body of ['<html>502</html>', '[]', '{"result":1}', '{"error":[1]}', '{"error":[]}']) {
      expect(() => unwrapEnvelope('/0/public/Time', body)).toThrow(HttpResponseError);
    }
  });

  it('refuses responses with __proto__ keys (the parser rejects them before any object is built)', () => {
    expect(() => unwrapEnvelope('/x', '{"error":[],"result":{"__proto__":{"polluted":"yes"}}}')).toThrow(
      HttpResponseError,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('KrakenHttpClient transport errors', () => {
  it('says "not sent" when the connection is refused', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const client = new KrakenHttpClient({
      baseUrl: `http://127.0.0.1:${port}`,
      timeoutMs: 2_000,
      userAgent: 'krakenkit-test',
      logger: createCapturingLogger().logger,
    });
    const error = await client.public('Time').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpTransportError);
    expect((error as HttpTransportError).sent).toBe(false);
    expect((error as Error).message).toBe(
      '/0/public/Time: could not connect (ECONNREFUSED) (the request was not sent)',
    );
  });

  it('says "may have reached Kraken" on a timeout', async () => {
    const server = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const client = new KrakenHttpClient({
      baseUrl: `http://127.0.0.1:${port}`,
      timeoutMs: 200,
      userAgent: 'krakenkit-test',
      logger: createCapturingLogger().logger,
    });
    const error = await client.public('Time').catch((caught: unknown) => caught);
    expect((error as HttpTransportError).sent).toBe('unknown');
    server.close();
  });
});
