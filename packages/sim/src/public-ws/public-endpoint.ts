// PLACEHOLDER until the public WS module lands: every request fails.
import type { CreatePublicEndpoint } from '../sim-modules.js';

export const createPublicEndpoint: CreatePublicEndpoint = () => ({
  onRequest: (session, request) => session.respond(request, { error: 'EGeneral:Internal error' }),
});
