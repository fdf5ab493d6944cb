import type { IncomingHttpHeaders } from 'node:http';
import { isAcceptedContentMd5 } from './mns-content-md5.js';
import { MnsErrors } from './mns-error.js';
import { buildMnsStringToSign, computeMnsSignature, mnsSignaturesEqual } from './mns-signature.js';

// Verifies an MNS request the way PROTOCOL.md §4.8 describes, in that order: headers present,
// date fresh, key known (STS token valid), signature, Content-MD5. Queue scoping is left to the
// caller, which knows the queue the request targets.

/** Maximum allowed distance between the request date and the server clock. */
export const MNS_MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** The only MNS API version the emulator speaks. */
export const MNS_API_VERSION = '2015-06-06';

const AUTHORIZATION = /^MNS ([^:\s]+):(\S+)$/;

/** A signing key the emulator knows. */
export interface MnsCredential {
  readonly accessKeySecret: string;
  /** Set for STS credentials: the exact `security-token` header value required. */
  readonly securityToken?: string;
  /** Set for STS credentials: epoch ms from which the token is refused. */
  readonly expiresAt?: number;
  /** Set for STS credentials: the only queue they may access. */
  readonly queueName?: string;
}

/** Resolves an AccessKeyId to the credential it belongs to. */
export type MnsCredentialLookup = (accessKeyId: string) => MnsCredential | undefined;

/** The minimal view of an HTTP request the authenticator needs. */
export interface MnsRequestLike {
  readonly method?: string;
  /** Raw request-target as on the request line. */
  readonly url?: string;
  readonly headers: IncomingHttpHeaders;
}

/** Who made an authenticated request. */
export interface MnsPrincipal {
  readonly accessKeyId: string;
  /** Queue the credential is limited to; `undefined` for long-term keys. */
  readonly queueName?: string;
}

function singleHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function parseHttpDate(text: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw MnsErrors.invalidDateHeader();
  return ms;
}

/**
 * Authenticates one request; throws an `MnsError` describing the first failed check.
 * @param now server time in epoch ms (token expiry), injectable so the worked examples can be replayed
 * @param requestDateNow the time the request's dates must lie within 15 minutes of (the clients'
 *   wall clock, which a test's clock jumps do not move)
 */
export function authenticateMnsRequest(
  req: MnsRequestLike,
  body: Buffer,
  lookup: MnsCredentialLookup,
  now: number = Date.now(),
  requestDateNow: number = now,
): MnsPrincipal {
  const authorization = singleHeader(req.headers, 'authorization');
  if (authorization === undefined || authorization === '') throw MnsErrors.missingAuthorizationHeader();
  const match = AUTHORIZATION.exec(authorization);
  if (!match) throw MnsErrors.invalidAuthorizationHeader();
  const [, accessKeyId, signature] = match;

  const dateHeader = singleHeader(req.headers, 'date');
  const mnsDateHeader = singleHeader(req.headers, 'x-mns-date');
  // x-mns-date substitutes for Date (browsers cannot set Date); when both are sent, the Date
  // header is the DATE line, as the Node SDK does.
  const signedDate = dateHeader ?? mnsDateHeader;
  if (signedDate === undefined) throw MnsErrors.missingDateHeader();

  const version = singleHeader(req.headers, 'x-mns-version');
  if (version === undefined || version === '') throw MnsErrors.missingVersionHeader();

  for (const text of [dateHeader, mnsDateHeader]) {
    if (text !== undefined && Math.abs(parseHttpDate(text) - requestDateNow) > MNS_MAX_CLOCK_SKEW_MS) throw MnsErrors.timeExpired();
  }
  if (version !== MNS_API_VERSION) throw MnsErrors.unsupportedVersion(version);

  const credential = lookup(accessKeyId);
  if (!credential) throw MnsErrors.invalidAccessKeyId();
  if (credential.securityToken !== undefined) {
    const token = singleHeader(req.headers, 'security-token');
    if (token !== credential.securityToken) throw MnsErrors.invalidSecurityToken();
    // The real code/status for an expired token is unconfirmed (PROTOCOL.md §9.2 item 3). We
    // answer 403 as §4.8 step 3 recommends, with the self-describing code `SecurityTokenExpired`;
    // a client that refreshes its token on any 401/403 (§6) handles either choice.
    if (credential.expiresAt !== undefined && now >= credential.expiresAt) throw MnsErrors.securityTokenExpired();
  }

  const contentMd5 = singleHeader(req.headers, 'content-md5');
  const headers: Record<string, string | undefined> = {};
  for (const name of Object.keys(req.headers)) headers[name] = singleHeader(req.headers, name);
  const stringToSign = buildMnsStringToSign({
    method: req.method ?? 'GET',
    contentMd5,
    contentType: singleHeader(req.headers, 'content-type'),
    date: signedDate,
    headers,
    resource: req.url ?? '/',
  });
  if (!mnsSignaturesEqual(signature, computeMnsSignature(stringToSign, credential.accessKeySecret))) {
    throw MnsErrors.signatureDoesNotMatch(stringToSign);
  }

  if (contentMd5 !== undefined && contentMd5 !== '' && !isAcceptedContentMd5(contentMd5, body)) {
    throw MnsErrors.invalidDigest();
  }

  return { accessKeyId, queueName: credential.queueName };
}
