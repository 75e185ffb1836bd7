// PLACEHOLDER until the private WS module lands: every request fails.
import type { CreatePrivateEndpoint } from '../sim-modules.js';

export const createPrivateEndpoint: CreatePrivateEndpoint = () => ({
  onRequest: (session, request) => session.respond(request, { error: 'EGeneral:Internal error' }),
});
