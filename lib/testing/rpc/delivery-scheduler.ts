import type { EmulatedMns } from '../mns/emulated-mns.js';
import type { EmulatedDeliveryOutcome } from './alicom-emulator-options.interface.js';
import { buildSmsReportMessage } from './receipt-messages.js';
import type { RecordedRecipient, RecordedSend } from './send-ledger.js';

/** Carrier texts when the delivery callback gives none. */
const DEFAULT_DELIVERED = { errCode: 'DELIVERED', errMsg: '用户接收成功' };
const DEFAULT_FAILED = { errCode: 'UNDELIV', errMsg: '用户接收失败' };

/** What the scheduler needs from the emulator. */
export interface DeliverySchedulerOptions {
  readonly mns: EmulatedMns;
  /** Queue the SmsReport messages go to. */
  readonly reportQueueName: string;
  /** Current delay between acceptance and outcome, read per send. */
  readonly delayMs: () => number;
  readonly clock: () => Date;
}

/**
 * Makes recipients' outcomes final after the report delay: updates their status and puts an
 * SmsReport on the report queue (unless the outcome asks for a lost receipt).
 */
export class DeliveryScheduler {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: DeliverySchedulerOptions) {}

  /** Settles each recipient of `send` with the outcome at the same index. */
  schedule(send: RecordedSend, outcomes: readonly EmulatedDeliveryOutcome[]): void {
    const settleAll = () => send.recipients.forEach((recipient, i) => this.settle(send, recipient, outcomes[i]));
    const delayMs = this.options.delayMs();
    // NOTE: settling synchronously when there is no delay lets a test see the final status and
    // the queued receipt as soon as its send call returns.
    if (delayMs <= 0) {
      settleAll();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      settleAll();
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** Cancels every pending outcome (those recipients stay `waiting`). */
  cancelAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private settle(send: RecordedSend, recipient: RecordedRecipient, outcome: EmulatedDeliveryOutcome): void {
    const defaults = outcome.success ? DEFAULT_DELIVERED : DEFAULT_FAILED;
    recipient.status = outcome.success ? 'delivered' : 'failed';
    recipient.errCode = outcome.errCode ?? defaults.errCode;
    recipient.errMsg = outcome.errMsg ?? defaults.errMsg;
    recipient.receiveDate = this.options.clock();
    if (outcome.report !== false) {
      this.options.mns.enqueueJson(this.options.reportQueueName, buildSmsReportMessage(send, recipient));
    }
  }
}
