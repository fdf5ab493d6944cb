import { Injectable, Logger } from '@nestjs/common';
import { handlerFailedMessage } from '../../alicom-sms.messages.js';
import { ReceiptHandlerError, type ReceiptHandlerFailure } from '../../errors/receipt-handler.error.js';
import type { SmsReport, SmsUp } from '../../interfaces/sms-receipt.interface.js';
import { type DiscoveredReceiptHandler, SmsHandlersExplorer } from './sms-handlers.explorer.js';
import { InspectsAs } from '../../utils/inspects-as.js';

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

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

/**
 * Runs the `@OnSmsReport()` / `@OnSmsUp()` handlers of one receipt.
 *
 * All handlers of the receipt's kind start together and are all awaited, so one failure never
 * cuts another handler short; the receipt counts as handled only when every one succeeded.
 */
@Injectable()
@InspectsAs()
export class ReceiptDispatcher {
  private readonly logger = new Logger('AlicomSms');

  constructor(private readonly explorer: SmsHandlersExplorer) {}

  /**
   * Starts every handler of the receipt. Returns `undefined` when all of them returned normally
   * and none returned a promise (nothing left to wait for); else a promise that resolves when
   * every handler resolved, or logs each failure with its stack and rejects with a
   * {@link ReceiptHandlerError} listing them.
   */
  start(receipt: SmsReport | SmsUp): Promise<void> | undefined {
    const handlers = this.explorer.handlersFor(receipt.type);
    // Filled only once a handler throws or returns a promise: until then nothing is pending.
    let results: unknown[] | undefined;
    for (let i = 0; i < handlers.length; i++) {
      let result: unknown;
      try {
        result = handlers[i].call(receipt);
      } catch (error) {
        result = Promise.reject(error);
      }
      if (results) results.push(result);
      else if (isPromiseLike(result)) results = [...new Array<undefined>(i), result];
    }
    return results && this.settle(receipt, handlers, results);
  }

  private async settle(
    receipt: SmsReport | SmsUp,
    handlers: ReadonlyArray<DiscoveredReceiptHandler>,
    results: unknown[],
  ): Promise<void> {
    const outcomes = await Promise.allSettled(results);

    const failures: ReceiptHandlerFailure[] = [];
    outcomes.forEach((outcome, index) => {
      if (outcome.status === 'rejected') failures.push({ handler: handlers[index].name, error: outcome.reason });
    });
    if (failures.length === 0) return;

    const identity = describeReceipt(receipt);
    for (const { handler, error } of failures) {
      const message = error instanceof Error ? error.message : String(error);
      const stack = error instanceof Error ? error.stack : undefined;
      const line = handlerFailedMessage(handler, identity, message);
      if (stack === undefined) this.logger.error(line);
      else this.logger.error(line, stack);
    }
    throw new ReceiptHandlerError(receipt.type, receipt.messageId, failures);
  }
}
