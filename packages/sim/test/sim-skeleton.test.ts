import { describe, expect, it } from 'vitest';
import { startSim } from '../src/index.js';
import { SimClient } from './support/sim-client.js';

describe('every connection', () => {
  it('starts with a status frame carrying an exact 64-bit connection id, on both endpoints', async () => {
    await using sim = await startSim({ seed: 7 });
    for (const url of [sim.urls.publicWs, sim.urls.privateWs]) {
      const client = await SimClient.connect(url);
      await client.next();
      expect(client.raw[0]).toMatch(
        /^\{"channel":"status","type":"update","data":\[\{"api_version":"v2","connection_id":\d{19,20},"system":"online","version":"2\.0\.\d+"\}\]\}$/,
      );
      const id = /"connection_id":(\d+)/.exec(client.raw[0] ?? '')?.[1] ?? '';
      expect(BigInt(id) > 2n ** 53n).toBe(true);
      await client.close();
    }
  });

  it('answers ping with pong echoing req_id exactly, and refuses bad frames with counted errors', async () => {
    await using sim = await startSim();
    const client = await SimClient.connect(sim.urls.publicWs);
    await client.next((message) => message.channel === 'status');
    client.sendRaw('{"method":"ping","req_id":12345678901234567}');
    client.sendRaw('{"method":');
    client.sendRaw('[1,2]');
    await client.next((message) => message.method === 'pong');
    expect(client.raw[1]).toMatch(
      /^\{"method":"pong","req_id":12345678901234567,"time_in":"[^"]+Z","time_out":"[^"]+Z"\}$/,
    );
    expect(await client.next()).toMatchObject({
      error: 'EGeneral:Invalid arguments:malformed JSON',
      success: false,
    });
    expect(await client.next()).toMatchObject({ success: false });
    expect(sim.control.stats()).toMatchObject({ 'ws.malformed_frames': 1, 'ws.invalid_requests': 1 });
    await client.close();
  });
});
