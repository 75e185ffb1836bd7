import { defineKrakenkitProject } from '../../vitest.shared.ts';

export default defineKrakenkitProject('host', {
  typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
});
