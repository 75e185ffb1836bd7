import { defaultServerConditions } from 'vite';
import { defineProject, type ViteUserConfig } from 'vitest/config';

/**
 * Per-package vitest project. Sibling packages resolve through the `source` export
 * condition, so tests run against their TypeScript sources without a prior build.
 */
export function defineKrakenkitProject(name: string, overrides: ViteUserConfig['test'] = {}) {
  const conditions = ['source', ...defaultServerConditions];
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions } },
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
      testTimeout: 20_000,
      hookTimeout: 20_000,
      ...overrides,
    },
  });
}
