import {
  clockToken,
  createToken,
  definePlugin,
  healthCheckToken,
  type LifecycleHook,
  loggerToken,
  type Metrics,
  metricsBackendToken,
  metricsToken,
  optional,
  Secret,
} from '@krakenkit/plugin-api';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHost, type Host } from './host.js';
import {
  DependencyCycleError,
  DuplicatePluginError,
  DuplicateProviderError,
  HookTimeoutError,
  HostConfigError,
  HostStateError,
  InvalidFeatureError,
  MissingDependencyError,
  PluginSetupError,
  PluginStartError,
  type PluginStopError,
  ProvidesMismatchError,
  UnknownTokenError,
} from './host-errors.js';
import { createCapturingLogger } from './testing/capturing-logger.js';
import { createVirtualClock, settle } from './testing/virtual-clock.js';

const aToken = createToken<string>({ id: 'a.value', providedBy: '@krakenkit/a' });
const bToken = createToken<string>({ id: 'b.value' });
const cToken = createToken<string>({ id: 'c.value' });

/** A plugin that records its lifecycle into `events`. */
function recorder(
  events: string[],
  id: string,
  options: {
    deps?: Record<string, typeof aToken>;
    provides?: typeof aToken;
    onStart?: LifecycleHook;
    onStop?: LifecycleHook;
  } = {},
) {
  return definePlugin({
    id,
    deps: options.deps ?? {},
    provides: options.provides ? { value: options.provides } : {},
    setup: ({ onStart, onStop }) => {
      events.push(`setup:${id}`);
      onStart(async (signal) => {
        events.push(`start:${id}`);
        await options.onStart?.(signal);
      });
      onStop(async (signal) => {
        events.push(`stop:${id}`);
        await options.onStop?.(signal);
      });
      return (options.provides ? { value: id } : undefined) as never;
    },
  });
}

function quietHost(options: Parameters<typeof createHost>[0] = {}): Host {
  return createHost({ logger: createCapturingLogger().logger, ...options });
}

describe('start order', () => {
  it('sets up and starts in dependency order, ties in add order, and stops in reverse', async () => {
    const events: string[] = [];
    const host = quietHost()
      .add(recorder(events, 'orders', { deps: { a: aToken, b: bToken } }))
      .add(recorder(events, 'b', { provides: bToken, deps: { a: aToken } }))
      .add(recorder(events, 'lonely'))
      .add(recorder(events, 'a', { provides: aToken }));
    await host.start();
    expect(events).toEqual([
      'setup:lonely',
      'setup:a',
      'setup:b',
      'setup:orders',
      'start:lonely',
      'start:a',
      'start:b',
      'start:orders',
    ]);
    events.length = 0;
    await host.stop();
    expect(events).toEqual(['stop:orders', 'stop:b', 'stop:a', 'stop:lonely']);
  });

  it('runs start hooks one at a time', async () => {
    const events: string[] = [];
    const slow =
      (label: string): LifecycleHook =>
      async () => {
        events.push(`${label}:begin`);
        await settle();
        events.push(`${label}:end`);
      };
    const host = quietHost()
      .add(recorder(events, 'first', { provides: aToken, onStart: slow('first') }))
      .add(recorder(events, 'second', { deps: { a: aToken }, onStart: slow('second') }));
    await host.start();
    expect(events.filter((event) => event.includes(':begin') || event.includes(':end'))).toEqual([
      'first:begin',
      'first:end',
      'second:begin',
      'second:end',
    ]);
    await host.stop();
  });

  it('runs a plugin’s own stop hooks last-registered first', async () => {
    const events: string[] = [];
    const plugin = definePlugin({
      id: 'two-hooks',
      setup: ({ onStop }) => {
        onStop(() => void events.push('registered-first'));
        onStop(() => void events.push('registered-second'));
        return undefined;
      },
    });
    const host = quietHost().add(plugin);
    await host.start();
    await host.stop();
    expect(events).toEqual(['registered-second', 'registered-first']);
  });

  it('accepts dynamic imports whose default export is a plugin', async () => {
    const events: string[] = [];
    const host = quietHost().add(
      Promise.resolve({ default: recorder(events, 'imported', { provides: aToken }) }),
    );
    await host.start();
    expect(host.get(aToken)).toBe('imported');
    await host.stop();
  });

  it('rejects features that are not plugins, naming their position', async () => {
    const host = quietHost()
      .add(recorder([], 'fine'))
      .add(Promise.resolve({ default: { id: 'fake' } }) as never);
    const error = await host.start().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidFeatureError);
    expect((error as Error).message).toMatch(/host\.add\(\) #2 is not a plugin/);
  });
});

describe('config', () => {
  const schemaA = z
    .object({ url: z.url().default('wss://ws.kraken.com/v2'), depth: z.number().int().default(10) })
    .strict();
  const schemaB = z.object({ key: z.string(), nested: z.object({ retries: z.number() }).strict() }).strict();

  it('parses each slice, applies defaults and hands the result to setup', async () => {
    let seen: unknown;
    const plugin = definePlugin({
      id: 'configured',
      configSchema: schemaA,
      setup: ({ config }) => {
        seen = config;
        return undefined;
      },
    });
    const host = quietHost({ config: { configured: { depth: 25 } } }).add(plugin);
    await host.start();
    expect(seen).toEqual({ url: 'wss://ws.kraken.com/v2', depth: 25 });
    await host.stop();
  });

  it('reports every problem of every plugin in one error, before any setup', async () => {
    const events: string[] = [];
    const pluginA = definePlugin({
      id: 'plugin-a',
      configSchema: schemaA,
      setup: () => void events.push('setup'),
    });
    const pluginB = definePlugin({
      id: 'plugin-b',
      configSchema: schemaB,
      setup: () => void events.push('setup'),
    });
    const host = quietHost({
      config: {
        'plugin-a': { url: 'not a url', depth: 2.5, typo: true },
        'plugin-b': { nested: { retries: 'x', extra: 1 } },
        'plugin-c': {},
      },
    })
      .add(pluginA)
      .add(pluginB);
    const error = await host.start().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HostConfigError);
    expect((error as HostConfigError).issues).toEqual([
      'plugin-c: no added plugin has this id (added: plugin-a, plugin-b)',
      'plugin-a.url: Invalid URL',
      'plugin-a.depth: Invalid input: expected int, received number',
      'plugin-a.typo: unknown key',
      'plugin-b.key: Invalid input: expected string, received undefined',
      'plugin-b.nested.retries: Invalid input: expected number, received string',
      'plugin-b.nested.extra: unknown key',
    ]);
    expect((error as Error).message).toMatch(/^Invalid configuration \(7 problems\):\n {2}plugin-c: /);
    expect(events).toEqual([]);
    expect(host.state).toBe('failed');
  });
});

describe('wiring errors', () => {
  it('rejects a plugin id added twice', async () => {
    const host = quietHost().add(recorder([], 'same')).add(recorder([], 'same'));
    await expect(host.start()).rejects.toThrow(DuplicatePluginError);
    await expect(host.start()).rejects.toThrow("Plugin 'same' was added twice");
  });

  it('rejects a second provider for a single token, naming both', async () => {
    const host = quietHost()
      .add(recorder([], 'first', { provides: aToken }))
      .add(recorder([], 'second', { provides: aToken }));
    const error = await host.start().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DuplicateProviderError);
    expect((error as Error).message).toBe(
      "Token 'a.value' takes one provider but is provided by 'first' and 'second'; remove one of them.",
    );
  });

  it('rejects a plugin that provides a host service', async () => {
    const plugin = definePlugin({
      id: 'clock-thief',
      provides: { clock: clockToken },
      setup: () => ({ clock: {} as never }),
    });
    await expect(quietHost().add(plugin).start()).rejects.toThrow(
      "Token 'host.clock' takes one provider but is provided by 'host' and 'clock-thief'",
    );
  });

  it('lists missing providers per plugin with the package that provides them', async () => {
    const host = quietHost()
      .add(recorder([], 'orders', { deps: { a: aToken, b: bToken } }))
      .add(recorder([], 'balance', { deps: { c: cToken } }))
      .add(recorder([], 'content', { deps: {} }));
    const error = await host.start().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MissingDependencyError);
    expect((error as Error).message).toBe(
      [
        "Plugin 'orders' needs 'a.value' (add @krakenkit/a), 'b.value', which no added plugin provides.",
        "Plugin 'balance' needs 'c.value', which no added plugin provides.",
      ].join('\n'),
    );
    expect((error as MissingDependencyError).missing.map((entry) => entry.pluginId)).toEqual([
      'orders',
      'balance',
    ]);
  });

  it('prints a dependency cycle', async () => {
    const host = quietHost()
      .add(recorder([], 'standalone'))
      .add(recorder([], 'a', { provides: aToken, deps: { c: cToken } }))
      .add(recorder([], 'b', { provides: bToken, deps: { a: aToken } }))
      .add(recorder([], 'c', { provides: cToken, deps: { b: bToken } }));
    const error = await host.start().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DependencyCycleError);
    expect((error as DependencyCycleError).cycle).toEqual(['a', 'c', 'b', 'a']);
    expect((error as Error).message).toBe('Plugins depend on each other in a cycle: a -> c -> b -> a.');
  });

  it('treats a plugin that needs its own token as a cycle', async () => {
    const host = quietHost().add(recorder([], 'selfish', { provides: aToken, deps: { a: aToken } }));
    await expect(host.start()).rejects.toThrow('cycle: selfish -> selfish');
  });
});

describe('dependencies', () => {
  it('gives optional dependencies undefined when absent and the value when present', async () => {
    const seen: unknown[] = [];
    const consumer = definePlugin({
      id: 'consumer',
      deps: { a: optional(aToken), checks: optional(healthCheckToken) },
      setup: ({ deps }) => {
        seen.push(deps.a, deps.checks);
        return undefined;
      },
    });
    const without = quietHost().add(consumer);
    await without.start();
    expect(seen).toEqual([undefined, []]);
    await without.stop();

    seen.length = 0;
    const withIt = quietHost()
      .add(consumer)
      .add(recorder([], 'a', { provides: aToken }));
    await withIt.start();
    expect(seen).toEqual(['a', []]);
    await withIt.stop();
  });

  it('collects every provider of a multiple token, after all of them are set up', async () => {
    const checker = (id: string) =>
      definePlugin({
        id,
        provides: { health: healthCheckToken },
        setup: () => ({ health: { name: id, check: () => ({ status: 'healthy' as const }) } }),
      });
    let names: string[] = [];
    const collector = definePlugin({
      id: 'collector',
      deps: { checks: healthCheckToken },
      setup: ({ deps }) => {
        names = deps.checks.map((check) => check.name);
        return undefined;
      },
    });
    const host = quietHost().add(collector).add(checker('one')).add(checker('two'));
    await host.start();
    expect(names).toEqual(['one', 'two']);
    expect(host.get(healthCheckToken).map((check) => check.name)).toEqual(['one', 'two']);
    await host.stop();
  });

  it('resolves host services as dependencies too', async () => {
    const clock = createVirtualClock();
    let resolved: unknown;
    const plugin = definePlugin({
      id: 'timed',
      deps: { clock: clockToken },
      setup: ({ deps }) => {
        resolved = deps.clock;
        return undefined;
      },
    });
    const host = quietHost({ clock }).add(plugin);
    await host.start();
    expect(resolved).toBe(clock);
    expect(host.get(clockToken)).toBe(clock);
    await host.stop();
  });
});

describe('setup', () => {
  it('rejects a result that misses or adds provides keys', async () => {
    const missing = definePlugin({
      id: 'missing',
      provides: { a: aToken, b: bToken },
      setup: () => ({ a: 'x' }) as never,
    });
    const error = await quietHost()
      .add(missing)
      .start()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProvidesMismatchError);
    expect((error as Error).message).toBe(
      "Plugin 'missing' setup must return exactly its 'provides' keys: missing 'b'.",
    );

    const extra = definePlugin({
      id: 'extra',
      provides: { a: aToken },
      setup: () => ({ a: 'x', b: 'y' }) as never,
    });
    await expect(quietHost().add(extra).start()).rejects.toThrow(
      "exactly its 'provides' keys: unexpected 'b'.",
    );
  });

  it('wraps a setup failure with the plugin id and cause, and starts nothing', async () => {
    const events: string[] = [];
    const cause = new Error('bad wiring');
    const broken = definePlugin({
      id: 'broken',
      deps: { a: aToken },
      setup: () => {
        throw cause;
      },
    });
    const host = quietHost()
      .add(recorder(events, 'a', { provides: aToken }))
      .add(broken);
    const error = await host.start().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PluginSetupError);
    expect((error as PluginSetupError).pluginId).toBe('broken');
    expect((error as Error).cause).toBe(cause);
    expect((error as Error).message).toBe("Plugin 'broken' setup failed: bad wiring");
    expect(events).toEqual(['setup:a']);
  });

  it('refuses lifecycle hooks registered after setup returned', async () => {
    let late: ((hook: LifecycleHook) => void) | undefined;
    const plugin = definePlugin({
      id: 'late',
      setup: ({ onStart }) => {
        late = onStart;
        return undefined;
      },
    });
    const host = quietHost().add(plugin);
    await host.start();
    expect(() => late?.(() => undefined)).toThrow(HostStateError);
    await host.stop();
  });

  it('labels each plugin logger with its id and redacts secret fields', async () => {
    const capture = createCapturingLogger();
    const plugin = definePlugin({
      id: 'chatty',
      setup: ({ logger }) => {
        logger.info(
          { token: 'raw-token-canary', key: new Secret('secret-canary'), params: { token: 'frame-canary' } },
          'hello',
        );
        return undefined;
      },
    });
    const host = createHost({ logger: capture.logger }).add(plugin);
    await host.start();
    await host.stop();
    const line = capture.entries().find((entry) => entry.msg === 'hello');
    expect(line).toMatchObject({
      plugin: 'chatty',
      token: '[REDACTED]',
      key: '[REDACTED]',
      params: { token: '[REDACTED]' },
    });
    expect(capture.lines.join('\n')).not.toMatch(/canary/);
  });
});

describe('start failure', () => {
  it('stops the started plugins in reverse and rethrows with the plugin id and cause', async () => {
    const events: string[] = [];
    const cause = new Error('socket refused');
    const host = quietHost()
      .add(recorder(events, 'a', { provides: aToken }))
      .add(recorder(events, 'b', { provides: bToken, deps: { a: aToken } }))
      .add(
        recorder(events, 'c', {
          deps: { b: bToken },
          onStart: () => {
            throw cause;
          },
        }),
      )
      .add(recorder(events, 'd', { deps: { b: bToken } }));
    const error = await host.start().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PluginStartError);
    expect((error as PluginStartError).pluginId).toBe('c');
    expect((error as Error).cause).toBe(cause);
    expect((error as Error).message).toBe("Plugin 'c' failed to start: socket refused");
    expect(events.filter((event) => !event.startsWith('setup'))).toEqual([
      'start:a',
      'start:b',
      'start:c',
      'stop:b',
      'stop:a',
    ]);
    expect(host.state).toBe('failed');
    await host.stop();
    expect(events.filter((event) => event === 'stop:a')).toHaveLength(1);
  });

  it('reports rollback failures alongside the start failure', async () => {
    const host = quietHost()
      .add(recorder([], 'a', { provides: aToken, onStop: () => Promise.reject(new Error('stuck')) }))
      .add(recorder([], 'b', { deps: { a: aToken }, onStart: () => Promise.reject(new Error('boom')) }));
    const error = (await host.start().catch((caught: unknown) => caught)) as PluginStartError;
    expect(error.message).toBe(
      "Plugin 'b' failed to start: boom (and 1 stop hook(s) failed during rollback)",
    );
    expect(error.rollbackErrors).toHaveLength(1);
    expect((error.rollbackErrors[0] as PluginStopError).pluginId).toBe('a');
  });

  it('fails a start hook that exceeds startTimeoutMs (virtual time)', async () => {
    const clock = createVirtualClock();
    let aborted: unknown;
    const host = quietHost({ clock, startTimeoutMs: 5_000 }).add(
      recorder([], 'hanging', {
        onStart: (signal) =>
          new Promise<void>(() => {
            signal.addEventListener('abort', () => {
              aborted = signal.reason;
            });
          }),
      }),
    );
    const starting = host.start().catch((caught: unknown) => caught);
    await settle();
    clock.advance(4_999);
    await settle();
    expect(host.state).toBe('starting');
    clock.advance(1);
    const error = (await starting) as PluginStartError;
    expect(error).toBeInstanceOf(PluginStartError);
    expect(error.cause).toBeInstanceOf(HookTimeoutError);
    expect((error.cause as Error).message).toBe(
      "Plugin 'hanging' start hook did not finish within 5000 ms; raise startTimeoutMs or fix the hook.",
    );
    expect(aborted).toBe(error.cause);
  });
});

describe('stop', () => {
  it('is idempotent: concurrent and repeated calls run each hook once', async () => {
    const events: string[] = [];
    const host = quietHost().add(recorder(events, 'a'));
    await host.start();
    const first = host.stop();
    expect(host.stop()).toBe(first);
    await first;
    await host.stop();
    expect(events.filter((event) => event.startsWith('stop'))).toEqual(['stop:a']);
    expect(host.state).toBe('stopped');
  });

  it('runs every hook even when some fail, then throws one AggregateError', async () => {
    const events: string[] = [];
    const host = quietHost()
      .add(recorder(events, 'a', { provides: aToken, onStop: () => Promise.reject(new Error('a broke')) }))
      .add(recorder(events, 'b', { provides: bToken, deps: { a: aToken } }))
      .add(
        recorder(events, 'c', { deps: { b: bToken }, onStop: () => Promise.reject(new Error('c broke')) }),
      );
    await host.start();
    const error = await host.stop().catch((caught: unknown) => caught);
    expect(events.filter((event) => event.startsWith('stop'))).toEqual(['stop:c', 'stop:b', 'stop:a']);
    expect(error).toBeInstanceOf(AggregateError);
    const { errors } = error as AggregateError;
    expect(errors.map((entry: PluginStopError) => entry.pluginId)).toEqual(['c', 'a']);
    expect((error as Error).message).toBe(
      "2 plugin stop hook(s) failed: Plugin 'c' failed to stop: c broke; Plugin 'a' failed to stop: a broke",
    );
  });

  it('times out a hanging stop hook and still runs the rest (virtual time)', async () => {
    const clock = createVirtualClock();
    const events: string[] = [];
    const host = quietHost({ clock, stopTimeoutMs: 2_000 })
      .add(recorder(events, 'a', { provides: aToken }))
      .add(
        recorder(events, 'hanging', {
          deps: { a: aToken },
          onStop: () => new Promise<void>(() => undefined),
        }),
      );
    await host.start();
    const stopping = host.stop().catch((caught: unknown) => caught);
    await settle();
    expect(events.at(-1)).toBe('stop:hanging');
    clock.advance(2_000);
    const error = (await stopping) as AggregateError;
    expect(events.at(-1)).toBe('stop:a');
    expect(error.errors[0].cause).toBeInstanceOf(HookTimeoutError);
    expect(error.errors[0].message).toMatch(/'hanging' failed to stop: .*within 2000 ms/);
  });

  it('cuts a start in progress short, rolls back, and resolves', async () => {
    const events: string[] = [];
    let hookSignal: AbortSignal | undefined;
    const host = quietHost()
      .add(recorder(events, 'a', { provides: aToken }))
      .add(
        recorder(events, 'connecting', {
          deps: { a: aToken },
          onStart: (signal) => {
            hookSignal = signal;
            return new Promise<void>(() => undefined);
          },
        }),
      );
    const starting = host.start().catch((caught: unknown) => caught);
    await settle();
    expect(host.state).toBe('starting');
    await host.stop();
    const startError = (await starting) as PluginStartError;
    expect(startError).toBeInstanceOf(PluginStartError);
    expect(startError.cause).toBeInstanceOf(HostStateError);
    expect(hookSignal?.aborted).toBe(true);
    expect(events.filter((event) => !event.startsWith('setup'))).toEqual([
      'start:a',
      'start:connecting',
      'stop:a',
    ]);
    expect(host.state).toBe('stopped');
  });

  it('works with await using', async () => {
    const events: string[] = [];
    {
      await using host = quietHost().add(recorder(events, 'scoped'));
      await host.start();
    }
    expect(events).toContain('stop:scoped');
  });

  it('disposes the container: get() fails after stop', async () => {
    const host = quietHost().add(recorder([], 'a', { provides: aToken }));
    await host.start();
    await host.stop();
    expect(() => host.get(aToken)).toThrow("host.get('a.value') needs a running host; it is stopped.");
  });

  it('stops an idle host without running anything', async () => {
    const events: string[] = [];
    const host = quietHost().add(recorder(events, 'a'));
    await host.stop();
    expect(events).toEqual([]);
    await expect(host.start()).rejects.toThrow('This host was stopped; create a new host to start again.');
  });
});

describe('host API', () => {
  it('refuses add() once start was called', async () => {
    const host = quietHost().add(recorder([], 'a'));
    await host.start();
    expect(() => host.add(recorder([], 'b'))).toThrow(
      'Cannot add a plugin to a host that is running; add every plugin before start().',
    );
    await host.stop();
  });

  it('get() needs a running host and a provided token', async () => {
    const host = quietHost().add(recorder([], 'a', { provides: aToken }));
    expect(() => host.get(aToken)).toThrow(HostStateError);
    await host.start();
    expect(host.get(aToken)).toBe('a');
    expect(() => host.get(bToken)).toThrow(UnknownTokenError);
    expect(() => host.get(bToken)).toThrow("No plugin provides 'b.value'");
    expect(host.get(healthCheckToken)).toEqual([]);
    expect(host.get(loggerToken)).toBeDefined();
    await host.stop();
  });

  it('start() is shared by concurrent callers', async () => {
    const events: string[] = [];
    const host = quietHost().add(recorder(events, 'a'));
    await Promise.all([host.start(), host.start()]);
    expect(events.filter((event) => event === 'start:a')).toHaveLength(1);
    await host.stop();
  });
});

describe('security', () => {
  it('warns loudly when TLS certificate checks are disabled', async () => {
    const capture = createCapturingLogger();
    const previous = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    try {
      const host = createHost({ logger: capture.logger }).add(recorder([], 'a'));
      await host.start();
      await host.stop();
    } finally {
      if (previous === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = previous;
    }
    expect(
      capture
        .entries()
        .some(
          (entry) => entry.level === 50 && String(entry.msg).startsWith('NODE_TLS_REJECT_UNAUTHORIZED=0'),
        ),
    ).toBe(true);
  });
});

describe('metrics', () => {
  it('records nowhere until a backend plugin is added, then forwards', async () => {
    const recorded: string[] = [];
    const backend: Metrics = {
      counter: (options) => ({
        inc: (...args: unknown[]) => void recorded.push(`${options.name} inc ${JSON.stringify(args)}`),
      }),
      gauge: (options) => ({
        set: (...args: unknown[]) => void recorded.push(`${options.name} set ${JSON.stringify(args)}`),
        inc: () => undefined,
        dec: () => undefined,
      }),
      histogram: (options) => ({
        observe: (...args: unknown[]) =>
          void recorded.push(`${options.name} observe ${JSON.stringify(args)}`),
      }),
    };
    const user = definePlugin({
      id: 'user',
      setup: ({ metrics, onStart }) => {
        const counter = metrics.counter({
          name: 'krakenkit_test_events_total',
          help: 'events',
          labelNames: ['kind'],
        });
        const gauge = metrics.gauge({ name: 'krakenkit_test_depth_count', help: 'depth' });
        const histogram = metrics.histogram({ name: 'krakenkit_test_latency_seconds', help: 'latency' });
        counter.inc({ kind: 'early' });
        onStart(() => {
          counter.inc({ kind: 'x' }, 2);
          gauge.set(5);
          histogram.observe(0.25);
        });
        return undefined;
      },
    });
    const diagnostics = definePlugin({
      id: 'diagnostics',
      provides: { backend: metricsBackendToken },
      setup: () => ({ backend }),
    });
    const host = quietHost().add(user).add(diagnostics);
    await host.start();
    expect(recorded).toEqual([
      'krakenkit_test_events_total inc [{"kind":"x"},2]',
      'krakenkit_test_depth_count set [5]',
      'krakenkit_test_latency_seconds observe [0.25]',
    ]);
    expect(host.get(metricsToken)).toBeDefined();
    await host.stop();
  });

  it('rejects badly named metrics and kind conflicts', async () => {
    const plugin = (name: string, second?: 'gauge') =>
      definePlugin({
        id: 'namer',
        setup: ({ metrics }) => {
          metrics.counter({ name, help: 'x' });
          if (second) metrics.gauge({ name, help: 'x' });
          return undefined;
        },
      });
    await expect(quietHost().add(plugin('requests')).start()).rejects.toThrow(
      /krakenkit_<area>_<what>_<unit>/,
    );
    await expect(quietHost().add(plugin('krakenkit_x_total', 'gauge')).start()).rejects.toThrow(
      "Metric 'krakenkit_x_total' is already a counter; it cannot also be a gauge.",
    );
  });
});
