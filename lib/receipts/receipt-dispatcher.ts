import { Injectable, Logger } from '@nestjs/common';
import { ReceiptHandlerError, type ReceiptHandlerFailure } from '../errors/receipt-handler.error.js';
import type { SmsReport, SmsUp } from '../interfaces/sms-receipt.interface.js';
import { SmsHandlersExplorer } from './sms-handlers.explorer.js';

// Who a receipt is about, for logs: enough to find it again, never the raw body nor the text of
// a reply. The phone number keeps only its first 3 and last 4 digits.
function describeReceipt(receipt: SmsReport | SmsUp): string {
  const messageId = receipt.messageId === undefined ? '' : ` MessageId=${receipt.messageId}`;
  const who =
    receipt.type === 'SmsReport'
      ? `BizId=${receipt.bizId} phone=${maskPhoneNumber(receipt.phoneNumber)}`
      : `SequenceId=${receipt.sequenceId} phone=${maskPhoneNumber(receipt.phoneNumber)}`;
  return `${receipt.type} ${who}${messageId} (source ${receipt.source})`;
}

function maskPhoneNumber(phoneNumber: string): string {
  if (phoneNumber.length <= 7) return '*'.repeat(phoneNumber.length);
  return `${phoneNumber.slice(0, 3)}${'*'.repeat(phoneNumber.length - 7)}${phoneNumber.slice(-4)}`;
}

/**
 * Runs the `@OnSmsReport()` / `@OnSmsUp()` handlers of one receipt.
 *
 * All handlers of the receipt's kind start together and are all awaited, so one failure never
 * cuts another handler short; the receipt counts as handled only when every one succeeded.
 */
@Injectable()
export class ReceiptDispatcher {
  private readonly logger = new Logger('AlicomSms');

  constructor(private readonly explorer: SmsHandlersExplorer) {}

  /**
   * Resolves when every handler of the receipt resolved (at once when there are none). Otherwise
   * logs each failure with its stack and rejects with a {@link ReceiptHandlerError} listing them.
   */
  async dispatch(receipt: SmsReport | SmsUp): Promise<void> {
    const handlers = this.explorer.handlersFor(receipt.type);
    if (handlers.length === 0) return;

    const outcomes = await Promise.allSettled(handlers.map((handler) => handler.invoke(receipt)));

    const failures: ReceiptHandlerFailure[] = [];
    outcomes.forEach((outcome, index) => {
      if (outcome.status === 'rejected') failures.push({ handler: handlers[index].name, error: outcome.reason });
    });
    if (failures.length === 0) return;

    const identity = describeReceipt(receipt);
    for (const { handler, error } of failures) {
      const message = error instanceof Error ? error.message : String(error);
      const stack = error instanceof Error ? error.stack : undefined;
      const line = `Receipt handler ${handler} failed for ${identity}: ${message}`;
      if (stack === undefined) this.logger.error(line);
      else this.logger.error(line, stack);
    }
    throw new ReceiptHandlerError(receipt.type, receipt.messageId, failures);
  }
}
