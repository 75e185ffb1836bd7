import { defineKrakenkitProject } from '../../vitest.shared.ts';

export default defineKrakenkitProject('auth');
