import { createCapturingLogger, createVirtualClock, settle } from '@krakenkit/host/testing';
import type { CounterOptions, HistogramOptions, Metrics } from '@krakenkit/plugin-api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  NonceArgumentError,
  NonceExhaustedError,
  NonceLockTimeoutError,
  NonceStateError,
} from './nonce-errors.js';
import { MemoryNonceStore } from './nonce-memory-store.js';
import { StoreNonceProvider } from './nonce-provider.js';
import { maxNonce } from './nonce-scale.js';

const apiKey = 'CANARY-API-KEY-unit-3f9a1c';
const hour = 3_600_000;

async function openMemoryProvider(
  options: Parameters<typeof StoreNonceProvider.create>[1] = {},
  clock = createVirtualClock(),
) {
  const provider = StoreNonceProvider.create(MemoryNonceStore.create(), options, { clock });
  await provider.open();
  return { provider, clock };
}

function isStrictlyIncreasing(values: readonly bigint[]): boolean {
  return values.every((value, index) => index === 0 || value > (values[index - 1] ?? 0n));
}

/** Records what the provider reports, by metric name (a stand-in for diagnostics' registry). */
function recordingMetrics() {
  const records = new Map<string, { labels: unknown; value: number }[]>();
  const instrument = (options: CounterOptions<string> | HistogramOptions<string>) => {
    const list = records.get(options.name) ?? [];
    records.set(options.name, list);
    const record = (labels: unknown, value = 1) => list.push({ labels, value });
    return { inc: record, observe: record, set: record, dec: record };
  };
  const metrics: Metrics = { counter: instrument, gauge: instrument, histogram: instrument } as Metrics;
  return { metrics, records };
}

describe('StoreNonceProvider on the memory store', () => {
  it('is strictly increasing for many concurrent callers, across batches and clock jumps', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            callers: fc.integer({ min: 1, max: 40 }),
            locked: fc.boolean(),
            jumpMs: fc.integer({ min: -2 * hour, max: 2 * hour }),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        async (batches) => {
          const { provider, clock } = await openMemoryProvider();
          let previousMax = 0n;
          const all = new Set<bigint>();
          for (const batch of batches) {
            const resolved: bigint[] = [];
            const calls = Array.from({ length: batch.callers }, (_, index) =>
              (batch.locked && index % 2 === 0
                ? provider.withNonce(apiKey, async (nonce) => nonce)
                : provider.next(apiKey)
              ).then((nonce) => resolved.push(BigInt(nonce))),
            );
            await Promise.all(calls);
            let batchMax = previousMax;
            for (const nonce of resolved) {
              expect(nonce).toBeGreaterThan(previousMax);
              expect(nonce).toBeLessThanOrEqual(maxNonce);
              all.add(nonce);
              if (nonce > batchMax) batchMax = nonce;
            }
            previousMax = batchMax;
            clock.jumpWallClock(batch.jumpMs);
          }
          expect(all.size).toBe(batches.reduce((sum, batch) => sum + batch.callers, 0));
          await provider.close();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('runs sends one at a time per key, in nonce order, whatever order they finish in', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 2, max: 12 }), async (scheduler, count) => {
        const { provider } = await openMemoryProvider();
        const started: bigint[] = [];
        let inSend = 0;
        let overlap = false;
        const sends = Array.from({ length: count }, (_, index) =>
          provider.withNonce(index % 3 === 0 ? `${apiKey}-other` : apiKey, async (nonce) => {
            if (index % 3 !== 0) {
              started.push(BigInt(nonce));
              inSend++;
              if (inSend > 1) overlap = true;
            }
            await scheduler.schedule(Promise.resolve(), `send ${index}`);
            if (index % 3 !== 0) inSend--;
          }),
        );
        await scheduler.waitFor(Promise.all(sends));
        expect(overlap).toBe(false);
        expect(isStrictlyIncreasing(started)).toBe(true);
        await provider.close();
      }),
      { numRuns: 80 },
    );
  });

  it('keeps increasing when the wall clock steps back one hour, then follows the clock again', async () => {
    const { provider, clock } = await openMemoryProvider();
    const before = BigInt(await provider.next(apiKey));
    expect(before).toBe(BigInt(clock.now()) * 1_000_000n);
    clock.jumpWallClock(-hour);
    const after = [BigInt(await provider.next(apiKey)), BigInt(await provider.next(apiKey))];
    expect(after).toEqual([before + 1n, before + 2n]);
    clock.jumpWallClock(hour + 5);
    expect(BigInt(await provider.next(apiKey))).toBe(BigInt(clock.now()) * 1_000_000n);
  });

  it('uses the configured scale, with a sub-unit counter when the clock has not moved', async () => {
    for (const [scale, factor] of [
      ['ms', 1n],
      ['us', 1_000n],
      ['ns', 1_000_000n],
    ] as const) {
      const { provider, clock } = await openMemoryProvider({ scale });
      const base = BigInt(clock.now()) * factor;
      expect([await provider.next(apiKey), await provider.next(apiKey)]).toEqual([
        base.toString(),
        (base + 1n).toString(),
      ]);
      clock.advance(1);
      // max(last + 1, clock): at ms scale the counter is already at the next ms.
      const expected = base + factor > base + 2n ? base + factor : base + 2n;
      expect(await provider.next(apiKey)).toBe(expected.toString());
    }
  });

  it('keeps keys independent and returns decimal strings', async () => {
    const { provider, clock } = await openMemoryProvider();
    const first = await provider.next('key-one');
    expect(await provider.next('key-two')).toBe(first);
    expect(first).toMatch(/^[1-9][0-9]{18}$/);
    expect(first).toBe((BigInt(clock.now()) * 1_000_000n).toString());
  });

  it('honours raiseFloor, and never lowers anything', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.bigInt({ min: 0n, max: maxNonce - 1_000n }), { maxLength: 8 }),
        async (floors) => {
          const { provider } = await openMemoryProvider();
          let last = BigInt(await provider.next(apiKey));
          for (const floor of floors) {
            await provider.raiseFloor(apiKey, floor.toString());
            const next = BigInt(await provider.next(apiKey));
            expect(next).toBeGreaterThan(floor);
            expect(next).toBeGreaterThan(last);
            last = next;
          }
        },
      ),
    );
  });

  it('stops at the uint64 maximum with a typed error, never wrapping around', async () => {
    const { provider } = await openMemoryProvider();
    await provider.raiseFloor(apiKey, (maxNonce - 2n).toString());
    expect(await provider.next(apiKey)).toBe((maxNonce - 1n).toString());
    expect(await provider.withNonce(apiKey, async (nonce) => nonce)).toBe(maxNonce.toString());
    await expect(provider.next(apiKey)).rejects.toBeInstanceOf(NonceExhaustedError);
    await expect(provider.withNonce(apiKey, async () => 'sent')).rejects.toThrow(/Create a new API key/);
    // A clock far in the future (year ~2600 at ns) is refused the same way.
    const future = await openMemoryProvider({}, createVirtualClock({ now: 2e13 }));
    await expect(future.provider.next(apiKey)).rejects.toBeInstanceOf(NonceExhaustedError);
  });

  it('refuses bad arguments with typed errors', async () => {
    const { provider } = await openMemoryProvider();
    await expect(provider.next('')).rejects.toBeInstanceOf(NonceArgumentError);
    await expect(provider.raiseFloor(apiKey, '-5')).rejects.toBeInstanceOf(NonceArgumentError);
    await expect(provider.raiseFloor(apiKey, (maxNonce + 1n).toString())).rejects.toThrow(
      /exceeds the uint64 maximum/,
    );
  });

  it('is re-entrant inside send: next, withNonce and raiseFloor for the same key do not wait for the held lock', async () => {
    const { provider } = await openMemoryProvider();
    const seen = await provider.withNonce(apiKey, async (outer) => {
      const inner = await provider.next(apiKey);
      const nested = await provider.withNonce(apiKey, async (nonce) => nonce);
      await provider.raiseFloor(apiKey, (BigInt(nested) + 1_000n).toString());
      const afterFloor = await provider.next(apiKey);
      return [outer, inner, nested, afterFloor].map(BigInt);
    });
    expect(isStrictlyIncreasing(seen)).toBe(true);
    expect(seen[3]).toBe((seen[2] ?? 0n) + 1_001n);
  });

  it('passes errors from send through untouched and releases the lock', async () => {
    const { provider } = await openMemoryProvider();
    const failure = new Error('HTTP 502 from the exchange');
    await expect(
      provider.withNonce(apiKey, async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    await expect(provider.withNonce(apiKey, async () => 'next one runs')).resolves.toBe('next one runs');
  });

  it('times out a caller that waits too long for the send lock', async () => {
    const { provider, clock } = await openMemoryProvider({ lockTimeoutMs: 5_000 });
    let finish!: () => void;
    const slow = provider.withNonce(apiKey, () => new Promise<void>((resolve) => (finish = resolve)));
    const waiting = provider.withNonce(apiKey, async () => 'never');
    await settle();
    clock.advance(5_000);
    await expect(waiting).rejects.toBeInstanceOf(NonceLockTimeoutError);
    await expect(waiting).rejects.toThrow(/held by an earlier request of this process; no nonce was issued/);
    finish();
    await slow;
  });

  it('refuses use before open and after close; close waits for sends in flight', async () => {
    const provider = StoreNonceProvider.create(
      MemoryNonceStore.create(),
      {},
      { clock: createVirtualClock() },
    );
    await expect(provider.next(apiKey)).rejects.toBeInstanceOf(NonceStateError);
    await expect(provider.next(apiKey)).rejects.toThrow(/not open yet; call open\(\) first/);
    await provider.open();
    await provider.open(); // idempotent
    let finish!: () => void;
    let sent = false;
    const send = provider.withNonce(apiKey, async () => {
      await new Promise<void>((resolve) => (finish = resolve));
      sent = true;
    });
    await settle();
    const closed = provider.close();
    await expect(provider.next(apiKey)).rejects.toThrow(/is closing; no nonce was issued/);
    finish();
    await closed;
    expect(sent).toBe(true);
    await send;
    await expect(provider.next(apiKey)).rejects.toThrow(/is closed/);
    await expect(provider.open()).rejects.toBeInstanceOf(NonceStateError);
  });

  it('reports metrics and never logs the API key', async () => {
    const { metrics, records } = recordingMetrics();
    const capture = createCapturingLogger();
    const clock = createVirtualClock();
    const provider = StoreNonceProvider.create(
      MemoryNonceStore.create(),
      {},
      { clock, metrics, logger: capture.logger },
    );
    await provider.open();
    await provider.next(apiKey);
    await provider.withNonce(apiKey, async () => undefined);
    await provider.raiseFloor(apiKey, maxNonce.toString());
    await expect(provider.next(apiKey)).rejects.toThrow();
    expect(records.get('krakenkit_nonce_issued_total')).toHaveLength(2);
    expect(records.get('krakenkit_nonce_floor_raises_total')).toEqual([
      { labels: { storage: 'memory' }, value: 1 },
    ]);
    expect(records.get('krakenkit_nonce_lock_wait_seconds')).toEqual([
      { labels: { storage: 'memory' }, value: 0 },
    ]);
    expect(records.get('krakenkit_nonce_failures_total')).toEqual([
      { labels: { storage: 'memory', code: 'NONCE_EXHAUSTED' }, value: 1 },
    ]);
    const logs = capture.lines.join('\n');
    expect(logs).toContain('raised the nonce floor');
    expect(logs).toContain('NONCE_EXHAUSTED');
    expect(logs).not.toContain(apiKey);
    expect(logs).not.toContain('3f9a1c');
  });
});
