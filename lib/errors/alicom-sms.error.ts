import { inspect } from 'node:util';

/** What the failed call was (the POP action, or the MNS operation). */
export type AlicomAction =
  | 'SendSms'
  | 'SendBatchSms'
  | 'QuerySendDetails'
  | 'QueryTokenForMnsQueue'
  | 'ReceiveMessage'
  | 'BatchReceiveMessage'
  | 'BatchDeleteMessage'
  | 'ChangeMessageVisibility'
  | (string & {});

/** Construction details of an {@link AlicomSmsError}. */
export interface AlicomSmsErrorDetails {
  /** Alibaba's `Code` (e.g. `isv.BUSINESS_LIMIT_CONTROL`, `SignatureDoesNotMatch`), or one of ours. */
  code: string;
  /** The action that failed. */
  action: AlicomAction;
  /** `RequestId` of the response, when the server answered. */
  requestId?: string;
  /** HTTP status of the response, when the server answered. */
  httpStatus?: number;
  /**
   * Whether sending the same SMS again cannot produce a duplicate: `true` when the request
   * certainly did not reach Alibaba or was certainly rejected, `false` when it may have been
   * accepted (e.g. the connection broke after the request was written).
   */
  resendSafe: boolean;
  /** Whether retrying later may succeed (throttling, transient server errors, network). */
  retryable?: boolean;
  /** The underlying error (network failure, parse failure, ...). */
  cause?: unknown;
}

/**
 * A failed call to Alibaba Cloud SMS, or a request rejected before it was sent.
 *
 * A business error (HTTP 200 with `Code` other than `OK`) is an `AlicomSmsError` too — never a
 * silent success. Check {@link AlicomSmsError.resendSafe} before sending again: sends are not
 * idempotent at Alibaba.
 *
 * @publicApi
 */
export class AlicomSmsError extends Error {
  /** Alibaba's `Code` (e.g. `isv.BUSINESS_LIMIT_CONTROL`), or one of ours (`NetworkError`, `InvalidInput`, `Timeout`, `MalformedResponse`). */
  readonly code: string;
  /** The action that failed (`SendSms`, `QuerySendDetails`, ...). */
  readonly action: AlicomAction;
  /** `RequestId` from Alibaba's response, when there was one (quote it to Alibaba support). */
  readonly requestId?: string;
  /** HTTP status of Alibaba's response, when there was one. */
  readonly httpStatus?: number;
  /** `true` when sending the same request again cannot create a duplicate SMS. */
  readonly resendSafe: boolean;
  /** `true` when the same call may succeed later (throttling, transient errors). */
  readonly retryable: boolean;

  constructor(message: string, details: AlicomSmsErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'AlicomSmsError';
    this.code = details.code;
    this.action = details.action;
    this.requestId = details.requestId;
    this.httpStatus = details.httpStatus;
    this.resendSafe = details.resendSafe;
    this.retryable = details.retryable ?? false;
  }
}

/**
 * Input rejected before any request was made (bad phone number, template parameter, page size,
 * ...). Nothing was sent, so a corrected resend is always safe.
 *
 * @publicApi
 */
export class SmsInputError extends AlicomSmsError {
  /** Every offending field with its problem, e.g. `{ field: 'phoneNumbers[1]', problem: '...' }`. */
  readonly problems: ReadonlyArray<{ field: string; problem: string }>;

  constructor(action: AlicomAction, problems: ReadonlyArray<{ field: string; problem: string }>) {
    super(
      `${action} rejected before sending: ` +
        problems.map((p) => `${p.field}: ${p.problem}`).join('; ') +
        '. Nothing was sent.',
      { code: 'InvalidInput', action, resendSafe: true, retryable: false },
    );
    this.name = 'SmsInputError';
    this.problems = problems;
  }
}

// Keep inspect output short and free of nested causes that could carry request details.
Object.defineProperty(AlicomSmsError.prototype, inspect.custom, {
  value(this: AlicomSmsError) {
    return `${this.name} [${this.code}] ${this.message}${this.requestId ? ` (RequestId ${this.requestId})` : ''}\n${this.stack?.split('\n').slice(1).join('\n') ?? ''}`;
  },
});
