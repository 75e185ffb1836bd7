import { createHash, createHmac, type KeyObject } from 'node:crypto';

/**
 * Kraken's `API-Sign` (PROTOCOL §2.2):
 * `base64(HMAC-SHA512(secret, utf8(path) ‖ SHA-256(utf8(nonce + postData))))`.
 *
 * `postData` must be the exact body that is sent (serialize once, sign that string, send
 * that string); `nonce` is the decimal text the body carries. `secret` is the decoded
 * private key: a `KeyObject` (as {@link KrakenCredentials} holds it) or raw bytes.
 */
export function signApiRequest(
  path: string,
  nonce: string,
  postData: string,
  secret: KeyObject | Uint8Array,
): string {
  const inner = createHash('sha256').update(nonce, 'utf8').update(postData, 'utf8').digest();
  return createHmac('sha512', secret).update(path, 'utf8').update(inner).digest('base64');
}
