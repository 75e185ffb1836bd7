// PLACEHOLDER until the auth module lands: no token is ever valid.
import type { CreateSimAuth } from '../sim-modules.js';

export const createSimAuth: CreateSimAuth = () => ({
  tokens: {
    issue: () => {
      throw new Error('auth module not implemented yet');
    },
    resolve: () => ({ ok: false, error: 'ESession:Invalid session' }),
    releaseConnection: () => undefined,
    invalidate: () => undefined,
  },
});
