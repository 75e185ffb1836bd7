import { bookStoreToken } from '@krakenkit/core-transport';
import { createCapturingLogger } from '@krakenkit/host/testing';
import { describe, expect, it } from 'vitest';
import { describeHealth, startDemoBot } from './demo-bot.js';

describe('demo bot', () => {
  it('runs against the embedded sim: verified books, top-of-book logs, healthy, clean stop', async () => {
    const capture = createCapturingLogger({ level: 'info' });
    const bot = await startDemoBot({
      logger: capture.logger,
      config: { 'market-watch': { symbols: ['BTC/USD', 'POL/USD'], reportEveryMs: 200 } },
    });
    try {
      const books = bot.host.get(bookStoreToken);
      const deadline = Date.now() + 10_000;
      while ((!books.book('BTC/USD') || !books.book('POL/USD')) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(books.book('POL/USD')?.bestBid()?.price).toMatch(/^0\.\d{4}$/);
      while (
        !capture.entries().some((entry) => entry.msg === 'top of book' && entry.bid) &&
        Date.now() < deadline
      ) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await describeHealth(bot.host)).toEqual(['core-transport: healthy', 'market-watch: healthy']);
    } finally {
      await bot.stop();
    }
    expect(bot.host.state).toBe('stopped');
    expect(bot.sim?.control.internalErrors()).toEqual([]);
  });

  it('refuses bad config with the plugin path in the message and leaves nothing running', async () => {
    await expect(startDemoBot({ config: { 'market-watch': { symbols: ['XBT-USD'] } } })).rejects.toThrow(
      /market-watch\.symbols\.0: /,
    );
  });
});
