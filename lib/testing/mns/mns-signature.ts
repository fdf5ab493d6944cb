import { createHmac, timingSafeEqual } from 'node:crypto';

// MNS request signature, rebuilt on the server side (PROTOCOL.md §4.2).

/** The request parts that go into an MNS string-to-sign, taken verbatim from the wire. */
export interface MnsStringToSignParts {
  /** HTTP method, e.g. `GET`. */
  method: string;
  /** `Content-MD5` header value, empty or absent when not sent. */
  contentMd5?: string;
  /** `Content-Type` header value, empty or absent when not sent. */
  contentType?: string;
  /** Value of the DATE line: the `Date` header (or `x-mns-date` when `Date` is absent). */
  date: string;
  /** Every header; only those whose lower-cased name starts with `x-mns-` are used. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The raw request-target (path plus `?` plus raw query), never decoded or re-ordered. */
  resource: string;
}

/** Canonicalized MNS headers: `x-mns-*` names lower-cased and sorted, each `name:value\n`. */
export function canonicalizeMnsHeaders(headers: Readonly<Record<string, string | undefined>>): string {
  return Object.entries(headers)
    .map(([name, value]) => [name.toLowerCase(), value] as const)
    .filter(([name, value]) => name.startsWith('x-mns-') && value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}:${value}\n`)
    .join('');
}

/** Builds the MNS string-to-sign: VERB, CONTENT-MD5, CONTENT-TYPE, DATE, x-mns headers, resource. */
export function buildMnsStringToSign(parts: MnsStringToSignParts): string {
  return (
    `${parts.method}\n${parts.contentMd5 ?? ''}\n${parts.contentType ?? ''}\n${parts.date}\n` +
    canonicalizeMnsHeaders(parts.headers) +
    parts.resource
  );
}

/** Base64 HMAC-SHA1 of the string-to-sign; the key is the bare AccessKeySecret (no `&`). */
export function computeMnsSignature(stringToSign: string, accessKeySecret: string): string {
  return createHmac('sha1', accessKeySecret).update(stringToSign, 'utf8').digest('base64');
}

/** Constant-time comparison of a received signature with the expected one. */
export function mnsSignaturesEqual(received: string, expected: string): boolean {
  const a = Buffer.from(received, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  // Compare equal-length buffers only; comparing b with itself keeps the work the same.
  return timingSafeEqual(a.length === b.length ? a : b, b) && a.length === b.length;
}
