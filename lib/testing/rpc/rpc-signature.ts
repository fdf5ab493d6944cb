import { createHmac, timingSafeEqual } from 'node:crypto';
import { popEncode } from './pop-encoding.js';

// POP RPC "signature v1" as the server computes it (PROTOCOL.md §2.3), written independently of
// the client's signer.

/** HTTP methods a POP RPC request may use. */
export type RpcHttpMethod = 'GET' | 'POST';

/**
 * Rebuilds the string-to-sign of a request from its decoded parameters (`Signature` excluded):
 * `METHOD&%2F&enc(sorted enc(name)=enc(value) joined by &)`.
 */
export function buildRpcStringToSign(method: RpcHttpMethod, parameters: Readonly<Record<string, string>>): string {
  const canonicalQuery = Object.keys(parameters)
    .filter((name) => name !== 'Signature')
    .map((name) => [popEncode(name), popEncode(parameters[name])] as const)
    // NOTE: sorting the encoded names equals Alibaba's raw-name order for ASCII names and gives
    // a total byte order otherwise.
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  return `${method}&${popEncode('/')}&${popEncode(canonicalQuery)}`;
}

/** Base64 of HMAC-SHA1 over the string-to-sign, keyed with `accessKeySecret + "&"`. */
export function computeRpcSignature(stringToSign: string, accessKeySecret: string): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign, 'utf8').digest('base64');
}

/** Compares a received signature with the expected one in constant time. */
export function rpcSignaturesMatch(received: string, expected: string): boolean {
  const a = Buffer.from(received, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  // NOTE: timingSafeEqual needs equal lengths; comparing b with itself keeps the timing flat.
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}
