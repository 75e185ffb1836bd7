import { stopOnSignals } from '@krakenkit/host';
import { describeHealth, startDemoBot } from './demo-bot.js';

// Env → config happens here, in the app; plugins never read process.env.
const live = process.env.KRAKENKIT_LIVE === '1';
const durationMs = Number(process.env.DEMO_DURATION_MS ?? 15_000);
const symbols = (process.env.DEMO_SYMBOLS ?? 'BTC/USD,ETH/USD,POL/USD').split(',');

if (live) console.log('KRAKENKIT_LIVE=1: connecting to the real Kraken (public market data only)');
const bot = await startDemoBot({
  mode: live ? 'live' : 'sim',
  config: { 'market-watch': { symbols, reportEveryMs: 3_000 } },
});
if (bot.sim) console.log(`local Kraken sim: ${bot.sim.urls.publicWs} (REST ${bot.sim.urls.rest})`);
stopOnSignals({ stop: () => bot.stop() });
setTimeout(async () => {
  for (const line of await describeHealth(bot.host)) console.log(line);
}, 2_000).unref();
if (durationMs > 0) {
  setTimeout(() => {
    console.log(`demo finished after ${durationMs} ms (DEMO_DURATION_MS=0 runs until Ctrl-C)`);
    void bot.stop();
  }, durationMs).unref();
}
