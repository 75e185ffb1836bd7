import { createVirtualClock } from '@krakenkit/host/testing';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startSim } from '../src/index.js';
import { connectPrivate } from './support/private-client.js';
import { SimClient } from './support/sim-client.js';

/** Resolves with how the socket ended: a close frame's code, or 1006 for a dropped TCP connection. */
function closeOf(client: SimClient): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    client.socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
}

describe('connection faults, each with exactly its effect', () => {
  it('drop-connection: a clean close with Kraken’s restart text, or a TCP reset, only for the target', async () => {
    await using sim = await startSim({ marketSpeed: 0 });
    const [a, b, c] = await Promise.all([
      SimClient.connect(sim.urls.publicWs),
      SimClient.connect(sim.urls.publicWs),
      SimClient.connect(sim.urls.privateWs),
    ]);
    const idA = sim.control.connections()[0]?.id ?? '';
    const closedA = closeOf(a);
    sim.control.inject({ kind: 'drop-connection', mode: 'clean', target: { connectionId: idA } });
    expect(await closedA).toEqual({ code: 1001, reason: 'CloudFlare WebSocket proxy restarting' });
    expect(b.socket.readyState).toBe(WebSocket.OPEN);

    const closedB = closeOf(b);
    const closedC = closeOf(c);
    sim.control.inject({ kind: 'drop-connection', mode: 'reset', target: { endpoint: 'public' } });
    expect((await closedB).code).toBe(1006); // no close frame: the TCP connection was reset
    expect(c.socket.readyState).toBe(WebSocket.OPEN);
    sim.control.inject({ kind: 'drop-connection', mode: 'reset' });
    expect((await closedC).code).toBe(1006);
    expect(sim.control.stats()).toMatchObject({ 'faults.drop_clean': 1, 'faults.drop_reset': 2 });
  });

  it('silence-connection: nothing at all is sent (not even pongs) while TCP stays open, until it ends', async () => {
    await using sim = await startSim({ marketSpeed: 0 });
    const client = await SimClient.connect(sim.urls.publicWs);
    await client.next((message) => message.channel === 'status');
    const fault = sim.control.inject({ kind: 'silence-connection' });
    const pinged = client.request('ping');
    await expect(client.next((message) => message.req_id === pinged, 300)).rejects.toThrow(/timed out/);
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    sim.control.clearFaults(fault);
    const again = client.request('ping');
    expect(await client.next((message) => message.req_id === again)).toMatchObject({ method: 'pong' });
    await client.close();
  });

  it('delay-response holds one answer; drop-response swallows one request; later ones are normal', async () => {
    await using sim = await startSim({ marketSpeed: 0 });
    const client = await SimClient.connect(sim.urls.publicWs);
    await client.next((message) => message.channel === 'status');
    sim.control.inject({ kind: 'delay-response', method: 'subscribe', delayMs: 300 });
    const started = Date.now();
    const delayed = client.request('subscribe', { channel: 'ticker', symbol: ['BTC/USD'] });
    expect(await client.response(delayed)).toMatchObject({ success: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);

    sim.control.inject({ kind: 'drop-response', method: 'subscribe' });
    const dropped = client.request('subscribe', { channel: 'ticker', symbol: ['ETH/USD'] });
    await expect(client.response(dropped, 300)).rejects.toThrow(/timed out/);
    // Nothing was executed: subscribing again works, and POL/USD was never subscribed.
    const next = client.request('subscribe', { channel: 'ticker', symbol: ['ETH/USD'] });
    expect(await client.response(next)).toMatchObject({ success: true });
    expect(sim.control.stats()['faults.dropped_requests']).toBe(1);
    await client.close();
  });

  it('execute-drop-ack: the order is placed (executions say so) but its response never comes', async () => {
    await using sim = await startSim({ marketSpeed: 0 });
    const account = sim.accounts[0]?.id ?? '';
    const trader = await connectPrivate(sim, account);
    const subscribed = trader.send('subscribe', { channel: 'executions', snap_orders: true });
    await trader.client.response(subscribed);
    sim.control.inject({ kind: 'execute-drop-ack', method: 'add_order' });
    const added = trader.send('add_order', {
      order_type: 'limit',
      side: 'buy',
      order_qty: 0.001,
      symbol: 'BTC/USD',
      limit_price: 1000,
      cl_ord_id: 'drop-ack-1',
    });
    const report = await trader.execution((entry) => entry.cl_ord_id === 'drop-ack-1');
    expect(report).toMatchObject({ order_status: expect.stringMatching(/pending_new|new/) });
    await expect(trader.client.response(added, 300)).rejects.toThrow(/timed out/);
    expect(sim.control.balances(account).USD?.holdTrade).not.toBe('0');
    await trader.close();
  });

  it('junk frames: malformed text, binary, and an oversized frame, each exactly once', async () => {
    await using sim = await startSim({ marketSpeed: 0 });
    const client = await SimClient.connect(sim.urls.publicWs);
    await client.next((message) => message.channel === 'status');
    const binary: Buffer[] = [];
    const texts: string[] = [];
    client.socket.on('message', (data, isBinary) =>
      isBinary ? binary.push(data as Buffer) : texts.push(String(data)),
    );
    sim.control.inject({ kind: 'send-malformed' });
    sim.control.inject({ kind: 'send-binary' });
    sim.control.inject({ kind: 'send-oversized', bytes: 200_000 });
    const pinged = client.request('ping');
    await client.response(pinged);
    texts.pop(); // the pong
    expect(texts).toHaveLength(2); // malformed + oversized
    expect(() => JSON.parse(texts[0] ?? '')).toThrow();
    expect(texts[1]?.length).toBe(200_000);
    expect(binary).toHaveLength(1);
    await client.close();
  });
});

describe('clock offset and scheduling', () => {
  it('clock-offset moves every server timestamp by the offset', async () => {
    const clock = createVirtualClock({ now: Date.UTC(2026, 0, 5, 10) });
    await using sim = await startSim({ marketSpeed: 0, clock });
    sim.control.inject({ kind: 'clock-offset', offsetMs: 90_000 });
    const client = await SimClient.connect(sim.urls.publicWs);
    await client.next((message) => message.channel === 'status');
    const pinged = client.request('ping');
    const pong = await client.response(pinged);
    expect(Date.parse(String(pong.time_out)) - clock.now()).toBe(90_000);
    const time = (await (await fetch(`${sim.urls.rest}/0/public/Time`)).json()) as {
      result: { unixtime: number };
    };
    expect(time.result.unixtime).toBe(Math.floor((clock.now() + 90_000) / 1000));
    await client.close();
  });

  it('afterMessages: the fault fires after exactly N more messages to the target', async () => {
    await using sim = await startSim({ marketSpeed: 0 });
    const client = await SimClient.connect(sim.urls.publicWs);
    await client.next((message) => message.channel === 'status');
    const closed = closeOf(client);
    sim.control.inject({ kind: 'drop-connection', mode: 'clean' }, { afterMessages: 3 });
    for (let i = 0; i < 3; i++) client.request('ping');
    expect((await closed).code).toBe(1001);
    expect(client.raw.filter((text) => text.includes('"pong"'))).toHaveLength(3);
  });

  it('at: the fault fires at the given server time (virtual clock), not before', async () => {
    const clock = createVirtualClock();
    await using sim = await startSim({ marketSpeed: 0, clock });
    const client = await SimClient.connect(sim.urls.publicWs);
    await client.next((message) => message.channel === 'status');
    const closed = closeOf(client);
    let closedAt: number | undefined;
    void closed.then(() => {
      closedAt = clock.now();
    });
    const at = clock.now() + 5_000;
    sim.control.inject({ kind: 'drop-connection', mode: 'reset' }, { at });
    await clock.advanceAsync(4_999);
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    await clock.advanceAsync(1);
    await closed;
    expect(closedAt).toBe(at);
  });
});
