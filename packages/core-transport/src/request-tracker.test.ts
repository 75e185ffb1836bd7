import { createVirtualClock } from '@krakenkit/host/testing';
import { describe, expect, it } from 'vitest';
import { RequestTracker } from './request-tracker.js';
import type { MethodResponse } from './wire-messages.js';

const response = (reqId: number, success = true): MethodResponse => ({
  kind: 'method-response',
  method: 'subscribe',
  success,
  req_id: reqId,
});

describe('RequestTracker', () => {
  it('settles when every expected response arrived, ignoring foreign ones', async () => {
    const tracker = new RequestTracker(createVirtualClock());
    const result = tracker.register(1, 'subscribe', { expected: 2, timeoutMs: 1_000 });
    tracker.written(1);
    expect(tracker.onResponse(response(2))).toBe(false);
    expect(tracker.onResponse(response(1))).toBe(true);
    expect(tracker.size).toBe(1);
    tracker.onResponse(response(1, false));
    expect(await result).toEqual({ outcome: 'answered', responses: [response(1), response(1, false)] });
    expect(tracker.size).toBe(0);
  });

  it('times out written requests as unknown, keeping partial answers', async () => {
    const clock = createVirtualClock();
    const tracker = new RequestTracker(clock);
    const result = tracker.register(5, 'cancel_order', { expected: 3, timeoutMs: 1_000 });
    tracker.written(5);
    tracker.onResponse(response(5));
    clock.advance(1_000);
    expect(await result).toEqual({ outcome: 'unknown', reason: 'timeout', responses: [response(5)] });
    expect(clock.pendingTimers).toBe(0);
  });

  it('on connection loss: written → unknown, unwritten → not sent', async () => {
    const tracker = new RequestTracker(createVirtualClock());
    const written = tracker.register(1, 'add_order', { expected: 1, timeoutMs: 1_000 });
    const queued = tracker.register(2, 'add_order', { expected: 1, timeoutMs: 1_000 });
    tracker.written(1);
    tracker.connectionLost();
    expect(await written).toEqual({ outcome: 'unknown', reason: 'connection-lost', responses: [] });
    expect(await queued).toEqual({ outcome: 'not-sent', reason: 'not-connected' });
  });
});
