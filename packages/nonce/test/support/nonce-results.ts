import { readFileSync } from 'node:fs';

export interface ResultLine {
  nonce: bigint;
  pid: number;
}

/** The lines workers appended under the lock, in lock order. */
export function readResults(path: string): ResultLine[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const [nonce, pid] = line.split(' ');
      return { nonce: BigInt(nonce ?? ''), pid: Number(pid) };
    });
}

/** Positions where a nonce is not above the one before it (empty when strictly increasing). */
export function orderViolations(lines: readonly ResultLine[]): number[] {
  const violations: number[] = [];
  for (let index = 1; index < lines.length; index++) {
    if ((lines[index]?.nonce ?? 0n) <= (lines[index - 1]?.nonce ?? 0n)) violations.push(index);
  }
  return violations;
}
