import { createVirtualClock } from '@krakenkit/host/testing';
import { describe, expect, it } from 'vitest';
import { SimClock } from '../sim-clock.js';
import { defaultLimits, type SimContext } from '../sim-context.js';
import { AuthLockout } from './auth-lockout.js';

function setup(limits: Partial<SimContext['limits']> = {}) {
  const virtual = createVirtualClock();
  const clock = new SimClock(virtual);
  const context = { clock, limits: { ...defaultLimits, ...limits } } as unknown as SimContext;
  return { virtual, clock, lockout: new AuthLockout(context) };
}

describe('AuthLockout', () => {
  it('locks a subject on the threshold-th failure inside the window, for lockoutMs', () => {
    const { virtual, lockout } = setup({ lockoutThreshold: 3, lockoutWindowMs: 10_000, lockoutMs: 60_000 });
    expect(lockout.recordFailure('key:a')).toBe(false);
    expect(lockout.recordFailure('key:a')).toBe(false);
    expect(lockout.locked('key:a')).toBe(false);
    expect(lockout.recordFailure('key:a')).toBe(true);
    expect(lockout.locked('key:a')).toBe(true);
    expect(lockout.locked('key:b')).toBe(false);
    virtual.advance(59_999);
    expect(lockout.locked('key:a')).toBe(true);
    virtual.advance(1);
    expect(lockout.locked('key:a')).toBe(false);
    // The history starts afresh after a lockout.
    expect(lockout.recordFailure('key:a')).toBe(false);
  });

  it('forgets failures older than the window', () => {
    const { virtual, lockout } = setup({ lockoutThreshold: 3, lockoutWindowMs: 10_000, lockoutMs: 60_000 });
    lockout.recordFailure('ip:1');
    lockout.recordFailure('ip:1');
    virtual.advance(10_000);
    expect(lockout.recordFailure('ip:1')).toBe(false);
    expect(lockout.recordFailure('ip:1')).toBe(false);
    expect(lockout.recordFailure('ip:1')).toBe(true);
  });

  it('is not shortened by a server clock offset (monotonic time)', () => {
    const { clock, lockout } = setup({ lockoutThreshold: 1, lockoutMs: 60_000 });
    lockout.recordFailure('key:a');
    clock.setOffset(3_600_000);
    expect(lockout.locked('key:a')).toBe(true);
  });
});
