/**
 * The krakenkit app host: `createHost({ config }).add(plugin).start()`. Validates every
 * plugin's config, checks the wiring (duplicates, missing providers, cycles), sets plugins
 * up in dependency order, runs their start hooks one at a time and stops them in reverse.
 *
 * @packageDocumentation
 */

export { createHost, type Host, type HostOptions, type HostState, type PluginFeature } from './host.js';
export {
  DependencyCycleError,
  DuplicatePluginError,
  DuplicateProviderError,
  HookTimeoutError,
  HostConfigError,
  HostStateError,
  InvalidFeatureError,
  type MissingDependency,
  MissingDependencyError,
  PluginSetupError,
  PluginStartError,
  PluginStopError,
  ProvidesMismatchError,
  UnknownTokenError,
} from './host-errors.js';
export { type CreateLoggerOptions, createLogger, redactedLogPaths } from './host-logger.js';
export { type SignalProcess, type StopOnSignalsOptions, stopOnSignals } from './host-signals.js';
