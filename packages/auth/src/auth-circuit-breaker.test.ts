import { createVirtualClock } from '@krakenkit/host/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type CircuitState } from './auth-circuit-breaker.js';
import { authBreakerConfigSchema } from './auth-config.js';
import { AuthCircuitOpenError } from './auth-errors.js';

const options = authBreakerConfigSchema.parse({
  failureThreshold: 3,
  cooldownMs: 1_000,
  maxCooldownMs: 4_000,
});

function breakerOnVirtualTime() {
  const clock = createVirtualClock();
  const transitions: string[] = [];
  const breaker = new CircuitBreaker(options, clock, (from, to) => transitions.push(`${from}->${to}`));
  return { clock, breaker, transitions };
}

describe('CircuitBreaker', () => {
  it('closed → open after N consecutive failures → half-open after the cooldown → closed on success', () => {
    const { clock, breaker, transitions } = breakerOnVirtualTime();
    breaker.recordFailure('E1');
    breaker.recordSuccess(); // resets the count
    breaker.recordFailure('E1');
    breaker.recordFailure('E1');
    expect(breaker.state).toBe('closed');
    breaker.check();
    breaker.recordFailure('E2');
    expect(breaker.state).toBe('open');
    expect(() => breaker.check()).toThrow(AuthCircuitOpenError);
    expect(() => breaker.check()).toThrow(/last 3 requests failed \(last: E2\).*again in 1 s/);
    clock.advance(999);
    expect(breaker.snapshot()).toMatchObject({
      state: 'open',
      retryInMs: 1,
      consecutiveFailures: 3,
      opens: 1,
    });
    clock.advance(1);
    expect(breaker.state).toBe('half-open');
    breaker.check();
    breaker.recordSuccess();
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    expect(transitions).toEqual(['closed->open', 'open->half-open', 'half-open->closed']);
  });

  it('a failed trial reopens with the cooldown doubled, up to the maximum; success resets it', () => {
    const { clock, breaker } = breakerOnVirtualTime();
    for (let i = 0; i < 3; i++) breaker.recordFailure('E');
    const cooldowns: number[] = [];
    for (let trial = 0; trial < 4; trial++) {
      const opened = clock.monotonic();
      while (breaker.state === 'open') clock.advance(100);
      cooldowns.push(clock.monotonic() - opened);
      breaker.recordFailure('E');
    }
    expect(cooldowns).toEqual([1_000, 2_000, 4_000, 4_000]);
    while (breaker.state === 'open') clock.advance(100);
    breaker.recordSuccess();
    for (let i = 0; i < 3; i++) breaker.recordFailure('E');
    expect(breaker.snapshot().retryInMs).toBe(1_000);
  });

  it('opens at once for the lockout cooldown on a lockout', () => {
    const { clock, breaker } = breakerOnVirtualTime();
    breaker.recordFailure('AUTH_LOCKOUT', { lockout: true });
    expect(breaker.state).toBe('open');
    expect(breaker.snapshot().retryInMs).toBe(900_000);
    clock.advance(899_999);
    expect(breaker.state).toBe('open');
    clock.advance(1);
    expect(breaker.state).toBe('half-open');
  });

  it('property: never lets a request through while open, and always does after a success', () => {
    type Step = { kind: 'fail' | 'succeed' | 'lockout' } | { kind: 'wait'; ms: number };
    const step = fc.oneof(
      fc.constantFrom<Step>({ kind: 'fail' }, { kind: 'succeed' }, { kind: 'lockout' }),
      fc.integer({ min: 0, max: 5_000 }).map((ms): Step => ({ kind: 'wait', ms })),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const { clock, breaker } = breakerOnVirtualTime();
        let openUntil = 0;
        let failures = 0;
        for (const item of steps) {
          const state: CircuitState = breaker.state;
          const now = clock.monotonic();
          if (now < openUntil) expect(state).toBe('open');
          if (state === 'open') expect(() => breaker.check()).toThrow(AuthCircuitOpenError);
          else expect(() => breaker.check()).not.toThrow();
          if (item.kind === 'wait') clock.advance(item.ms);
          else if (item.kind === 'succeed') {
            if (state === 'open') continue; // nothing is sent while open
            breaker.recordSuccess();
            failures = 0;
            expect(breaker.state).toBe('closed');
          } else {
            if (state === 'open') continue;
            failures += 1;
            breaker.recordFailure('E', { lockout: item.kind === 'lockout' });
            if (item.kind === 'lockout' || state === 'half-open' || failures >= options.failureThreshold) {
              expect(breaker.state).toBe('open');
              openUntil = now + (breaker.snapshot().retryInMs ?? 0);
            }
          }
        }
      }),
    );
  });
});
