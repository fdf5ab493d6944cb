import { timingSafeEqual } from 'node:crypto';
import { hmacSha1Base64 } from './hmac-sha1.js';
import { PopBytesWriter, popEncode } from './pop-encoding.js';

// POP RPC "signature v1" as the server computes it (PROTOCOL.md §2.3), written independently of
// the client's signer.

/** HTTP methods a POP RPC request may use. */
export type RpcHttpMethod = 'GET' | 'POST';

/**
 * Rebuilds the string-to-sign of a request from its decoded parameters (`Signature` excluded):
 * `METHOD&%2F&enc(sorted enc(name)=enc(value) joined by &)`.
 */
export function buildRpcStringToSign(method: RpcHttpMethod, parameters: Readonly<Record<string, string>>): string {
  const names = Object.keys(parameters).filter((name) => name !== 'Signature');
  const encodedNames = names.map(popEncode);
  // NOTE: sorting the encoded names equals Alibaba's raw-name order for ASCII names and gives
  // a total byte order otherwise (the default sort compares UTF-16 code units, i.e. bytes here).
  const order = encodedNames.every((encoded, i) => encoded === names[i])
    ? names.sort()
    : names.map((name, i) => [encodedNames[i], name] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, name]) => name);
  // NOTE: percent-encoding works byte by byte, so enc(a & "=" & b) = enc(a) & enc("=") & enc(b): the
  // canonical query is encoded a second time piece by piece, straight into bytes.
  const writer = new PopBytesWriter(`${method}&${popEncode('/')}&`);
  order.forEach((name, i) => {
    if (i > 0) writer.writeEncoded('&');
    writer.writeEncodedTwice(name);
    writer.writeEncoded('=');
    writer.writeEncodedTwice(parameters[name]);
  });
  return writer.text();
}

/** Base64 of HMAC-SHA1 over the string-to-sign, keyed with `accessKeySecret + "&"`. */
export function computeRpcSignature(stringToSign: string, accessKeySecret: string): string {
  return hmacSha1Base64(`${accessKeySecret}&`, stringToSign);
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
