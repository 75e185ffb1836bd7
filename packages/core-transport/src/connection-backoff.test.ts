import { createSeededRandom } from '@krakenkit/plugin-api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReconnectBackoff } from './connection-backoff.js';

describe('ReconnectBackoff', () => {
  it('draws each delay uniformly below min(max, base × 2^attempt) (full jitter)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 1, max: 120_000 }),
        fc.nat(40),
        (base, max, seed) => {
          const backoff = new ReconnectBackoff(
            { baseDelayMs: base, maxDelayMs: max },
            createSeededRandom(seed),
          );
          for (let attempt = 0; attempt < 40; attempt++) {
            const delay = backoff.nextDelayMs();
            expect(delay).toBeGreaterThanOrEqual(0);
            expect(delay).toBeLessThan(Math.max(1, Math.min(max, base * 2 ** attempt)));
          }
        },
      ),
    );
  });

  it('spreads delays across the whole window and starts over after reset', () => {
    const backoff = new ReconnectBackoff({ baseDelayMs: 1_000, maxDelayMs: 1_000 }, createSeededRandom(1));
    const delays = Array.from({ length: 2_000 }, () => backoff.nextDelayMs());
    expect(Math.min(...delays)).toBeLessThan(50);
    expect(Math.max(...delays)).toBeGreaterThan(950);
    expect(backoff.attempt).toBe(2_000);
    backoff.reset();
    expect(backoff.attempt).toBe(0);
  });

  it('bounds reconnect attempts while a server is down for 5 minutes to ~15 with a 30 s cap', () => {
    const backoff = new ReconnectBackoff({ baseDelayMs: 500, maxDelayMs: 30_000 }, createSeededRandom(9));
    let elapsed = 0;
    let attempts = 0;
    while (elapsed < 5 * 60_000) {
      elapsed += backoff.nextDelayMs();
      attempts++;
    }
    // Full jitter averages half the cap: about 20 attempts; never a tight loop.
    expect(attempts).toBeLessThanOrEqual(30);
  });
});
