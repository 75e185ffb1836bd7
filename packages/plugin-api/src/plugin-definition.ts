import { z } from 'zod';
import type { Clock } from './clock.js';
import { KrakenkitError } from './errors.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import {
  type AnyToken,
  type Dependency,
  isOptionalDependency,
  isToken,
  type OptionalDependency,
  type ProvidedValue,
  type TokenValue,
} from './plugin-token.js';
import type { Random } from './random.js';

const pluginIdPattern = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export type DependencyMap = Record<string, Dependency>;
export type ProvidesMap = Record<string, AnyToken>;

/** The typed values a plugin receives for its `deps` map. */
export type ResolvedDependencies<TDeps extends DependencyMap> = {
  [K in keyof TDeps]: TDeps[K] extends OptionalDependency<infer TToken>
    ? TToken extends { multiple: true }
      ? TokenValue<TToken>
      : TokenValue<TToken> | undefined
    : TokenValue<TDeps[K]>;
};

/** What `setup` must return: exactly one value per `provides` key. */
export type ProvidedValues<TProvides extends ProvidesMap> = {
  [K in keyof TProvides]: ProvidedValue<TProvides[K]>;
};

export type SetupResult<TProvides extends ProvidesMap> = [keyof TProvides] extends [never]
  ? undefined | Record<string, never>
  : ProvidedValues<TProvides>;

/** Rejects keys that `provides` does not declare (object literals returned from setup lose that check). */
export type ExactSetupResult<TResult, TProvides extends ProvidesMap> = TResult extends object
  ? TResult & { [K in Exclude<keyof TResult, keyof TProvides>]: never }
  : TResult;

/** A lifecycle hook. `signal` aborts when the host gives up on it (timeout, or stop during start). */
export type LifecycleHook = (signal: AbortSignal) => void | Promise<void>;

export interface PluginContext<TDeps extends DependencyMap, TConfig> {
  readonly pluginId: string;
  readonly deps: ResolvedDependencies<TDeps>;
  /** This plugin's config slice, parsed (defaults applied) by its `configSchema`. */
  readonly config: TConfig;
  /** A child of the host logger, labelled with the plugin id. */
  readonly logger: Logger;
  readonly clock: Clock;
  readonly random: Random;
  readonly metrics: Metrics;
  /** Runs after every plugin is set up, in dependency order, one hook at a time. Do I/O here. */
  onStart(hook: LifecycleHook): void;
  /** Runs on `host.stop()`, in reverse dependency order, with a per-hook timeout. */
  onStop(hook: LifecycleHook): void;
}

export interface PluginDefinition<
  TId extends string,
  TSchema extends z.ZodType,
  TDeps extends DependencyMap,
  TProvides extends ProvidesMap,
  TResult extends SetupResult<TProvides> = SetupResult<TProvides>,
> {
  /** kebab-case, equal to the package folder: `'core-transport'`. */
  id: TId;
  /** Strict zod schema of this plugin's config slice; defaults live only here. */
  configSchema?: TSchema;
  /** Local names → tokens this plugin needs; wrap in `optional()` when it can run without. */
  deps?: TDeps;
  /** Local names → tokens this plugin provides; `setup` returns a value for each. */
  provides?: TProvides;
  /** Wires objects only; no I/O (register it with `onStart`). */
  setup(
    context: PluginContext<TDeps, z.output<TSchema>>,
  ): ExactSetupResult<TResult, TProvides> | Promise<ExactSetupResult<TResult, TProvides>>;
}

export interface Plugin<
  TId extends string = string,
  TSchema extends z.ZodType = z.ZodType,
  TDeps extends DependencyMap = DependencyMap,
  TProvides extends ProvidesMap = ProvidesMap,
> {
  readonly $$type: 'krakenkit.plugin';
  readonly id: TId;
  readonly configSchema: TSchema;
  readonly deps: TDeps;
  readonly provides: TProvides;
  setup(
    context: PluginContext<TDeps, z.output<TSchema>>,
  ): SetupResult<TProvides> | Promise<SetupResult<TProvides>>;
}

/** Any plugin, with its types erased; what the host works with. */
export interface AnyPlugin {
  readonly $$type: 'krakenkit.plugin';
  readonly id: string;
  readonly configSchema: z.ZodType;
  readonly deps: DependencyMap;
  readonly provides: ProvidesMap;
  // biome-ignore lint/suspicious/noExplicitAny: the host passes contexts of every plugin shape.
  setup(context: PluginContext<any, any>): unknown;
}

const emptyConfigSchema = z.object({}).strict();

/**
 * Declares a plugin: what it needs, what it provides, its config schema and how it wires
 * itself. The result is a plain value; export it as the package default and as
 * `<camelId>Plugin`, and add it to a host.
 */
export function definePlugin<
  const TId extends string,
  TSchema extends z.ZodType = typeof emptyConfigSchema,
  TDeps extends DependencyMap = {},
  TProvides extends ProvidesMap = {},
  TResult extends SetupResult<TProvides> = SetupResult<TProvides>,
>(
  definition: PluginDefinition<TId, TSchema, TDeps, TProvides, TResult>,
): Plugin<TId, TSchema, TDeps, TProvides> {
  const { id } = definition;
  if (typeof id !== 'string' || !pluginIdPattern.test(id)) {
    throw new KrakenkitError(
      'INVALID_PLUGIN',
      `Plugin id '${String(id)}' must be kebab-case, e.g. 'core-transport'.`,
    );
  }
  if (typeof definition.setup !== 'function') {
    throw new KrakenkitError('INVALID_PLUGIN', `Plugin '${id}' has no setup function.`);
  }
  const deps = (definition.deps ?? {}) as TDeps;
  for (const [name, dependency] of Object.entries(deps)) {
    if (!isToken(dependency) && !isOptionalDependency(dependency)) {
      throw new KrakenkitError(
        'INVALID_PLUGIN',
        `Plugin '${id}' dependency '${name}' is not a token; use createToken() or optional(token).`,
      );
    }
  }
  const provides = (definition.provides ?? {}) as TProvides;
  for (const [name, token] of Object.entries(provides)) {
    if (!isToken(token)) {
      throw new KrakenkitError('INVALID_PLUGIN', `Plugin '${id}' provides '${name}', which is not a token.`);
    }
  }
  const configSchema = (definition.configSchema ?? emptyConfigSchema) as TSchema;
  if (!(configSchema instanceof z.ZodType)) {
    throw new KrakenkitError('INVALID_PLUGIN', `Plugin '${id}' configSchema is not a zod schema.`);
  }
  return Object.freeze({
    $$type: 'krakenkit.plugin' as const,
    id,
    configSchema,
    deps: Object.freeze({ ...deps }),
    provides: Object.freeze({ ...provides }),
    setup: definition.setup,
  }) as unknown as Plugin<TId, TSchema, TDeps, TProvides>;
}

export function isPlugin(value: unknown): value is AnyPlugin {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { $$type?: unknown }).$$type === 'krakenkit.plugin'
  );
}
