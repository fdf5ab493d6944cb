import type { RandomSource } from '../seeded-random.js';
import type { EmulatedDeliveryOutcome } from './alicom-emulator-options.interface.js';
import type { RecordedRecipient, RecordedSend } from './send-ledger.js';

/** Carrier texts when the delivery callback gives none. */
const DEFAULT_DELIVERED = { errCode: 'DELIVERED', errMsg: '用户接收成功' };
const DEFAULT_FAILED = { errCode: 'UNDELIV', errMsg: '用户接收失败' };

/** What the scheduler needs from the emulator. */
export interface DeliverySchedulerOptions {
  /** Delivers the SmsReport of a final outcome, `copies` times (to the queue or by push). */
  readonly publishReport: (send: RecordedSend, recipient: RecordedRecipient, copies: number) => void;
  /** Current delay between acceptance and outcome, read per send. */
  readonly delayMs: () => number;
  readonly clock: () => Date;
  /** Current report faults, read per recipient. */
  readonly reportFaults: () => EmulatedReportFaults;
  readonly random: RandomSource;
}

/**
 * Faults between a final outcome and its SmsReport — what Alibaba's docs warn about: receipts
 * lost (QuerySendDetails still knows the outcome) or duplicated.
 */
export interface EmulatedReportFaults {
  /** Fraction (0-1) of reports that are never delivered. */
  dropRate: number;
  /** Fraction (0-1) of reports delivered twice. */
  duplicateRate: number;
}

/**
 * Makes recipients' outcomes final after the report delay: updates their status and publishes an
 * SmsReport (unless the outcome asks for a lost receipt).
 */
export class DeliveryScheduler {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: DeliverySchedulerOptions) {}

  /** Settles each recipient of `send` with the outcome at the same index. */
  schedule(send: RecordedSend, outcomes: readonly EmulatedDeliveryOutcome[]): void {
    const delayMs = this.options.delayMs();
    // NOTE: settling synchronously when there is no delay lets a test see the final status and
    // the queued receipt as soon as its send call returns.
    if (delayMs <= 0) {
      this.settleAll(send, outcomes);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.settleAll(send, outcomes);
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** Cancels every pending outcome (those recipients stay `waiting`). */
  cancelAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private settleAll(send: RecordedSend, outcomes: readonly EmulatedDeliveryOutcome[]): void {
    for (let i = 0; i < send.recipients.length; i++) this.settle(send, send.recipients[i], outcomes[i]);
  }

  private settle(send: RecordedSend, recipient: RecordedRecipient, outcome: EmulatedDeliveryOutcome): void {
    const defaults = outcome.success ? DEFAULT_DELIVERED : DEFAULT_FAILED;
    recipient.status = outcome.success ? 'delivered' : 'failed';
    recipient.errCode = outcome.errCode ?? defaults.errCode;
    recipient.errMsg = outcome.errMsg ?? defaults.errMsg;
    recipient.receiveDate = this.options.clock();
    if (outcome.report === false) {
      recipient.reportDropped = true;
      return;
    }
    const faults = this.options.reportFaults();
    if (this.options.random() < faults.dropRate) {
      recipient.reportDropped = true;
      return;
    }
    this.options.publishReport(send, recipient, this.options.random() < faults.duplicateRate ? 2 : 1);
  }
}
