import { defineConfig } from 'vitest/config';

// One root config; each package and app is its own project (packages/*/vitest.config.ts).
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
  },
});
