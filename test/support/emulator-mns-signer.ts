import { createHash, createHmac } from 'node:crypto';

// A deliberately minimal MNS signer for the emulator's tests (PROTOCOL.md §4.2), written apart
// from both the product's client and the emulator's verifier.

/** Credentials a test signs with. */
export interface TestMnsCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/** MNS string-to-sign from explicit parts; `mnsHeaders` must already be lower-case `x-mns-*`. */
export function testStringToSign(
  method: string,
  contentMd5: string,
  contentType: string,
  date: string,
  mnsHeaders: Record<string, string>,
  resource: string,
): string {
  const canonical = Object.keys(mnsHeaders)
    .sort()
    .map((name) => `${name}:${mnsHeaders[name]}\n`)
    .join('');
  return `${method}\n${contentMd5}\n${contentType}\n${date}\n${canonical}${resource}`;
}

/** Base64 HMAC-SHA1 keyed with the bare secret. */
export function testSign(stringToSign: string, secret: string): string {
  return createHmac('sha1', secret).update(stringToSign, 'utf8').digest('base64');
}

/** Content-MD5 as the official Node SDK computes it: Base64 of the lower-case hex digest. */
export function hexBase64Md5(body: Buffer | string): string {
  return Buffer.from(createHash('md5').update(body).digest('hex'), 'latin1').toString('base64');
}

/** Content-MD5 per RFC 1864: Base64 of the raw 16-byte digest. */
export function rawBase64Md5(body: Buffer | string): string {
  return createHash('md5').update(body).digest('base64');
}
