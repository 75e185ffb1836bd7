import { describe, expect, it } from 'vitest';
import { createSeededRandom } from './random.js';

describe('createSeededRandom', () => {
  it('replays the same sequence for the same seed and differs across seeds', () => {
    const draw = (seed: number | string) => {
      const random = createSeededRandom(seed);
      return Array.from({ length: 20 }, () => random());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw('42')).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('stays in [0, 1) and spreads evenly', () => {
    const random = createSeededRandom(7);
    const buckets = new Array(10).fill(0);
    let min = 1;
    let max = 0;
    for (let i = 0; i < 100_000; i++) {
      const value = random();
      min = Math.min(min, value);
      max = Math.max(max, value);
      buckets[Math.floor(value * 10)]++;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(600);
  });
});
