import KrakenClient from 'kraken-api';
import { describe, expect, it } from 'vitest';
import { startSim } from '../src/index.js';

// The unmodified `kraken-api` npm client (v1.0.2, github.com/nothingisdead/npm-kraken-api),
// pointed at the sim with its `url` option. It posts every call, public ones included, with a
// qs-encoded form body and no content type, signs with its own code, and uses
// `Date.now() * 1000` nonces (so calls within one millisecond would collide: the later
// private calls pass an explicit increasing nonce, which the client supports).

describe('a third-party Kraken REST client (kraken-api)', () => {
  it('reads public data, balances and trades against the sim', async () => {
    await using sim = await startSim({ marketSpeed: 0 });
    const alice = sim.accounts.find((account) => account.id === 'alice')!;
    const kraken = new KrakenClient(alice.apiKey, alice.apiSecret, { url: sim.urls.rest });
    let nonce = Date.now() * 1000 + 1_000_000;

    const time = await kraken.api('Time');
    expect(time.error).toEqual([]);
    expect(time.result.unixtime).toBeTypeOf('number');
    const ticker = await kraken.api('Ticker', { pair: 'XBTUSD' });
    expect(Object.keys(ticker.result)).toEqual(['XXBTZUSD']);

    // First private call with the client's own nonce.
    const balance = await kraken.api('Balance');
    expect(balance.result).toMatchObject({ ZUSD: '100000.0000', XXBT: '2.0000000000' });

    const placed = await kraken.api('AddOrder', {
      nonce: nonce++,
      pair: 'XBTUSD',
      type: 'buy',
      ordertype: 'limit',
      volume: '0.5',
      price: '50000',
      close: { ordertype: 'limit', price: '70000' },
      starttm: '+0',
    });
    expect(placed.result.descr).toEqual({
      order: 'buy 0.50000000 XBTUSD @ limit 50000.0',
      close: 'close position @ limit 70000.0',
    });
    const [txid] = placed.result.txid as string[];

    const open = await kraken.api('OpenOrders', { nonce: nonce++ });
    expect(Object.keys(open.result.open as object)).toEqual([txid]);
    const queried = await kraken.api('QueryOrders', { nonce: nonce++, txid });
    expect(queried.result[txid as string]).toMatchObject({ status: 'open', vol: '0.50000000' });

    const cancelled = await kraken.api('CancelOrder', { nonce: nonce++, txid });
    expect(cancelled.result).toEqual({ count: 1 });

    const market = await kraken.api('AddOrder', {
      nonce: nonce++,
      pair: 'XXBTZUSD',
      type: 'sell',
      ordertype: 'market',
      volume: '0.01',
    });
    expect(market.result.txid).toHaveLength(1);
    const history = await kraken.api('TradesHistory', { nonce: nonce++ });
    expect(history.result.count).toBeGreaterThan(0);
    const token = await kraken.api('GetWebSocketsToken', { nonce: nonce++ });
    expect(token.result.expires).toBe(900);

    // Kraken's errors come back as the client's errors (it strips the leading `E`).
    await expect(
      kraken.api('AddOrder', {
        nonce: nonce++,
        pair: 'NOPEUSD',
        type: 'buy',
        ordertype: 'market',
        volume: '1',
      }),
    ).rejects.toThrow('Query:Unknown asset pair');
    await expect(kraken.api('Balance', { nonce: 1 })).rejects.toThrow('API:Invalid nonce');
    const forged = new KrakenClient(alice.apiKey, Buffer.alloc(64, 7).toString('base64'), {
      url: sim.urls.rest,
    });
    await expect(forged.api('Balance', { nonce: nonce++ })).rejects.toThrow('API:Invalid signature');
    expect(sim.control.internalErrors()).toEqual([]);
  });
});
