import { describe, expect, it } from 'vitest';
import { createMarketTestContext } from '../../test/support/market-context.js';
import type { SimSession } from '../ws/sim-session.js';
import { InstrumentFeed } from './instrument-feed.js';

describe('instrument feed', () => {
  it('snapshots every asset and pair, then updates only the pairs that changed', () => {
    const { context } = createMarketTestContext();
    const feed = new InstrumentFeed(context);
    const frames: { type: string; data: { assets: { id: string }[]; pairs: { symbol: string }[] } }[] = [];
    const session = {
      sendChannel: (channel: string, symbol: string | undefined, frame: string) => {
        expect([channel, symbol]).toEqual(['instrument', undefined]);
        frames.push(JSON.parse(frame));
        return true;
      },
    } as unknown as SimSession;
    feed.subscribe(session, true);
    expect(frames[0]?.type).toBe('snapshot');
    expect(frames[0]?.data.pairs.map((pair) => pair.symbol)).toEqual([
      'BTC/USD',
      'ETH/USD',
      'POL/USD',
      'PEPE/USD',
    ]);
    expect(frames[0]?.data.assets).toHaveLength(5);
    context.events.emit('instrument-change', { symbols: ['POL/USD'] });
    expect(frames[1]).toMatchObject({ type: 'update', data: { assets: [], pairs: [{ symbol: 'POL/USD' }] } });
    feed.unsubscribe(session);
    context.events.emit('instrument-change', { symbols: ['BTC/USD'] });
    expect(frames).toHaveLength(2);
  });
});
