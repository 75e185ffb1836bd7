import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageDir = join(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Child processes import the built package (`@krakenkit/nonce` resolves to dist through the
 * package's own exports). Turbo builds it before `test`; running vitest directly builds it here.
 */
export function ensureBuilt(): void {
  const built = ['dist/index.js', '../plugin-api/dist/index.js'].every((file) =>
    existsSync(join(packageDir, file)),
  );
  if (!built) {
    execFileSync(
      'pnpm',
      ['turbo', 'run', 'build', '--filter=@krakenkit/nonce', '--output-logs=errors-only'],
      {
        cwd: join(packageDir, '../..'),
      },
    );
  }
}
