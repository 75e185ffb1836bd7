import type { Clock } from './clock.js';
import type { HealthCheck } from './health.js';
import type { Logger } from './logger.js';
import type { Metrics, MetricsBackend } from './metrics.js';
import { createToken } from './plugin-token.js';
import type { Random } from './random.js';

// Services the host itself provides; plugins also receive them directly on the setup context.

export const loggerToken = createToken<Logger>({ id: 'host.logger', providedBy: '@krakenkit/host' });
export const clockToken = createToken<Clock>({ id: 'host.clock', providedBy: '@krakenkit/host' });
export const randomToken = createToken<Random>({ id: 'host.random', providedBy: '@krakenkit/host' });
export const metricsToken = createToken<Metrics>({ id: 'host.metrics', providedBy: '@krakenkit/host' });

/**
 * The registry behind {@link metricsToken}. Optional: until a plugin (diagnostics) provides
 * it, metrics are recorded nowhere.
 */
export const metricsBackendToken = createToken<MetricsBackend>({
  id: 'host.metricsBackend',
  providedBy: '@krakenkit/diagnostics',
});

/** Every plugin may contribute health checks; diagnostics collects them all. */
export const healthCheckToken = createToken<HealthCheck>({ id: 'host.healthCheck', multiple: true });
