import { createHash } from 'node:crypto';

// Content-MD5 acceptance (PROTOCOL.md §4.3). The official SDKs send Base64 of the *hex* digest;
// RFC 1864 says Base64 of the raw digest. The real service accepts both, so the emulator does too,
// and rejects everything else.

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Whether a `Content-MD5` header value matches the body: Base64 of the hex MD5 (either hex case)
 * or Base64 of the 16 raw digest bytes.
 */
export function isAcceptedContentMd5(headerValue: string, body: Buffer): boolean {
  if (headerValue.length === 0 || !STRICT_BASE64.test(headerValue)) return false;
  const decoded = Buffer.from(headerValue, 'base64');
  const digest = createHash('md5').update(body).digest();
  if (decoded.length === digest.length) return decoded.equals(digest);
  return decoded.toString('latin1').toLowerCase() === digest.toString('hex');
}
