import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt as ensurePackagesBuilt } from '@krakenkit/test-support';

export const packageDir = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** Child processes import the built `@krakenkit/nonce`. */
export function ensureBuilt(): void {
  ensurePackagesBuilt({
    packageName: '@krakenkit/nonce',
    files: ['packages/nonce/dist/index.js', 'packages/plugin-api/dist/index.js'],
  });
}
