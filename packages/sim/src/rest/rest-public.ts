// PLACEHOLDER until the market module's public REST lands.
import type { CreatePublicRest } from '../sim-modules.js';

export const createPublicRest: CreatePublicRest = () => ({});
