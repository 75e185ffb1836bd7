import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Kraken's API-Sign (PROTOCOL §2.2): `base64(HMAC-SHA512(secret, path ‖ SHA256(nonce ‖ body)))`.
 * `body` is the exact payload bytes; `nonce` is the decimal text the body carries.
 */
export function computeApiSign(path: string, nonce: string, body: Buffer, secret: Buffer): string {
  const inner = createHash('sha256').update(nonce, 'utf8').update(body).digest();
  return createHmac('sha512', secret).update(path, 'utf8').update(inner).digest('base64');
}

/**
 * Checks a received `API-Sign` header against the signature of what was received. The
 * comparison is on the base64 text, in constant time: any changed character fails, even
 * one a lenient base64 decoder would skip (`!`, a dropped `=`).
 */
export function verifyApiSign(
  received: string | undefined,
  path: string,
  nonce: string,
  body: Buffer,
  secret: Buffer,
): boolean {
  if (received === undefined) return false;
  const expected = Buffer.from(computeApiSign(path, nonce, body, secret), 'latin1');
  const actual = Buffer.from(received, 'latin1');
  if (actual.length !== expected.length) {
    // Compare anyway so a wrong length costs the same time as a wrong signature.
    timingSafeEqual(expected, expected);
    return false;
  }
  return timingSafeEqual(actual, expected);
}
