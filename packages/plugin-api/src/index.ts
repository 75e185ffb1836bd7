/**
 * Contracts shared by every krakenkit package: typed tokens and `definePlugin` (the
 * registration interface), the core services plugins receive (logger, clock, random,
 * metrics, health), the error base class, `Secret`, and exact-decimal helpers.
 *
 * @packageDocumentation
 */

export { type Clock, sleep, systemClock, type TimerHandle } from './clock.js';
export {
  clockToken,
  healthCheckToken,
  loggerToken,
  metricsBackendToken,
  metricsToken,
  randomToken,
} from './core-tokens.js';
export { compareDecimal, type DecimalString, isDecimalString, normalizeDecimal } from './decimal.js';
export { KrakenkitError } from './errors.js';
export type { HealthCheck, HealthReport, HealthStatus } from './health.js';
export type { LogFn, Logger, LogLevel } from './logger.js';
export {
  type Counter,
  type CounterOptions,
  type Gauge,
  type Histogram,
  type HistogramOptions,
  type MetricLabels,
  type Metrics,
  type MetricsBackend,
  metricNamePattern,
} from './metrics.js';
export { type NonceProvider, nonceProviderToken } from './nonce.js';
export {
  type AnyPlugin,
  type DependencyMap,
  definePlugin,
  type ExactSetupResult,
  isPlugin,
  type LifecycleHook,
  type Plugin,
  type PluginContext,
  type PluginDefinition,
  type ProvidedValues,
  type ProvidesMap,
  type ResolvedDependencies,
  type SetupResult,
} from './plugin-definition.js';
export {
  type AnyToken,
  type CreateTokenOptions,
  createToken,
  type Dependency,
  isOptionalDependency,
  isToken,
  type OptionalDependency,
  optional,
  type ProvidedValue,
  type Token,
  type TokenValue,
} from './plugin-token.js';
export { createSeededRandom, type Random, systemRandom } from './random.js';
export { Redacted, Secret } from './secret.js';
export { silentLogger, silentMetrics } from './silent-services.js';
