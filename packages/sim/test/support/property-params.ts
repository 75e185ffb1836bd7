import type { Parameters } from 'fast-check';

/**
 * fast-check parameters for the package's property tests. By default each test runs its own
 * fixed seed, so every run — CI on a loaded machine included — checks exactly the same
 * cases and a red build always replays. Exploring new cases is one variable away:
 *
 * - `FC_SEED=random`: a fresh seed per property (fast-check prints it with any failure);
 * - `FC_SEED=<integer>`: that seed for every property (replays a printed failure);
 * - `FC_RUNS=<n>`: n runs per property instead of the test's own number.
 *
 * `FC_SEED=random FC_RUNS=1000 pnpm exec vitest run --testTimeout=0` in packages/sim hunts
 * for new counterexamples (many runs outlast the 20 s test timeout); a failure found that
 * way gets its own deterministic test. Through turbo (`pnpm test`), add `--force`: its cache
 * keys on the variables' text, and `random` is always the same text.
 */
export function propertyParams<T>(
  defaults: { seed: number; numRuns?: number },
  extra: Parameters<T> = {},
): Parameters<T> {
  const seedText = process.env.FC_SEED?.trim();
  const runsText = process.env.FC_RUNS?.trim();
  const params: Parameters<T> = { ...extra };
  if (seedText === undefined || seedText === '') params.seed = defaults.seed;
  else if (seedText !== 'random') params.seed = integer('FC_SEED', seedText);
  const numRuns = runsText ? integer('FC_RUNS', runsText) : defaults.numRuns;
  if (numRuns !== undefined) params.numRuns = numRuns;
  return params;
}

function integer(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value))
    throw new Error(`${name} must be an integer (or FC_SEED=random), got ${text}`);
  return value;
}
