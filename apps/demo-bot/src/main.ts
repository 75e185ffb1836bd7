import { stopOnSignals } from '@krakenkit/host';
import { describeHealth, startDemoBot } from './demo-bot.js';

// Env → config happens here, in the app; plugins never read process.env.
const durationMs = Number(process.env.DEMO_DURATION_MS ?? 15_000);

const host = await startDemoBot({ config: { uptime: { reportEveryMs: 5_000 } } });
stopOnSignals(host);
for (const line of await describeHealth(host)) console.log(line);
if (durationMs > 0) {
  setTimeout(() => {
    console.log(`demo finished after ${durationMs} ms (DEMO_DURATION_MS=0 runs until Ctrl-C)`);
    void host.stop();
  }, durationMs).unref();
}
