// MNS error codes and server texts (PROTOCOL.md §4.7). Every failure the emulator reports is an
// MnsError so the HTTP layer can render the `<Error>` document in one place.

/** A request-level MNS failure: HTTP status, MNS `Code` and the server's `Message` text. */
export class MnsError extends Error {
  constructor(
    /** HTTP status code of the response. */
    readonly status: number,
    /** MNS error code, e.g. `MessageNotExist`. */
    readonly code: string,
    message: string,
    /**
     * Emulator-only diagnostic (e.g. the string-to-sign the emulator computed); never sent on the
     * wire and never contains a secret.
     */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'MnsError';
  }
}

/** Factories for the error documents the emulator can answer with. */
export const MnsErrors = {
  missingAuthorizationHeader: () => new MnsError(400, 'MissingAuthorizationHeader', 'Authorization header is required.'),
  invalidAuthorizationHeader: () =>
    new MnsError(400, 'InvalidAuthorizationHeader', 'The Authorization header format is invalid.'),
  missingDateHeader: () => new MnsError(400, 'MissingDateHeader', 'Date header is required.'),
  invalidDateHeader: () => new MnsError(400, 'InvalidDateHeader', 'The Date header format is invalid.'),
  missingVersionHeader: () => new MnsError(400, 'MissingVersionHeader', 'x-mns-version header is required.'),
  unsupportedVersion: (version: string) =>
    new MnsError(400, 'InvalidArgument', `The x-mns-version "${version}" is not supported; use 2015-06-06.`),
  timeExpired: () =>
    new MnsError(408, 'TimeExpired', 'The http request you sent is expired: Date differs from server time by more than 15 minutes.'),
  invalidAccessKeyId: () => new MnsError(403, 'InvalidAccessKeyId', 'The AccessKey Id you provided is not exist.'),
  invalidSecurityToken: () =>
    new MnsError(403, 'InvalidSecurityToken', 'The security token you provided is missing or invalid.'),
  securityTokenExpired: () => new MnsError(403, 'SecurityTokenExpired', 'The security token you provided has expired.'),
  signatureDoesNotMatch: (expectedStringToSign: string) =>
    new MnsError(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      `string-to-sign: ${JSON.stringify(expectedStringToSign)}`,
    ),
  invalidDigest: () => new MnsError(400, 'InvalidDigest', 'The Content-MD5 you specified is invalid.'),
  accessDenied: () =>
    new MnsError(403, 'AccessDenied', 'The OwnerId that your Access Key Id associated to is forbidden for this operation.'),
  queueNotExist: () => new MnsError(404, 'QueueNotExist', 'The queue name you provided is not exist.'),
  messageNotExist: () => new MnsError(404, 'MessageNotExist', 'Message not exist.'),
  receiptHandleError: () => new MnsError(400, 'ReceiptHandleError', 'The receipt handle you provide is not valid.'),
  missingReceiptHandle: () => new MnsError(400, 'MissingReceiptHandle', 'ReceiptHandle is required.'),
  missingVisibilityTimeout: () => new MnsError(400, 'MissingVisibilityTimeout', 'VisibilityTimeout is required.'),
  invalidArgument: (message: string) => new MnsError(400, 'InvalidArgument', message),
  invalidRequestUrl: () => new MnsError(400, 'InvalidRequestURL', 'Http request URL format invalid.'),
  invalidQueryString: () => new MnsError(400, 'InvalidQueryString', 'The request contains invalid querystring item.'),
  malformedXml: () => new MnsError(400, 'MalformedXML', 'The XML you provided was not well-formed.'),
  internalError: () => new MnsError(500, 'InternalError', 'Interal error.'),
} as const;

/** Per-handle failure codes of BatchDeleteMessage (`<Errors>` document entries). */
export type BatchDeleteFailureCode = 'MessageNotExist' | 'ReceiptHandleError';

/** Server text for a per-handle batch delete failure. */
export function batchDeleteFailureMessage(code: BatchDeleteFailureCode): string {
  return code === 'MessageNotExist' ? 'Message not exist.' : 'The receipt handle you provide is not valid.';
}
