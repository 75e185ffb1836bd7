import {
  createToken,
  type HealthCheck,
  healthCheckToken,
  type Logger,
  loggerToken,
} from '@krakenkit/plugin-api';
import { describe, expectTypeOf, it } from 'vitest';
import { createHost } from './host.js';

const countToken = createToken<number>({ id: 'counter.count' });

describe('host types', () => {
  it('get(token) has the token type; multiple tokens give arrays', () => {
    const host = createHost();
    expectTypeOf(host.get(countToken)).toEqualTypeOf<number>();
    expectTypeOf(host.get(healthCheckToken)).toEqualTypeOf<HealthCheck[]>();
    expectTypeOf(host.get(loggerToken)).toEqualTypeOf<Logger>();
    // @ts-expect-error -- not a token
    host.get('counter.count');
  });

  it('add() takes plugins and dynamic imports, not arbitrary values', () => {
    const host = createHost();
    expectTypeOf(host.add).parameter(0).not.toEqualTypeOf<unknown>();
    // @ts-expect-error -- a string is not a plugin feature
    host.add('@krakenkit/nonce');
  });
});
