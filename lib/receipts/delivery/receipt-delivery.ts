import { Inject, Injectable } from '@nestjs/common';
import type { SmsReport, SmsUp } from '../../interfaces/sms-receipt.interface.js';
import { andThen, type MaybePromise } from '../../utils/maybe-promise.js';
import { ReceiptStreams } from '../receipt-streams.js';
import { receiptKey } from '../store/receipt-keys.js';
import { RECEIPT_STORE } from '../store/receipt-store.provider.js';
import type { PendingReceipt, ReceiptStore } from '../store/receipt-store.interface.js';
import { InFlightSends } from './in-flight-sends.js';
import { ReceiptDispatcher } from './receipt-dispatcher.js';
import { ReportWaiters } from './report-waiters.js';

/** What became of a receipt handed to {@link ReceiptDelivery.deliver}. */
export type DeliveryOutcome = 'handled' | 'duplicate' | 'busy';

// How long a consumer may hold a receipt's claim while its handlers run; past it another
// consumer may dispatch the same receipt (handlers are expected to finish well within this).
const CLAIM_LEASE_MS = 5 * 60_000;

/**
 * The one door every receipt goes through, whatever its source (queue, push, back-fill):
 * correlate a report with its send, claim the receipt in the store (de-duplication), run the
 * handlers, settle the claim, and only then publish to the Observables and `waitForReport()`.
 *
 * Each step waits only when the store or a handler answered with a promise, so the common path
 * (in-memory store, synchronous handlers) runs without one.
 */
@Injectable()
export class ReceiptDelivery {
  constructor(
    @Inject(RECEIPT_STORE) private readonly store: ReceiptStore,
    private readonly dispatcher: ReceiptDispatcher,
    private readonly inFlightSends: InFlightSends,
    private readonly waiters: ReportWaiters,
    private readonly streams: ReceiptStreams,
  ) {}

  /**
   * Dispatches `receipt` unless it was dispatched before: `'handled'`, `'duplicate'` for a
   * receipt already handled, `'busy'` while another consumer is handling it. Throws (or rejects)
   * when a handler failed; the claim is then released, so the receipt may come again.
   */
  deliver(receipt: SmsReport | SmsUp): MaybePromise<DeliveryOutcome> {
    if (receipt.type === 'SmsUp' || receipt.sent) return this.dispatchOnce(receipt);
    // Taken before the store answers: a send registered meanwhile must still be waited for.
    const sendsInFlight = this.inFlightSends.whenSettled(receipt.phoneNumber);
    return andThen(this.store.getPending(receipt.bizId, receipt.phoneNumber), (pending) => {
      if (pending) return this.dispatchOnce(attachSend(receipt, pending));
      if (!sendsInFlight) return this.dispatchOnce(receipt);
      // The receipt may have beaten sendSms()'s own response: correlate once that send is registered.
      return sendsInFlight
        .then(() => this.store.getPending(receipt.bizId, receipt.phoneNumber))
        .then((registered) => this.dispatchOnce(registered ? attachSend(receipt, registered) : receipt));
    });
  }

  private dispatchOnce(receipt: SmsReport | SmsUp): MaybePromise<DeliveryOutcome> {
    const key = receiptKey(receipt);
    return andThen(this.store.claim(key, CLAIM_LEASE_MS), (claim) => {
      if (claim !== 'claimed') return claim === 'settled' ? 'duplicate' : 'busy';
      let running: Promise<void> | undefined;
      try {
        running = this.dispatcher.start(receipt);
      } catch (error) {
        return this.releaseAndThrow(key, error);
      }
      if (!running) return this.settle(key, receipt);
      return running.then(
        () => this.settle(key, receipt),
        (error: unknown) => this.releaseAndThrow(key, error),
      );
    });
  }

  /** The handlers succeeded: settle the claim (ending the pending send), then publish. */
  private settle(key: string, receipt: SmsReport | SmsUp): MaybePromise<'handled'> {
    const pending = receipt.type === 'SmsReport' ? receipt : undefined;
    return andThen(this.store.settle(key, pending), () => {
      if (receipt.type === 'SmsReport') this.waiters.resolve(receipt);
      this.streams.publish(receipt);
      return 'handled' as const;
    });
  }

  private releaseAndThrow(key: string, error: unknown): MaybePromise<never> {
    return andThen(this.store.release(key), () => {
      throw error;
    });
  }
}

/** Correlates a report with the send it belongs to. */
function attachSend(report: SmsReport, pending: PendingReceipt): SmsReport {
  report.sent = {
    bizId: pending.bizId,
    phoneNumber: pending.phoneNumber,
    templateCode: pending.templateCode,
    signName: pending.signName,
    outId: pending.outId,
    sentAt: new Date(pending.sentAt),
  };
  if (report.outId === undefined && pending.outId !== undefined) report.outId = pending.outId;
  return report;
}
