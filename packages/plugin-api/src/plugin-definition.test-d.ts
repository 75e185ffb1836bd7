import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { definePlugin } from './plugin-definition.js';
import { createToken, optional } from './plugin-token.js';

interface NonceProvider {
  next(key: string): Promise<string>;
}
const nonceToken = createToken<NonceProvider>({ id: 'nonce.provider' });
const healthToken = createToken<{ name: string }>({ id: 'host.healthCheck', multiple: true });
const countToken = createToken<number>({ id: 'counter.count' });
const nonce: NonceProvider = { next: async () => '1' };

describe('definePlugin types', () => {
  it('types deps: required, optional, and multiple', () => {
    definePlugin({
      id: 'consumer',
      deps: {
        nonce: nonceToken,
        maybe: optional(countToken),
        checks: healthToken,
        someChecks: optional(healthToken),
      },
      setup: ({ deps }) => {
        expectTypeOf(deps.nonce).toEqualTypeOf<NonceProvider>();
        expectTypeOf(deps.maybe).toEqualTypeOf<number | undefined>();
        expectTypeOf(deps.checks).toEqualTypeOf<{ name: string }[]>();
        expectTypeOf(deps.someChecks).toEqualTypeOf<{ name: string }[]>();
        return undefined;
      },
    });
  });

  it('types config as the schema output, defaults applied', () => {
    definePlugin({
      id: 'configured',
      configSchema: z.object({
        url: z.string().default('wss://ws.kraken.com/v2'),
        depth: z.number().optional(),
      }),
      setup: ({ config }) => {
        expectTypeOf(config).toEqualTypeOf<{ url: string; depth?: number | undefined }>();
        return undefined;
      },
    });
  });

  it('requires setup to return exactly its provides', () => {
    definePlugin({ id: 'ok', provides: { nonce: nonceToken }, setup: () => ({ nonce }) });
    definePlugin({ id: 'ok-async', provides: { nonce: nonceToken }, setup: async () => ({ nonce }) });
    // one value per multiple token
    definePlugin({
      id: 'health',
      provides: { health: healthToken },
      setup: () => ({ health: { name: 'x' } }),
    });

    // @ts-expect-error -- the provided key is missing
    definePlugin({ id: 'missing', provides: { nonce: nonceToken }, setup: () => ({}) });
    // @ts-expect-error -- wrong value type for the token
    definePlugin({ id: 'wrong', provides: { count: countToken }, setup: () => ({ count: 'three' }) });
    // @ts-expect-error -- returns nothing although it provides a token
    definePlugin({ id: 'nothing', provides: { count: countToken }, setup: () => undefined });
    definePlugin({
      id: 'extra',
      provides: { count: countToken },
      // @ts-expect-error -- a key that is not declared in provides
      setup: () => ({ count: 1, surplus: true }),
    });
  });

  it('keeps the plugin id literal', () => {
    const plugin = definePlugin({ id: 'literal-id', setup: () => undefined });
    expectTypeOf(plugin.id).toEqualTypeOf<'literal-id'>();
  });
});
