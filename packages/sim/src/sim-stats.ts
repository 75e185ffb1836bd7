/**
 * Counters of everything the sim refused or noticed (malformed frames, unknown methods,
 * rate-limit hits, ...). Tests assert on them: bad input must be counted, not just survived.
 */
export class SimStats {
  readonly #counts = new Map<string, number>();

  count(name: string, increment = 1): void {
    this.#counts.set(name, (this.#counts.get(name) ?? 0) + increment);
  }

  get(name: string): number {
    return this.#counts.get(name) ?? 0;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.#counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}
