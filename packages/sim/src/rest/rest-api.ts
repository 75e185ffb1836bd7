// PLACEHOLDER until the REST module lands.
import type { CreateRestApi } from '../sim-modules.js';

export const createRestApi: CreateRestApi = () => ({
  handle: (_request, response) => {
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end('{"error":["EGeneral:Internal error"]}');
  },
});
