import { Secret } from '@krakenkit/plugin-api';
import { describe, expect, it } from 'vitest';
import { classifyKrakenError, KrakenApiError } from './kraken-error.js';

describe('Kraken error mapping', () => {
  it.each([
    ['EAPI:Invalid nonce', 'invalid-nonce', false, false],
    ['EGeneral:Invalid arguments:ordertype', 'invalid-arguments', false, false],
    ['EService:Throttled: 1712345678', 'rate-limit', true, false],
    ['EOrder:Rate limit exceeded', 'trading-rate-limit', false, false],
    ['EOrder:Insufficient funds', 'insufficient-funds', false, false],
    ['EOrder:Cost minimum not met', 'order-rejected', false, false],
    ['EService:Unavailable', 'service-unavailable', true, true],
    ['EService:Busy', 'service-busy', true, true],
    ['EGeneral:Internal error:5', 'internal-error', true, true],
    ['EService:Market in cancel_only mode', 'market-restricted', false, false],
    ['ESession:Invalid session', 'invalid-session', false, false],
    ['Currency pair not supported XBT/USD', 'unknown-pair', false, false],
    ['ESomething:New', 'unknown', false, true],
  ])('%s → %s', (text, kind, retryable, outcomeUnknown) => {
    expect(classifyKrakenError(text)).toMatchObject({ kind, retryable, outcomeUnknown });
  });

  it('builds an error with a stable code, the Kraken text and advice, bounded in length', () => {
    const error = new KrakenApiError('EAPI:Invalid nonce', 'private call AddOrder');
    expect(error.code).toBe('KRAKEN_INVALID_NONCE');
    expect(error.message).toBe(
      "private call AddOrder: EAPI:Invalid nonce. Use one key per process, a shared nonce store, or raise the key's nonce window.",
    );
    const long = new KrakenApiError(`EGeneral:Invalid arguments:${'x'.repeat(5_000)}`, 'call');
    expect(long.krakenError.length).toBeLessThanOrEqual(513);
    expect(
      String(new KrakenApiError('EAPI:Invalid key', `call with ${new Secret('k')}`).message),
    ).not.toContain("'k'");
  });
});
