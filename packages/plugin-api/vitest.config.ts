import { defineKrakenkitProject } from '../../vitest.shared.ts';

export default defineKrakenkitProject('plugin-api', {
  typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
});
