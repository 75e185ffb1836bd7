import { createVirtualClock } from '@krakenkit/host/testing';
import { describe, expect, it } from 'vitest';
import { ConnectionAttemptBudget } from './connection-attempt-budget.js';

describe('ConnectionAttemptBudget', () => {
  it('allows the maximum in the rolling window, then says how long to wait', () => {
    const clock = createVirtualClock();
    const budget = new ConnectionAttemptBudget(clock, { maxAttempts: 3, windowMs: 60_000 });
    for (let i = 0; i < 3; i++) {
      expect(budget.delayUntilAllowedMs()).toBe(0);
      budget.record();
      clock.advance(1_000);
    }
    expect(budget.used).toBe(3);
    expect(budget.delayUntilAllowedMs()).toBe(57_000);
    clock.advance(57_000);
    expect(budget.delayUntilAllowedMs()).toBe(0);
    expect(budget.used).toBe(2);
  });

  it('defaults below Cloudflare’s 150 attempts per 10 minutes', () => {
    const clock = createVirtualClock();
    const budget = new ConnectionAttemptBudget(clock);
    for (let i = 0; i < 140; i++) budget.record();
    expect(budget.delayUntilAllowedMs()).toBe(600_000);
  });
});
