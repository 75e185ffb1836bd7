// PLACEHOLDER until the auth module lands: tokens work (SimTokens), nothing else.
import type { CreateSimAuth } from '../sim-modules.js';
import { SimTokens } from './sim-token-store.js';

export const createSimAuth: CreateSimAuth = (context) => ({ tokens: new SimTokens(context) });
