import {
  type AnyToken,
  clockToken,
  definePlugin,
  type Logger,
  loggerToken,
  type ProvidedValue,
  type Random,
  randomToken,
  type TokenValue,
} from '@krakenkit/plugin-api';
import { createHost, type Host, type PluginFeature } from '../host.js';
import { createCapturingLogger } from './capturing-logger.js';
import { createVirtualClock, type VirtualClock } from './virtual-clock.js';

/** A stand-in value for a token, provided instead of the plugin that would provide it. */
export interface Override {
  readonly token: AnyToken;
  readonly value: unknown;
}

export function provide<TToken extends AnyToken>(token: TToken, value: ProvidedValue<TToken>): Override {
  return { token, value };
}

export interface StartTestHostOptions {
  plugins: readonly PluginFeature[];
  config?: Readonly<Record<string, unknown>>;
  /** Values for tokens no added plugin provides (fakes of other plugins, test doubles). */
  overrides?: readonly Override[];
  /** Default: a fresh {@link VirtualClock}. Pass `systemClock` for real-time tests. */
  clock?: VirtualClock | import('@krakenkit/plugin-api').Clock;
  random?: Random;
  logger?: Logger;
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
}

export interface TestHost extends AsyncDisposable {
  readonly host: Host;
  readonly clock: StartTestHostOptions['clock'] & {};
  /** Log lines written during the test (when no logger was passed). */
  readonly logs: string[];
  get<TToken extends AnyToken>(token: TToken): TokenValue<TToken>;
  stop(): Promise<void>;
}

/**
 * Starts a host for a plugin test: the given plugins, config, and overrides standing in for
 * plugins that are not added. Uses a virtual clock and a capturing logger unless given others.
 */
export async function startTestHost(options: StartTestHostOptions): Promise<TestHost> {
  const clock = options.clock ?? createVirtualClock();
  const capture = createCapturingLogger();
  let logger = options.logger ?? capture.logger;
  let random = options.random;
  let hostClock = clock;
  const pluginOverrides: Override[] = [];
  for (const override of options.overrides ?? []) {
    if (override.token.id === loggerToken.id) logger = override.value as Logger;
    else if (override.token.id === clockToken.id) hostClock = override.value as typeof clock;
    else if (override.token.id === randomToken.id) random = override.value as Random;
    else pluginOverrides.push(override);
  }
  const host = createHost({
    config: options.config ?? {},
    logger,
    clock: hostClock,
    ...(random ? { random } : {}),
    ...(options.startTimeoutMs === undefined ? {} : { startTimeoutMs: options.startTimeoutMs }),
    ...(options.stopTimeoutMs === undefined ? {} : { stopTimeoutMs: options.stopTimeoutMs }),
  });
  for (const plugin of options.plugins) host.add(plugin);
  if (pluginOverrides.length > 0) host.add(overridesPlugin(pluginOverrides));
  await host.start();
  return {
    host,
    clock: hostClock,
    logs: capture.lines,
    get: (token) => host.get(token),
    stop: () => host.stop(),
    [Symbol.asyncDispose]: () => host.stop(),
  };
}

function overridesPlugin(overrides: readonly Override[]) {
  const provides = Object.fromEntries(
    overrides.map((override, index) => [`override${index}`, override.token]),
  );
  const values = Object.fromEntries(overrides.map((override, index) => [`override${index}`, override.value]));
  return definePlugin({
    id: 'test-overrides',
    provides,
    setup: () => values as never,
  });
}
