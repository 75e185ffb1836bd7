import { createVirtualClock } from '@krakenkit/host/testing';
import { describe, expect, it } from 'vitest';
import { startSim } from '../src/index.js';
import { RestClient } from './support/rest-client.js';
import { vectorSecret } from './support/rest-harness.js';

const key = (id: string) => ({ apiKey: `${id}-key-0000000000000000`, apiSecret: vectorSecret });

describe('REST nonces, lockout and the API call counter over HTTP', () => {
  it('refuses equal and lower nonces; a key with a window takes late ones once', async () => {
    await using sim = await startSim({
      marketSpeed: 0,
      accounts: [
        { id: 'strict', ...key('strict') },
        { id: 'windowed', ...key('windowed'), nonceWindow: 1000 },
      ],
    });
    const strict = new RestClient(sim.urls.rest, key('strict'));
    const windowed = new RestClient(sim.urls.rest, key('windowed'));
    const error = async (client: RestClient, nonce: string) =>
      (await client.call('Balance', {}, { nonce })).json?.error;

    expect(await error(strict, '1700000000000')).toEqual([]);
    expect(await error(strict, '1700000000000')).toEqual(['EAPI:Invalid nonce']);
    expect(await error(strict, '1699999999999')).toEqual(['EAPI:Invalid nonce']);
    expect(await error(strict, '1700000000001')).toEqual([]);
    // JSON bodies: the nonce as a number or as a string, same rules.
    expect((await strict.call('Balance', {}, { json: true, nonce: '1700000000002' })).json?.error).toEqual(
      [],
    );
    expect((await strict.call('Balance', {}, { json: true, nonce: '1700000000002' })).json?.error).toEqual([
      'EAPI:Invalid nonce',
    ]);

    expect(await error(windowed, '1700000005000')).toEqual([]);
    expect(await error(windowed, '1700000004500')).toEqual([]);
    expect(await error(windowed, '1700000004500')).toEqual(['EAPI:Invalid nonce']);
    expect(await error(windowed, '1700000004000')).toEqual(['EAPI:Invalid nonce']);
    expect(await error(windowed, '1700000004999')).toEqual([]);
    expect(sim.control.stats()['auth.invalid_nonce']).toBe(5);
    expect(sim.control.internalErrors()).toEqual([]);
  });

  it('locks a key out after the threshold of failures, refuses everything, and lifts it after lockoutMs', async () => {
    const clock = createVirtualClock();
    await using sim = await startSim({
      clock,
      marketSpeed: 0,
      accounts: [
        { id: 'victim', ...key('victim') },
        { id: 'bystander', ...key('bystander') },
      ],
      limits: { lockoutThreshold: 4, lockoutWindowMs: 60_000, lockoutMs: 15 * 60_000 },
    });
    const victim = new RestClient(sim.urls.rest, key('victim'));
    const forger = new RestClient(sim.urls.rest, {
      ...key('victim'),
      apiSecret: key('x').apiSecret.replace('k', 'K'),
    });
    const bystander = new RestClient(sim.urls.rest, key('bystander'));

    for (let i = 0; i < 4; i++) {
      expect((await forger.call('Balance')).json?.error).toEqual(['EAPI:Invalid signature']);
    }
    const locked = { error: ['EGeneral:Temporary lockout'] };
    expect((await victim.call('Balance')).json).toEqual(locked);
    expect((await victim.call('AddOrder', { pair: 'XBTUSD' })).json).toEqual(locked);
    expect((await bystander.call('Balance')).json?.error).toEqual([]);
    await clock.advanceAsync(15 * 60_000 - 1);
    expect((await victim.call('Balance')).json).toEqual(locked);
    await clock.advanceAsync(1);
    expect((await victim.call('Balance')).json?.error).toEqual([]);
    expect(sim.control.stats()['auth.lockouts_started']).toBe(1);
    expect(sim.control.internalErrors()).toEqual([]);
  });

  it('locks out an IP that keeps sending unknown keys', async () => {
    await using sim = await startSim({
      marketSpeed: 0,
      accounts: [{ id: 'known', ...key('known') }],
      limits: { lockoutThreshold: 3 },
    });
    const guesser = new RestClient(sim.urls.rest, key('guess'));
    for (let i = 0; i < 3; i++)
      expect((await guesser.call('Balance')).json?.error).toEqual(['EAPI:Invalid key']);
    expect((await guesser.call('Balance')).json?.error).toEqual(['EGeneral:Temporary lockout']);
    expect((await new RestClient(sim.urls.rest, key('known')).call('Balance')).json?.error).toEqual([]);
  });

  it('counts private calls per key and tier, +4 for history, trading calls free; decays on the clock', async () => {
    const clock = createVirtualClock();
    await using sim = await startSim({
      clock,
      marketSpeed: 0,
      accounts: [{ id: 'starter', ...key('starter'), tier: 'starter' }],
    });
    const client = new RestClient(sim.urls.rest, key('starter'));
    for (let i = 0; i < 3; i++) expect((await client.call('TradesHistory')).json?.error).toEqual([]);
    for (let i = 0; i < 3; i++) expect((await client.call('Balance')).json?.error).toEqual([]);
    // 3 × 4 + 3 × 1 = 15 = the Starter maximum.
    expect((await client.call('OpenOrders')).json).toEqual({ error: ['EAPI:Rate limit exceeded'] });
    const trading = await client.call('CancelAll');
    expect(trading.json?.error).not.toContain('EAPI:Rate limit exceeded');
    // Starter decays 0.33/s: one call fits again after 1/0.33 s ≈ 3031 ms.
    await clock.advanceAsync(3030);
    expect((await client.call('Balance')).json?.error).toEqual(['EAPI:Rate limit exceeded']);
    await clock.advanceAsync(3031);
    expect((await client.call('Balance')).json?.error).toEqual([]);
    expect(sim.control.stats()['auth.rest_rate_limited']).toBe(2);
  });
});
