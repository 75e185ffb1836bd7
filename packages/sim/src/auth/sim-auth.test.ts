import { createHash, createHmac } from 'node:crypto';
import { createVirtualClock } from '@krakenkit/host/testing';
import { describe, expect, it } from 'vitest';
import { parseAccounts, type SimAccountInput } from '../sim-accounts.js';
import { SimClock } from '../sim-clock.js';
import { defaultLimits, type SimContext } from '../sim-context.js';
import type { RestAuthRequest } from '../sim-modules.js';
import { SimStats } from '../sim-stats.js';
import { createSimAuth } from './sim-auth.js';

const secret = 'kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==';

function setup(account: Partial<SimAccountInput> = {}, limits: Partial<SimContext['limits']> = {}) {
  const virtual = createVirtualClock();
  const context = {
    seed: '1',
    clock: new SimClock(virtual),
    limits: { ...defaultLimits, ...limits },
    stats: new SimStats(),
  } as unknown as SimContext;
  const accounts = parseAccounts({
    accounts: [{ id: 'vector', apiKey: 'vector-key-000000000000', apiSecret: secret, ...account }],
  });
  return { virtual, context, auth: createSimAuth(context, accounts) };
}

/** Signs like a client (own code, independent of the sim's signer). */
function signed(method: string, nonce: string, extra = '', overrides: Partial<RestAuthRequest> = {}) {
  const path = `/0/private/${method}`;
  const body = Buffer.from(`nonce=${nonce}${extra}`);
  const digest = createHash('sha256')
    .update(nonce + body.toString('utf8'))
    .digest();
  const sign = createHmac('sha512', Buffer.from(secret, 'base64'))
    .update(Buffer.concat([Buffer.from(path), digest]))
    .digest('base64');
  return {
    method,
    path,
    apiKey: 'vector-key-000000000000',
    apiSign: sign,
    nonce,
    body,
    remoteAddress: '127.0.0.1',
    ...overrides,
  } satisfies RestAuthRequest;
}

describe('authorizeRest', () => {
  it('accepts a correctly signed call and consumes its nonce', () => {
    const { auth } = setup();
    expect(auth.authorizeRest(signed('Balance', '1000'))).toEqual({ ok: true, accountId: 'vector' });
    expect(auth.authorizeRest(signed('Balance', '1000'))).toEqual({ ok: false, error: 'EAPI:Invalid nonce' });
    expect(auth.authorizeRest(signed('Balance', '999'))).toEqual({ ok: false, error: 'EAPI:Invalid nonce' });
    expect(auth.authorizeRest(signed('Balance', '1001')).ok).toBe(true);
  });

  it('checks the key, then the signature, then the nonce', () => {
    const { auth } = setup();
    expect(auth.authorizeRest(signed('Balance', '5', '', { apiKey: undefined }))).toEqual({
      ok: false,
      error: 'EAPI:Invalid key',
    });
    expect(auth.authorizeRest(signed('Balance', '5', '', { apiKey: 'nope' })).ok).toBe(false);
    // A bad signature with a stale nonce reads as a bad signature and does not consume anything.
    expect(auth.authorizeRest(signed('Balance', '0', '', { apiSign: 'AAAA' }))).toEqual({
      ok: false,
      error: 'EAPI:Invalid signature',
    });
    // Correctly signed, but the nonce is not a uint64.
    expect(auth.authorizeRest(signed('Balance', 'abc'))).toEqual({ ok: false, error: 'EAPI:Invalid nonce' });
    // No nonce at all: signed over an empty prefix it is a nonce problem, otherwise a signature one.
    const noNonce = signed('Balance', '', '', { nonce: undefined });
    expect(auth.authorizeRest(noNonce)).toEqual({ ok: false, error: 'EAPI:Invalid nonce' });
    expect(auth.authorizeRest({ ...signed('Balance', '7'), nonce: undefined })).toEqual({
      ok: false,
      error: 'EAPI:Invalid signature',
    });
  });

  it('refuses methods the key has no permission for, after consuming the nonce', () => {
    const { auth, context } = setup({
      permissions: { query: true, trade: false, cancel: true, funds: false, websocket: false },
    });
    expect(auth.authorizeRest(signed('Balance', '10'))).toEqual({
      ok: false,
      error: 'EGeneral:Permission denied',
    });
    expect(auth.authorizeRest(signed('Balance', '10')).ok).toBe(false);
    expect(auth.authorizeRest(signed('GetWebSocketsToken', '11')).ok).toBe(false);
    expect(auth.authorizeRest(signed('AddOrder', '12')).ok).toBe(false);
    expect(auth.authorizeRest(signed('AddOrderBatch', '13')).ok).toBe(false);
    expect(auth.authorizeRest(signed('CancelOrder', '14')).ok).toBe(true);
    expect(auth.authorizeRest(signed('OpenOrders', '15')).ok).toBe(true);
    expect(context.stats.get('auth.permission_denied')).toBe(4);
  });

  it('applies the REST call counter per tier, exempting trading calls', () => {
    const { auth, virtual } = setup({ tier: 'starter' });
    let nonce = 100;
    for (let i = 0; i < 15; i++) expect(auth.authorizeRest(signed('Balance', String(nonce++))).ok).toBe(true);
    expect(auth.authorizeRest(signed('Balance', String(nonce++)))).toEqual({
      ok: false,
      error: 'EAPI:Rate limit exceeded',
    });
    expect(auth.authorizeRest(signed('AddOrder', String(nonce++))).ok).toBe(true);
    virtual.advance(4 * 3031);
    expect(auth.authorizeRest(signed('Ledgers', String(nonce++))).ok).toBe(true);
    expect(auth.authorizeRest(signed('Balance', String(nonce++))).ok).toBe(false);
  });

  it('does not count calls when the counter is disabled', () => {
    const { auth } = setup({ tier: 'starter' }, { restCounter: false });
    for (let i = 1; i <= 40; i++) expect(auth.authorizeRest(signed('Balance', String(i))).ok).toBe(true);
  });

  it('locks a key out after the threshold of failures and lets it back in after lockoutMs', () => {
    const { auth, virtual, context } = setup({}, { lockoutThreshold: 3, lockoutMs: 60_000 });
    expect(auth.authorizeRest(signed('Balance', '50')).ok).toBe(true);
    for (const nonce of ['50', '49', '48']) {
      expect(auth.authorizeRest(signed('Balance', nonce))).toEqual({
        ok: false,
        error: 'EAPI:Invalid nonce',
      });
    }
    const lockout = { ok: false, error: 'EGeneral:Temporary lockout' };
    expect(auth.authorizeRest(signed('Balance', '51'))).toEqual(lockout);
    virtual.advance(59_999);
    expect(auth.authorizeRest(signed('Balance', '52'))).toEqual(lockout);
    virtual.advance(1);
    // Nonces refused during the lockout were never seen: 51 is still fresh.
    expect(auth.authorizeRest(signed('Balance', '51')).ok).toBe(true);
    expect(context.stats.get('auth.lockouts_started')).toBe(1);
  });

  it('locks an IP out for unknown keys without touching known keys from that IP', () => {
    const { auth } = setup({}, { lockoutThreshold: 2 });
    const unknown = signed('Balance', '1', '', { apiKey: 'guess' });
    expect(auth.authorizeRest(unknown).ok).toBe(false);
    expect(auth.authorizeRest(unknown)).toEqual({ ok: false, error: 'EAPI:Invalid key' });
    expect(auth.authorizeRest(unknown)).toEqual({ ok: false, error: 'EGeneral:Temporary lockout' });
    expect(auth.authorizeRest({ ...unknown, remoteAddress: '127.0.0.2' })).toEqual({
      ok: false,
      error: 'EAPI:Invalid key',
    });
    expect(auth.authorizeRest(signed('Balance', '2')).ok).toBe(true);
  });

  it('honours the key nonce window', () => {
    const { auth } = setup({ nonceWindow: 1000 });
    expect(auth.authorizeRest(signed('Balance', '5000')).ok).toBe(true);
    expect(auth.authorizeRest(signed('Balance', '4500')).ok).toBe(true);
    expect(auth.authorizeRest(signed('Balance', '4500')).ok).toBe(false);
    expect(auth.authorizeRest(signed('Balance', '4000')).ok).toBe(false);
  });
});
