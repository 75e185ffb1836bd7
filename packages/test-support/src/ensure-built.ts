import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Child processes import built packages (`dist`, through their exports). Turbo builds a
 * package and its dependencies before its `test` task; a bare `vitest` run builds them here.
 * `files` are paths relative to the repository root that must exist.
 */
export function ensureBuilt(options: { packageName: string; files: readonly string[] }): void {
  if (options.files.every((file) => existsSync(join(repositoryRoot, file)))) return;
  execFileSync(
    'pnpm',
    ['turbo', 'run', 'build', `--filter=${options.packageName}`, '--output-logs=errors-only'],
    {
      cwd: repositoryRoot,
    },
  );
}
