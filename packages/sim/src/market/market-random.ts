import type { Random } from '@krakenkit/plugin-api';

/**
 * Draws built on one seeded uniform generator. Each helper consumes a fixed number of
 * uniforms, so the background market's n-th event depends only on the seed and n.
 */
export class Draws {
  constructor(readonly uniform: Random) {}

  /** Standard normal (Box–Muller; two uniforms). */
  normal(): number {
    const u = 1 - this.uniform();
    const v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Exponential with mean 1 (one uniform). */
  exponential(): number {
    return -Math.log(1 - this.uniform());
  }

  /** Integer in [min, max] (one uniform). */
  int(min: number, max: number): number {
    return min + Math.floor(this.uniform() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.uniform() < probability;
  }
}
