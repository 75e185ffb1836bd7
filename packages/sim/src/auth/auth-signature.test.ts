import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeApiSign, verifyApiSign } from './auth-signature.js';

// Kraken's official REST authentication test vector (PROTOCOL §2.3).
const secret = Buffer.from(
  'kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==',
  'base64',
);
const nonce = '1616492376594';
const path = '/0/private/AddOrder';
const formBody = Buffer.from(
  'nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25',
);
const formSign = '4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==';
const jsonBody = Buffer.from(
  '{"nonce":"1616492376594","ordertype":"limit","pair":"XBTUSD","price":37500,"type":"buy","volume":1.25}',
);
const jsonSign = 'BVT3EumzzXSJHlvrinSwICz5uKKlSZPXL9cJIuKqn7ZMhHSbbtXhGdvwoDBmRz6ALXI+GVxFD0ZlGuOmfi2bxA==';

describe('API-Sign', () => {
  it("reproduces Kraken's official test vector (form body)", () => {
    expect(
      createHash('sha256')
        .update(nonce + formBody.toString())
        .digest('hex'),
    ).toBe('23a1c1b34c6a11d641af0f24684896cb90f66fb991125c83dc357bdc3dc146f1');
    expect(computeApiSign(path, nonce, formBody, secret)).toBe(formSign);
    expect(verifyApiSign(formSign, path, nonce, formBody, secret)).toBe(true);
  });

  it('reproduces the JSON-body vector', () => {
    expect(computeApiSign(path, nonce, jsonBody, secret)).toBe(jsonSign);
    expect(verifyApiSign(jsonSign, path, nonce, jsonBody, secret)).toBe(true);
  });

  it('refuses a missing, truncated, padded-away or leniently-decodable signature', () => {
    expect(verifyApiSign(undefined, path, nonce, formBody, secret)).toBe(false);
    expect(verifyApiSign(formSign.slice(0, -2), path, nonce, formBody, secret)).toBe(false);
    expect(
      verifyApiSign(`${formSign.slice(0, 10)}!${formSign.slice(11)}`, path, nonce, formBody, secret),
    ).toBe(false);
    expect(verifyApiSign(`${formSign} `, path, nonce, formBody, secret)).toBe(false);
  });

  it('depends on the path, the nonce text and every body byte', () => {
    expect(verifyApiSign(formSign, '/0/private/addOrder', nonce, formBody, secret)).toBe(false);
    expect(verifyApiSign(formSign, `${path}?x=1`, nonce, formBody, secret)).toBe(false);
    expect(verifyApiSign(formSign, path, `0${nonce}`, formBody, secret)).toBe(false);
    const changed = Buffer.from(formBody);
    changed[changed.length - 1] = 0x36;
    expect(verifyApiSign(formSign, path, nonce, changed, secret)).toBe(false);
  });
});
