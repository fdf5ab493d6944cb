import { AlicomSmsError } from './alicom-sms.error.js';

/** The MNS operations the receipt consumer performs. */
export type MnsAction = 'BatchReceiveMessage' | 'BatchDeleteMessage' | 'ChangeMessageVisibility';

/** Construction details of an {@link MnsRequestError}. */
export interface MnsRequestErrorDetails {
  /** MNS `<Code>`, or `NetworkError` / `Timeout` / `Aborted` / `MalformedResponse` / `ResponseTooLarge`. */
  code: string;
  action: MnsAction;
  httpStatus?: number;
  requestId?: string;
  cause?: unknown;
}

// Codes meaning "these credentials are not (or no longer) accepted" (PROTOCOL.md §4.7, §6).
const CREDENTIALS_REJECTED_CODES = new Set([
  'InvalidAccessKeyId',
  'AccessDenied',
  'SignatureDoesNotMatch',
  'SecurityTokenExpired',
  'SecurityTokenMalformed',
  'InvalidSecurityToken',
]);

// Our own codes for exchanges that may succeed when simply repeated (an oversized answer comes
// from a broken proxy or a hostile server far more often than from MNS itself).
const TRANSIENT_CODES = new Set(['NetworkError', 'Timeout', 'QpsLimitExceeded', 'ResponseTooLarge']);

/**
 * Whether the server refused the credentials, so the queue token should be refreshed before the
 * next call: HTTP 401/403, or a code that names the key, the signature or the token (the exact
 * code for an expired STS token is undocumented, hence any code containing `Token`).
 */
function isCredentialsRejection(code: string, httpStatus: number | undefined): boolean {
  return (
    httpStatus === 401 || httpStatus === 403 || CREDENTIALS_REJECTED_CODES.has(code) || code.includes('Token')
  );
}

/** 5xx, 408, throttling and network failures/timeouts may succeed later. */
function isTransient(code: string, httpStatus: number | undefined): boolean {
  return TRANSIENT_CODES.has(code) || httpStatus === 408 || (httpStatus !== undefined && httpStatus >= 500);
}

/**
 * A failed call to the Alicom MNS receipt queue (receive, delete, change visibility).
 *
 * `code` is MNS's `<Code>` (`QueueNotExist`, `SignatureDoesNotMatch`, ...) or one of ours:
 * `NetworkError`, `Timeout`, `Aborted` (the caller's signal fired, e.g. shutdown), `MalformedResponse`,
 * `ResponseTooLarge` (the answer passed `maxResponseBytes`).
 * The message never contains the AccessKey secret or the security token, whatever the server echoed.
 *
 * @publicApi
 */
export class MnsRequestError extends AlicomSmsError {
  /** `true` when MNS rejected the credentials: fetch a fresh queue token before retrying. */
  readonly credentialsRejected: boolean;

  /** The operation that failed. */
  readonly action: MnsAction;
  /** HTTP status of MNS's answer, when there was one. */
  readonly httpStatus?: number;
  /** MNS `RequestId`, when there was one. */
  readonly requestId?: string;

  constructor(message: string, details: MnsRequestErrorDetails) {
    super(message, { code: details.code, retryable: isTransient(details.code, details.httpStatus), cause: details.cause });
    this.action = details.action;
    this.httpStatus = details.httpStatus;
    this.requestId = details.requestId;
    this.credentialsRejected = isCredentialsRejection(details.code, details.httpStatus);
  }
}
