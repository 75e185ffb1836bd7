import {
  HttpResponseError,
  HttpStatusError,
  HttpTransportError,
  KrakenApiError,
} from '@krakenkit/core-transport';
import { describe, expect, it } from 'vitest';
import { decideFailure, stateChangingMethods } from './auth-call-policy.js';
import { AuthError, OutcomeUnknownError } from './auth-errors.js';

const kraken = (text: string) => new KrakenApiError(text, '/0/private/X');

describe('decideFailure', () => {
  it('marks order and funding methods as state-changing, reads not', () => {
    for (const method of ['AddOrder', 'AddOrderBatch', 'AmendOrder', 'EditOrder', 'CancelOrder', 'CancelAll'])
      expect(stateChangingMethods.has(method)).toBe(true);
    for (const method of ['Balance', 'BalanceEx', 'OpenOrders', 'QueryOrders', 'GetWebSocketsToken'])
      expect(stateChangingMethods.has(method)).toBe(false);
  });

  it('asks for the nonce recovery on EAPI:Invalid nonce, for reads and state-changing calls', () => {
    expect(decideFailure(kraken('EAPI:Invalid nonce'), 'Balance', false)).toEqual({
      action: 'invalid-nonce',
    });
    expect(decideFailure(kraken('EAPI:Invalid nonce'), 'AddOrder', true)).toEqual({
      action: 'invalid-nonce',
    });
  });

  it.each([
    ['EAPI:Invalid key', 'invalid-key'],
    ['EAPI:Invalid signature', 'invalid-signature'],
    ['EGeneral:Permission denied', 'permission-denied'],
    ['EAPI:Permission denied', 'permission-denied'],
    ['EGeneral:Temporary lockout', 'lockout'],
  ])('never retries %s: AuthError %s', (text, problem) => {
    for (const stateChanging of [false, true]) {
      const decision = decideFailure(kraken(text), 'Balance', stateChanging);
      expect(decision.action).toBe('throw');
      const error = (decision as { error: AuthError }).error;
      expect(error).toBeInstanceOf(AuthError);
      expect(error.problem).toBe(problem);
      expect(error.krakenError).toBe(text);
    }
  });

  it('retries reads on service errors, 5xx/429 and transport failures; not on rejections or rate limits', () => {
    for (const error of [
      kraken('EService:Unavailable'),
      kraken('EService:Busy'),
      kraken('EGeneral:Internal error'),
      new HttpStatusError('/0/private/Balance', 502),
      new HttpStatusError('/0/private/Balance', 429),
      new HttpTransportError('/0/private/Balance', false, 'refused'),
      new HttpTransportError('/0/private/Balance', 'unknown', 'timed out'),
    ])
      expect(decideFailure(error, 'Balance', false).action).toBe('retry');
    for (const error of [
      kraken('EGeneral:Invalid arguments:pair'),
      kraken('EAPI:Rate limit exceeded'),
      kraken('EService:Throttled: 1712345678'),
      new HttpStatusError('/0/private/Balance', 404),
      new HttpResponseError('/0/private/Balance', 'not JSON'),
    ])
      expect(decideFailure(error, 'Balance', false)).toEqual({ action: 'throw', error });
  });

  it('never retries state-changing calls: ambiguous failures become OutcomeUnknownError', () => {
    const unknown = [
      kraken('EService:Unavailable'),
      kraken('EService:Busy'),
      kraken('EService:Deadline elapsed'),
      kraken('EGeneral:Internal error'),
      kraken('EFuture:Something new'),
      new HttpStatusError('/0/private/AddOrder', 502),
      new HttpStatusError('/0/private/AddOrder', 429),
      new HttpTransportError('/0/private/AddOrder', 'unknown', 'timed out'),
      new HttpResponseError('/0/private/AddOrder', 'not JSON'),
    ];
    for (const error of unknown) {
      const decision = decideFailure(error, 'AddOrder', true);
      expect(decision.action).toBe('throw');
      const thrown = (decision as { error: OutcomeUnknownError }).error;
      expect(thrown).toBeInstanceOf(OutcomeUnknownError);
      expect(thrown.cause).toBe(error);
      expect(thrown.message).toMatch(/^AddOrder: the outcome is unknown .* reconcile first/);
    }
    const rejected = kraken('EOrder:Insufficient funds');
    expect(decideFailure(rejected, 'AddOrder', true)).toEqual({ action: 'throw', error: rejected });
    const notSent = new HttpTransportError('/0/private/AddOrder', false, 'refused');
    expect(decideFailure(notSent, 'AddOrder', true)).toEqual({ action: 'throw', error: notSent });
  });
});
