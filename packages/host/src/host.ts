import {
  type AnyPlugin,
  type AnyToken,
  type Clock,
  clockToken,
  isOptionalDependency,
  isPlugin,
  type LifecycleHook,
  type Logger,
  loggerToken,
  type MetricsBackend,
  metricsBackendToken,
  metricsToken,
  type Random,
  randomToken,
  systemClock,
  systemRandom,
  type TokenValue,
} from '@krakenkit/plugin-api';
import { parsePluginConfigs } from './host-config.js';
import { TokenContainer } from './host-container.js';
import {
  HostStateError,
  InvalidFeatureError,
  PluginSetupError,
  PluginStartError,
  PluginStopError,
  ProvidesMismatchError,
  UnknownTokenError,
} from './host-errors.js';
import { planStartOrder } from './host-graph.js';
import { runHook } from './host-hooks.js';
import { createLogger } from './host-logger.js';
import { ForwardingMetrics } from './host-metrics.js';

/** A plugin, or a module (e.g. `import('@krakenkit/nonce')`) whose default export is one. */
export type PluginFeature = AnyPlugin | PromiseLike<AnyPlugin | { default: AnyPlugin }>;

export type HostState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

export interface HostOptions {
  /** App config keyed by plugin id; each plugin's slice is parsed by its `configSchema`. */
  config?: Readonly<Record<string, unknown>>;
  /** Default: a pino logger at `info` with krakenkit's redaction paths. */
  logger?: Logger;
  /** Default: the system clock. Tests pass a virtual clock. */
  clock?: Clock;
  /** Default: `Math.random`. Tests pass a seeded generator. */
  random?: Random;
  /** Deadline for each `onStart` hook. Default 60 000 ms. */
  startTimeoutMs?: number;
  /** Deadline for each `onStop` hook. Default 10 000 ms. */
  stopTimeoutMs?: number;
}

export interface Host extends AsyncDisposable {
  readonly state: HostState;
  /** Adds a plugin before start; throws once start has been called. */
  add(feature: PluginFeature): Host;
  /** Validates config and wiring, sets up every plugin, then runs their start hooks in order. */
  start(): Promise<void>;
  /** The value provided for a token (an array for multiple tokens). Available once started. */
  get<TToken extends AnyToken>(token: TToken): TokenValue<TToken>;
  /** Stops plugins in reverse order. Idempotent; waits for (and cuts short) a start in progress. */
  stop(): Promise<void>;
}

interface PluginRecord {
  plugin: AnyPlugin;
  startHooks: LifecycleHook[];
  stopHooks: LifecycleHook[];
}

const hostTokenIds = new Set([loggerToken.id, clockToken.id, randomToken.id, metricsToken.id]);

class KrakenkitHost implements Host {
  readonly #features: PluginFeature[] = [];
  readonly #config: Readonly<Record<string, unknown>>;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #startTimeoutMs: number;
  readonly #stopTimeoutMs: number;
  readonly #metrics = new ForwardingMetrics();
  readonly #startCancel = new AbortController();
  #container: TokenContainer | undefined;
  #started: PluginRecord[] = [];
  #state: HostState = 'idle';
  #startPromise: Promise<void> | undefined;
  #stopPromise: Promise<void> | undefined;

  constructor(options: HostOptions) {
    this.#config = options.config ?? {};
    this.#logger = options.logger ?? createLogger();
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? systemRandom;
    this.#startTimeoutMs = options.startTimeoutMs ?? 60_000;
    this.#stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
  }

  get state(): HostState {
    return this.#state;
  }

  add(feature: PluginFeature): Host {
    if (this.#state !== 'idle') {
      throw new HostStateError(
        `Cannot add a plugin to a host that is ${this.#state}; add every plugin before start().`,
      );
    }
    this.#features.push(feature);
    return this;
  }

  start(): Promise<void> {
    if (this.#state === 'stopping' || this.#state === 'stopped') {
      return Promise.reject(new HostStateError('This host was stopped; create a new host to start again.'));
    }
    this.#startPromise ??= this.#start().catch(async (error: unknown) => {
      this.#state = 'failed';
      await this.#container?.dispose();
      throw error;
    });
    return this.#startPromise;
  }

  get<TToken extends AnyToken>(token: TToken): TokenValue<TToken> {
    const container = this.#container;
    if (this.#state !== 'running' || container === undefined) {
      throw new HostStateError(`host.get('${token.id}') needs a running host; it is ${this.#state}.`);
    }
    if (!token.multiple && !container.has(token)) throw new UnknownTokenError(token.id);
    return container.resolve(token);
  }

  stop(): Promise<void> {
    this.#stopPromise ??= this.#stop();
    return this.#stopPromise;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  async #start(): Promise<void> {
    this.#state = 'starting';
    const startedAt = this.#clock.monotonic();
    if (process.env.NODE_TLS_REJECT_UNAUTHORIZED === '0') {
      // The one environment variable the host reads: it silently turns off TLS for every
      // connection, keys and orders included.
      this.#logger.error(
        'NODE_TLS_REJECT_UNAUTHORIZED=0: TLS certificates are not checked, so anyone on the network path can read and change API calls and orders; unset it',
      );
    }
    const plugins = await resolveFeatures(this.#features);
    const configs = parsePluginConfigs(plugins, this.#config);
    const order = planStartOrder(plugins, hostTokenIds);

    const container = new TokenContainer();
    this.#container = container;
    container.provide(loggerToken, this.#logger);
    container.provide(clockToken, this.#clock);
    container.provide(randomToken, this.#random);
    container.provide(metricsToken, this.#metrics);

    const records: PluginRecord[] = [];
    for (const plugin of order) records.push(await this.#setup(plugin, configs.get(plugin.id), container));

    for (const record of records) {
      const { id } = record.plugin;
      try {
        for (const hook of record.startHooks) {
          await runHook(hook, {
            pluginId: id,
            phase: 'start',
            timeoutMs: this.#startTimeoutMs,
            clock: this.#clock,
            cancel: this.#startCancel.signal,
          });
        }
      } catch (error) {
        this.#logger.error(
          { plugin: id, err: error },
          'plugin failed to start; stopping the plugins already started',
        );
        const rollbackErrors = await this.#stopStarted();
        throw new PluginStartError(id, error, rollbackErrors);
      }
      this.#started.push(record);
      this.#logger.debug({ plugin: id }, 'plugin started');
    }
    this.#state = 'running';
    this.#logger.info(
      { plugins: order.map((plugin) => plugin.id), ms: Math.round(this.#clock.monotonic() - startedAt) },
      'host started',
    );
  }

  async #setup(plugin: AnyPlugin, config: unknown, container: TokenContainer): Promise<PluginRecord> {
    const record: PluginRecord = { plugin, startHooks: [], stopHooks: [] };
    let wiring = true;
    const register = (list: LifecycleHook[], kind: string) => (hook: LifecycleHook) => {
      if (!wiring) {
        throw new HostStateError(`Plugin '${plugin.id}' registered an ${kind} hook after setup returned.`);
      }
      list.push(hook);
    };
    const deps: Record<string, unknown> = {};
    for (const [name, dependency] of Object.entries(plugin.deps)) {
      const token: AnyToken = isOptionalDependency(dependency) ? dependency.token : dependency;
      deps[name] = token.multiple || container.has(token) ? container.resolve(token) : undefined;
    }
    let provided: unknown;
    try {
      provided = await plugin.setup({
        pluginId: plugin.id,
        deps: deps as never,
        config,
        logger: this.#logger.child({ plugin: plugin.id }),
        clock: this.#clock,
        random: this.#random,
        metrics: this.#metrics,
        onStart: register(record.startHooks, 'onStart'),
        onStop: register(record.stopHooks, 'onStop'),
      });
    } catch (error) {
      throw new PluginSetupError(plugin.id, error);
    } finally {
      wiring = false;
    }
    const values = (provided ?? {}) as Record<string, unknown>;
    const declared = Object.keys(plugin.provides);
    const returned = typeof provided === 'object' ? Object.keys(values) : [];
    const missingKeys = declared.filter((key) => values[key] === undefined);
    const unexpectedKeys = returned.filter((key) => !(key in plugin.provides));
    if (missingKeys.length > 0 || unexpectedKeys.length > 0) {
      throw new ProvidesMismatchError(plugin.id, missingKeys, unexpectedKeys);
    }
    for (const [name, token] of Object.entries(plugin.provides)) {
      container.provide(token, values[name]);
      if (token.id === metricsBackendToken.id) this.#metrics.attach(values[name] as MetricsBackend);
    }
    return record;
  }

  async #stop(): Promise<void> {
    if (this.#state === 'idle') {
      this.#state = 'stopped';
      return;
    }
    if (this.#state === 'starting') {
      this.#startCancel.abort(new HostStateError('host.stop() was called while the host was starting.'));
      await this.#startPromise?.catch(() => undefined);
    }
    if (this.#state === 'failed') {
      this.#state = 'stopped';
      return;
    }
    this.#state = 'stopping';
    const errors = await this.#stopStarted();
    try {
      await this.#container?.dispose();
    } catch (error) {
      errors.push(error);
    }
    this.#state = 'stopped';
    this.#logger.info({ failures: errors.length }, 'host stopped');
    if (errors.length > 0) {
      throw new AggregateError(
        errors,
        `${errors.length} plugin stop hook(s) failed: ${errors.map(messageOf).join('; ')}`,
      );
    }
  }

  /** Runs the stop hooks of started plugins in reverse order; every hook runs even if some fail. */
  async #stopStarted(): Promise<unknown[]> {
    const errors: unknown[] = [];
    const started = this.#started.reverse();
    this.#started = [];
    for (const { plugin, stopHooks } of started) {
      for (const hook of [...stopHooks].reverse()) {
        try {
          await runHook(hook, {
            pluginId: plugin.id,
            phase: 'stop',
            timeoutMs: this.#stopTimeoutMs,
            clock: this.#clock,
          });
        } catch (error) {
          this.#logger.error({ plugin: plugin.id, err: error }, 'plugin stop hook failed');
          errors.push(new PluginStopError(plugin.id, error));
        }
      }
      this.#logger.debug({ plugin: plugin.id }, 'plugin stopped');
    }
    return errors;
  }
}

async function resolveFeatures(features: readonly PluginFeature[]): Promise<AnyPlugin[]> {
  return Promise.all(
    features.map(async (feature, position) => {
      let value: unknown;
      try {
        value = await feature;
      } catch (error) {
        throw new InvalidFeatureError(position, error);
      }
      if (isPlugin(value)) return value;
      const fromModule = (value as { default?: unknown } | null)?.default;
      if (isPlugin(fromModule)) return fromModule;
      throw new InvalidFeatureError(position);
    }),
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Creates an app host. Add plugins, then `start()`. */
export function createHost(options: HostOptions = {}): Host {
  return new KrakenkitHost(options);
}
