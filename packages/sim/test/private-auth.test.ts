import { describe, expect, it } from 'vitest';
import { startSim } from '../src/index.js';
import { connectPrivate } from './support/private-client.js';
import { SimClient } from './support/sim-client.js';

describe('private endpoint: tokens and request validation', () => {
  it('refuses requests without a valid token, and answers a good one on any later request', async () => {
    await using sim = await startSim({ marketSpeed: 0 });
    const client = await SimClient.connect(sim.urls.privateWs);
    await client.next((message) => message.channel === 'status');
    const missing = client.request('subscribe', { channel: 'executions' });
    expect(await client.response(missing)).toMatchObject({
      error: 'ESession:Invalid session',
      success: false,
      method: 'subscribe',
    });
    const bad = client.request('add_order', { token: 'bm90LWEtdG9rZW4=', order_type: 'limit' });
    expect(await client.response(bad)).toMatchObject({ error: 'ESession:Invalid session', success: false });
    sim.control.inject({ kind: 'invalidate-tokens', accountId: 'alice' });
    const token = sim.control.issueToken('alice');
    const ok = client.request('subscribe', { channel: 'balances', token });
    expect(await client.response(ok)).toMatchObject({
      success: true,
      result: { channel: 'balances', snapshot: true },
    });
    expect(sim.control.connections().find((connection) => connection.endpoint === 'private')?.accountId).toBe(
      'alice',
    );
    expect(sim.control.stats()['private.invalid_tokens']).toBe(2);
    await client.close();
    expect(sim.control.internalErrors()).toEqual([]);
  });

  it('refuses unknown methods, unknown fields, strings for numbers, upper-case TIF, bad channels', async () => {
    await using sim = await startSim({ marketSpeed: 0 });
    const alice = await connectPrivate(sim, 'alice');
    const order = {
      order_type: 'limit',
      side: 'buy',
      symbol: 'BTC/USD',
      limit_price: 60000,
      order_qty: 0.01,
    };
    const cases: [string, Record<string, unknown>, string][] = [
      ['fly', {}, "Unsupported method: 'fly'"],
      ['add_order', { ...order, leverage: 2 }, "Unsupported field: 'leverage'"],
      ['add_order', { ...order, order_qty: '0.01' }, 'EGeneral:Invalid arguments:order_qty'],
      ['add_order', { ...order, time_in_force: 'GTC' }, 'EGeneral:Invalid arguments:time_in_force'],
      ['add_order', { ...order, stp_type: 'cancel-newest' }, 'EGeneral:Invalid arguments:stp_type'],
      ['add_order', { ...order, symbol: 'XBT/USD' }, 'EQuery:Unknown asset pair'],
      ['add_order', { ...order, triggers: { price: 1, bogus: 1 } }, "Unsupported field: 'bogus'"],
      ['subscribe', { channel: 'book' }, 'Subscription name invalid'],
      ['unsubscribe', { channel: 'executions' }, 'Subscription not found'],
      ['cancel_order', {}, 'EGeneral:Invalid arguments:order_id'],
      ['cancel_all_orders_after', { timeout: 86400 }, 'EGeneral:Invalid arguments:timeout'],
    ];
    for (const [method, params, error] of cases) {
      const reqId = alice.send(method, params);
      expect(await alice.client.response(reqId), `${method} ${JSON.stringify(params)}`).toMatchObject({
        error,
        success: false,
        req_id: reqId,
      });
    }
    expect(sim.control.internalErrors()).toEqual([]);
    await alice.close();
  });
});
