import { definePlugin, healthCheckToken } from '@krakenkit/plugin-api';
import { z } from 'zod';

export const uptimeConfigSchema = z
  .object({
    /** How often to log that the bot is alive, in ms. */
    reportEveryMs: z.number().int().positive().default(5_000),
  })
  .strict();

/** Logs that the bot is alive and reports healthy; the smallest useful plugin. */
export const uptimePlugin = definePlugin({
  id: 'uptime',
  configSchema: uptimeConfigSchema,
  provides: { health: healthCheckToken },
  setup: ({ config, clock, logger, onStart, onStop }) => {
    let startedAt = 0;
    let timer: ReturnType<typeof clock.setInterval> | undefined;
    onStart(() => {
      startedAt = clock.monotonic();
      timer = clock.setInterval(
        () => logger.info({ uptimeMs: Math.round(clock.monotonic() - startedAt) }, 'alive'),
        config.reportEveryMs,
      );
    });
    onStop(() => clock.clearInterval(timer));
    return {
      health: {
        name: 'uptime',
        check: () => ({
          status: 'healthy',
          details: { uptimeMs: Math.round(clock.monotonic() - startedAt) },
        }),
      },
    };
  },
});
