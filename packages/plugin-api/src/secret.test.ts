import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Secret } from './secret.js';

describe('Secret', () => {
  const canary = 'canary-secret-value-7f3a';

  it('reveals the value only through reveal()', () => {
    expect(new Secret(canary).reveal()).toBe(canary);
  });

  it('prints [REDACTED] through every formatting path', () => {
    const secret = new Secret(canary);
    const outputs = [
      String(secret),
      `${secret}`,
      `${secret as unknown as string}`,
      JSON.stringify({ secret }),
      inspect(secret),
      inspect({ nested: { secret } }, { depth: 10, showHidden: true }),
      secret.toString(),
      `${[secret]}`,
      Object.keys(secret).join(','),
      JSON.stringify(Object.entries(secret)),
    ];
    for (const output of outputs) expect(output).not.toContain(canary);
    expect(JSON.stringify({ secret })).toBe('{"secret":"[REDACTED]"}');
  });
});
