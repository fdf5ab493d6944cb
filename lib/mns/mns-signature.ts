import { createHmac, hash } from 'node:crypto';
import { MNS_API_VERSION } from '../alicom-sms.constants.js';
import type { MnsCredentials } from './mns.types.js';

// MNS REST request signing, PROTOCOL.md §4.2-4.3.

/** Content type sent with request bodies (the Node SDK's choice; the server accepts any). */
export const MNS_XML_CONTENT_TYPE = 'text/xml';

const MNS_HEADER_PREFIX = 'x-mns-';

/** The parts of a request that MNS signs. */
export interface MnsStringToSignInput {
  method: string;
  /** `Content-MD5` header value, when sent. */
  contentMd5?: string;
  /** `Content-Type` header value, when sent. */
  contentType?: string;
  /** `Date` header value (or `x-mns-date` when that is what the client relies on). */
  date: string;
  /** Request headers; only the `x-mns-*` ones are signed. */
  headers: Readonly<Record<string, string>>;
  /** The request-target exactly as sent: path + `?` + raw query, never decoded or re-encoded. */
  resource: string;
}

/** `name:value\n` for every `x-mns-*` header, names lower-cased and sorted ascending. */
export function canonicalizeMnsHeaders(headers: Readonly<Record<string, string>>): string {
  const lines: string[] = [];
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase();
    if (lower.startsWith(MNS_HEADER_PREFIX)) lines.push(`${lower}:${headers[name]}\n`);
  }
  return lines.sort().join('');
}

/** `VERB\nCONTENT-MD5\nCONTENT-TYPE\nDATE\n` + canonical `x-mns-*` headers + resource. */
export function mnsStringToSign(input: MnsStringToSignInput): string {
  return (
    `${input.method}\n${input.contentMd5 ?? ''}\n${input.contentType ?? ''}\n${input.date}\n` +
    canonicalizeMnsHeaders(input.headers) +
    input.resource
  );
}

/** Base64 HMAC-SHA1 keyed with the bare secret (no trailing `&`, unlike POP RPC). */
export function mnsSignature(stringToSign: string, accessKeySecret: string): string {
  return createHmac('sha1', accessKeySecret).update(stringToSign, 'utf8').digest('base64');
}

/**
 * MNS's `Content-MD5`: Base64 of the lower-case *hex* MD5 of the body's UTF-8 bytes (a 44-character
 * value), the convention of the official SDKs and of MNS itself, not RFC 1864's raw digest.
 */
export function mnsContentMd5(body: string): string {
  const hex = hash('md5', body, 'hex');
  return Buffer.from(hex, 'latin1').toString('base64');
}

/** What {@link signMnsRequest} needs to know about one request. */
export interface MnsRequestToSign {
  method: 'GET' | 'PUT' | 'DELETE' | 'POST';
  /** Request-target exactly as it will be sent (already percent-encoded). */
  resource: string;
  /** XML request body, if any. */
  body?: string;
  credentials: MnsCredentials;
  /** Signing time. */
  now: Date;
}

/** The `x-mns-*` headers every request sends. */
const MNS_HEADERS: Readonly<Record<string, string>> = { 'x-mns-version': MNS_API_VERSION };
// They never change: canonicalized once, not per request.
const CANONICAL_MNS_HEADERS = canonicalizeMnsHeaders(MNS_HEADERS);

/**
 * The complete header set of a signed MNS request: `Date`, `x-mns-version`, `Authorization`, and for
 * a body `Content-Type` + `Content-MD5`; `security-token` when the credentials carry one (it is not
 * signed). Only `Date` is sent, no `x-mns-date`: one clock value, as the Java and Python SDKs do.
 */
export function signMnsRequest(request: MnsRequestToSign): Record<string, string> {
  return mnsRequestHeaders(request.method, request.resource, request.body ?? '', request.credentials, request.now.toUTCString());
}

/** {@link signMnsRequest} with the `Date` header value given (`''` body: none). */
export function mnsRequestHeaders(
  method: MnsRequestToSign['method'],
  resource: string,
  body: string,
  credentials: MnsCredentials,
  date: string,
): Record<string, string> {
  const contentMd5 = body === '' ? undefined : mnsContentMd5(body);
  const contentType = body === '' ? undefined : MNS_XML_CONTENT_TYPE;
  // mnsStringToSign() with the fixed headers' canonical form.
  const stringToSign = `${method}\n${contentMd5 ?? ''}\n${contentType ?? ''}\n${date}\n${CANONICAL_MNS_HEADERS}${resource}`;
  const { accessKeyId, accessKeySecret, securityToken } = credentials;
  const headers: Record<string, string> = {
    date,
    ...MNS_HEADERS,
    authorization: `MNS ${accessKeyId}:${mnsSignature(stringToSign, accessKeySecret)}`,
  };
  if (contentType !== undefined && contentMd5 !== undefined) {
    headers['content-type'] = contentType;
    headers['content-md5'] = contentMd5;
  }
  if (securityToken) headers['security-token'] = securityToken;
  return headers;
}
