import { inspect } from 'node:util';

/** Construction details of an {@link AlicomSmsError}. */
export interface AlicomSmsErrorDetails {
  /** Machine-readable code: Alibaba's or MNS's `Code`, or one of this module's. */
  code: string;
  /** Whether the same operation may succeed later. @default false */
  retryable?: boolean;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * Base class of every error this module throws or publishes: check `instanceof AlicomSmsError`
 * to catch them all, then the subclass (or `code`) for what happened.
 *
 * - {@link AlicomApiError}: a POP RPC call failed (SendSms, QuerySendDetails, ...); says whether a
 *   resend is safe. {@link SmsInputError}: input rejected before sending.
 * - {@link MnsRequestError}: a call to the receipt queue failed.
 * - {@link ReportTimeoutError}: `waitForReport()` gave up.
 * - {@link AlicomSmsConfigError}: invalid module options.
 * - {@link ReceiptDecodeError}, {@link ReceiptHandlerError}: one receipt could not be decoded or
 *   handled (published on `SmsReceiptListener.errors$`).
 *
 * @publicApi
 */
export class AlicomSmsError extends Error {
  /** Machine-readable code, e.g. `isv.BUSINESS_LIMIT_CONTROL`, `QueueNotExist`, `InvalidOptions`. */
  readonly code: string;
  /** `true` when the same operation may succeed later (throttling, transient errors, network). */
  readonly retryable: boolean;

  constructor(message: string, details: AlicomSmsErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = details.code;
    this.retryable = details.retryable ?? false;
  }
}

// Short inspect output without nested causes, which could carry request details.
Object.defineProperty(AlicomSmsError.prototype, inspect.custom, {
  value(this: AlicomSmsError & { requestId?: string }) {
    const requestId = this.requestId ? ` (RequestId ${this.requestId})` : '';
    return `${this.name} [${this.code}] ${this.message}${requestId}\n${this.stack?.split('\n').slice(1).join('\n') ?? ''}`;
  },
});
