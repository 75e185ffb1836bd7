import { createCapturingLogger, createVirtualClock } from '@krakenkit/host/testing';
import { describe, expect, it } from 'vitest';
import { describeHealth, startDemoBot } from './demo-bot.js';

describe('demo bot', () => {
  it('starts, reports healthy, logs while running, and stops', async () => {
    const clock = createVirtualClock();
    const capture = createCapturingLogger();
    const host = await startDemoBot({
      config: { uptime: { reportEveryMs: 1_000 } },
      clock,
      logger: capture.logger,
    });
    expect(await describeHealth(host)).toEqual(['uptime: healthy']);
    clock.advance(3_000);
    expect(
      capture
        .entries()
        .filter((entry) => entry.msg === 'alive')
        .map((entry) => entry.uptimeMs),
    ).toEqual([1_000, 2_000, 3_000]);
    await host.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it('refuses bad config with the plugin path in the message', async () => {
    await expect(startDemoBot({ config: { uptime: { reportEveryMs: -1 } } })).rejects.toThrow(
      /uptime\.reportEveryMs: Too small/,
    );
  });
});
