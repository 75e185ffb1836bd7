import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePlugin, isPlugin } from './plugin-definition.js';
import { createToken, optional } from './plugin-token.js';

const numberToken = createToken<number>({ id: 'numbers.value' });

describe('definePlugin', () => {
  it('returns a frozen plugin value with defaults for omitted parts', () => {
    const plugin = definePlugin({ id: 'empty', setup: () => undefined });
    expect(isPlugin(plugin)).toBe(true);
    expect(Object.isFrozen(plugin)).toBe(true);
    expect(plugin.deps).toEqual({});
    expect(plugin.provides).toEqual({});
    expect(plugin.configSchema.safeParse({}).success).toBe(true);
    expect(plugin.configSchema.safeParse({ unexpected: 1 }).success).toBe(false);
  });

  it('keeps deps, provides and the config schema', () => {
    const configSchema = z.object({ size: z.number().default(3) }).strict();
    const plugin = definePlugin({
      id: 'numbers',
      configSchema,
      deps: { other: optional(numberToken) },
      provides: { value: numberToken },
      setup: ({ config }) => ({ value: config.size }),
    });
    expect(plugin.configSchema).toBe(configSchema);
    expect(Object.keys(plugin.deps)).toEqual(['other']);
    expect(plugin.provides.value).toBe(numberToken);
  });

  it.each(['Orders', 'core_transport', 'core--transport', '-x', ''])('rejects the plugin id %j', (id) => {
    expect(() => definePlugin({ id, setup: () => undefined })).toThrow(/kebab-case/);
  });

  it('rejects deps and provides that are not tokens, and a missing setup', () => {
    expect(() =>
      definePlugin({ id: 'a', deps: { x: { id: 'x.y' } as never }, setup: () => undefined }),
    ).toThrow(/dependency 'x' is not a token/);
    expect(() =>
      definePlugin({ id: 'a', provides: { x: 'x.y' as never }, setup: () => ({ x: 1 }) as never }),
    ).toThrow(/provides 'x', which is not a token/);
    expect(() => definePlugin({ id: 'a' } as never)).toThrow(/no setup function/);
    expect(() => definePlugin({ id: 'a', configSchema: {} as never, setup: () => undefined })).toThrow(
      /not a zod schema/,
    );
  });
});
