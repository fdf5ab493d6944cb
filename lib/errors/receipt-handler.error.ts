import { AlicomSmsError } from './alicom-sms.error.js';

/** One receipt handler that threw or rejected. */
export interface ReceiptHandlerFailure {
  /** The handler as `Class#method`. */
  handler: string;
  /** What it threw or rejected with (usually an `Error`, but any value can be thrown). */
  error: unknown;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * One or more `@OnSmsReport()` / `@OnSmsUp()` handlers failed for a receipt. The other handlers
 * of that receipt still ran to completion. A receipt from the MNS queue is then left undeleted,
 * so Alibaba delivers it again (to every handler) later.
 *
 * @publicApi
 */
export class ReceiptHandlerError extends AlicomSmsError {
  /** Every failed handler with what it threw, in discovery order. */
  readonly failures: ReadonlyArray<ReceiptHandlerFailure>;
  /** The kind of receipt that was being handled. */
  readonly receiptType: 'SmsReport' | 'SmsUp';
  /** MNS `MessageId` of the receipt, when it came from the queue. */
  readonly messageId?: string;

  constructor(
    receiptType: 'SmsReport' | 'SmsUp',
    messageId: string | undefined,
    failures: ReadonlyArray<ReceiptHandlerFailure>,
  ) {
    super(
      `${failures.length} receipt handler${failures.length === 1 ? '' : 's'} failed for ${receiptType}` +
        `${messageId === undefined ? '' : ` (MessageId ${messageId})`}: ` +
        failures.map((f) => `${f.handler}: ${describeError(f.error)}`).join('; '),
      { code: 'ReceiptHandlerFailed', retryable: true },
    );
    this.receiptType = receiptType;
    this.messageId = messageId;
    this.failures = failures;
  }
}
