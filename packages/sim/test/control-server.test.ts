import { describe, expect, it } from 'vitest';
import { startControlServer, startSim } from '../src/index.js';
import { SimClient } from './support/sim-client.js';

describe('HTTP control endpoint', () => {
  it('switches status (pushed to connections), injects and clears faults, reports state', async () => {
    await using sim = await startSim();
    const control = await startControlServer(sim);
    try {
      const client = await SimClient.connect(sim.urls.publicWs);
      await client.next((message) => message.channel === 'status');

      const post = (path: string, body: unknown) =>
        fetch(`${control.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
      expect((await post('/status', { status: 'cancel_only' })).status).toBe(200);
      const pushed = await client.next((message) => message.channel === 'status');
      expect(pushed).toMatchObject({ data: [{ system: 'cancel_only' }] });

      const injected = (await (
        await post('/faults', { fault: { kind: 'rest-lag', lagMs: 500 }, schedule: { durationMs: 60_000 } })
      ).json()) as { id: string };
      expect(injected.id).toMatch(/^fault-\d+$/);
      const state = (await (await fetch(`${control.url}/state`)).json()) as Record<string, unknown>;
      expect(state).toMatchObject({ status: 'cancel_only', faults: [{ id: injected.id, state: 'active' }] });
      expect((state.connections as unknown[]).length).toBe(1);

      await fetch(`${control.url}/faults/${injected.id}`, { method: 'DELETE' });
      expect(sim.control.faults()).toEqual([]);

      const token = (await (await post(`/tokens/${sim.accounts[0]?.id}`, {})).json()) as { token: string };
      expect(token.token).toMatch(/^[A-Za-z0-9+/]+=*$/);
      await client.close();
    } finally {
      await control.close();
    }
  });

  it('refuses bad requests with a message and a 4xx', async () => {
    await using sim = await startSim();
    const control = await startControlServer(sim);
    try {
      const bad = await fetch(`${control.url}/status`, {
        method: 'POST',
        body: JSON.stringify({ status: 'nope' }),
      });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: string }).error).toMatch(/^status: /);
      expect((await fetch(`${control.url}/nothing`)).status).toBe(404);
    } finally {
      await control.close();
    }
  });
});
