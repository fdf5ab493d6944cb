import { AlicomSmsError } from './alicom-sms.error.js';

/** What the failed call was (the POP action). */
export type AlicomAction =
  | 'SendSms'
  | 'SendBatchSms'
  | 'QuerySendDetails'
  | 'QueryTokenForMnsQueue'
  | 'WaitForReport'
  | (string & {});

/** Construction details of an {@link AlicomApiError}. */
export interface AlicomApiErrorDetails {
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
 * A failed call to Alibaba Cloud SMS's POP API (SendSms, SendBatchSms, QuerySendDetails,
 * QueryTokenForMnsQueue), or a request rejected before it was sent.
 *
 * A business error (HTTP 200 with `Code` other than `OK`) is an `AlicomApiError` too — never a
 * silent success. Check {@link AlicomApiError.resendSafe} before sending again: sends are not
 * idempotent at Alibaba.
 *
 * @publicApi
 */
export class AlicomApiError extends AlicomSmsError {
  /** The action that failed (`SendSms`, `QuerySendDetails`, ...). */
  readonly action: AlicomAction;
  /** `RequestId` from Alibaba's response, when there was one (quote it to Alibaba support). */
  readonly requestId?: string;
  /** HTTP status of Alibaba's response, when there was one. */
  readonly httpStatus?: number;
  /** `true` when sending the same request again cannot create a duplicate SMS. */
  readonly resendSafe: boolean;

  constructor(message: string, details: AlicomApiErrorDetails) {
    super(message, details);
    this.action = details.action;
    this.requestId = details.requestId;
    this.httpStatus = details.httpStatus;
    this.resendSafe = details.resendSafe;
  }
}
