import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { AlicomSmsClock } from '../../clock/alicom-sms.clock.js';
import { ReceiptStoreError } from '../../errors/receipt-store.error.js';
import type { SmsReport, SmsUp } from '../../interfaces/sms-receipt.interface.js';
import { retryDelayMs } from '../../utils/backoff.js';
import { andThen, isThenable, type MaybePromise } from '../../utils/maybe-promise.js';
import { ReceiptStreams } from '../receipt-streams.js';
import { receiptKey } from '../store/receipt-keys.js';
import { ReceiptStoreHealth } from '../store/receipt-store-health.js';
import { RECEIPT_STORE } from '../store/receipt-store.provider.js';
import type { PendingReceipt, ReceiptClaim, ReceiptStore } from '../store/receipt-store.interface.js';
import { InFlightSends } from './in-flight-sends.js';
import { ReceiptDispatcher } from './receipt-dispatcher.js';
import { ReportWaiters } from './report-waiters.js';
import { InspectsAs } from '../../utils/inspects-as.js';

/**
 * What became of a receipt handed to {@link ReceiptDelivery.deliver}: `busy` while another
 * consumer is handling it, `send-in-flight` when it may belong to a send another instance has
 * not registered yet (look again shortly).
 */
export type DeliveryOutcome = 'handled' | 'duplicate' | 'busy' | 'send-in-flight';

// How long a consumer may hold a receipt's claim while its handlers run; past it another
// consumer may dispatch the same receipt (handlers are expected to finish well within this).
const CLAIM_LEASE_MS = 5 * 60_000;

// After the store answers again, an uncorrelated report waits this long: sends other instances
// made during the outage reach the store within about a second of its recovery (SendTracker).
const STORE_RECOVERY_GRACE_MS = 5_000;

/**
 * The one door every receipt goes through, whatever its source (queue, push, back-fill):
 * correlate a report with its send, claim the receipt in the store (de-duplication), run the
 * handlers, settle the claim, and only then publish to the Observables and `waitForReport()`.
 *
 * Each step waits only when the store or a handler answered with a promise, so the common path
 * (in-memory store, synchronous handlers) runs without one.
 */
@Injectable()
@InspectsAs()
export class ReceiptDelivery implements OnApplicationShutdown {
  private stopped = false;

  constructor(
    @Inject(RECEIPT_STORE) private readonly store: ReceiptStore,
    private readonly dispatcher: ReceiptDispatcher,
    private readonly inFlightSends: InFlightSends,
    private readonly waiters: ReportWaiters,
    private readonly streams: ReceiptStreams,
    private readonly storeHealth: ReceiptStoreHealth,
    private readonly clock: AlicomSmsClock,
  ) {}

  /**
   * Dispatches `receipt` unless it was dispatched before: `'handled'`, `'duplicate'` for a
   * receipt already handled, `'busy'` while another consumer is handling it, `'send-in-flight'`
   * while a send to its number is in flight on another instance. Throws (or rejects) when a
   * handler failed (the claim is then released, so the receipt may come again), or with a
   * {@link ReceiptStoreError} when the store could not be asked (nothing was dispatched).
   */
  deliver(receipt: SmsReport | SmsUp): MaybePromise<DeliveryOutcome> {
    if (receipt.type === 'SmsUp' || receipt.sent) return this.dispatchOnce(receipt);
    // Taken before the store answers: a send registered meanwhile must still be waited for.
    const sendsInFlight = this.inFlightSends.whenSettled(receipt.phoneNumber);
    return andThen(this.findSend(receipt), (found) => {
      if (typeof found === 'object') return this.dispatchOnce(attachSend(receipt, found));
      if (sendsInFlight) {
        // The receipt may have beaten sendSms()'s own response: correlate once that send is registered.
        return sendsInFlight
          .then(() => this.findSend(receipt))
          .then((registered) => this.correlated(receipt, registered));
      }
      return this.correlated(receipt, found);
    });
  }

  /** Stops retrying settlements (shutdown): a receipt still unsettled comes back from its queue. */
  onApplicationShutdown(): void {
    this.stopped = true;
  }

  /** The pending send of a report; with a shared store, `'sending'` while another instance's send to its number is in flight. */
  private findSend(report: SmsReport): MaybePromise<PendingReceipt | 'sending' | undefined> {
    let answer: MaybePromise<PendingReceipt | 'sending' | undefined>;
    try {
      answer = this.store.findSend ? this.store.findSend(report.bizId, report.phoneNumber) : this.store.getPending(report.bizId, report.phoneNumber);
    } catch (error) {
      throw this.storeFailed('lookup', error);
    }
    return isThenable(answer) ? this.storeAnswer('lookup', answer) : answer;
  }

  private claim(key: string): MaybePromise<ReceiptClaim> {
    let answer: MaybePromise<ReceiptClaim>;
    try {
      answer = this.store.claim(key, CLAIM_LEASE_MS);
    } catch (error) {
      throw this.storeFailed('claim', error);
    }
    return isThenable(answer) ? this.storeAnswer('claim', answer) : answer;
  }

  private correlated(report: SmsReport, found: PendingReceipt | 'sending' | undefined): MaybePromise<DeliveryOutcome> {
    if (typeof found === 'object') return this.dispatchOnce(attachSend(report, found));
    if (found === 'sending') return 'send-in-flight';
    // Just after a store outage, other instances may still be registering the sends they made
    // meanwhile (their marks could not be written either): give them a moment.
    if (this.store.findSend && this.storeHealth.recoveredWithin(STORE_RECOVERY_GRACE_MS)) return 'send-in-flight';
    return this.dispatchOnce(report);
  }

  private dispatchOnce(receipt: SmsReport | SmsUp): MaybePromise<DeliveryOutcome> {
    const key = receiptKey(receipt);
    return andThen(this.claim(key), (claim) => {
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
    const report = receipt.type === 'SmsReport' ? receipt : undefined;
    return andThen(this.settleStored(key, report, 0), () => {
      if (report) this.waiters.resolve(report);
      this.streams.publish(receipt);
      return 'handled' as const;
    });
  }

  /**
   * Writes the settlement, retrying while the store fails: the handlers already ran, so giving up
   * would let the receipt be handled again. Gives up (rejects) only at shutdown or when the claim
   * has expired anyway; the receipt then stays on its queue.
   */
  private settleStored(key: string, report: SmsReport | undefined, attempt: number, since = 0): MaybePromise<void> {
    let written: MaybePromise<void>;
    try {
      written = this.store.settle(key, report, report);
    } catch (error) {
      return this.retrySettle(key, report, attempt, since, error);
    }
    if (!isThenable(written)) {
      this.storeHealth.succeeded();
      return written;
    }
    return written.then(
      () => this.storeHealth.succeeded(),
      (error: unknown) => this.retrySettle(key, report, attempt, since, error),
    );
  }

  private async retrySettle(key: string, report: SmsReport | undefined, attempt: number, since: number, error: unknown): Promise<void> {
    const failure = ReceiptStoreError.wrap(error, 'settle');
    this.storeHealth.failed(failure);
    const startedAt = attempt === 0 ? this.clock.now() : since;
    if (this.stopped || this.clock.now() - startedAt >= CLAIM_LEASE_MS) throw failure;
    await this.clock.sleep(retryDelayMs(attempt, 200, 5_000));
    return this.settleStored(key, report, attempt + 1, startedAt);
  }

  private releaseAndThrow(key: string, error: unknown): MaybePromise<never> {
    const thrown = () => {
      throw error;
    };
    // A failed release only means the claim runs out its lease; the handler's error is what counts.
    let released: MaybePromise<void>;
    try {
      released = this.store.release(key);
    } catch {
      return thrown();
    }
    return isThenable(released) ? released.then(thrown, thrown) : thrown();
  }

  /** A store's promised answer; its failure becomes a {@link ReceiptStoreError}, reported to the store's health. */
  private storeAnswer<T>(step: string, answer: Promise<T>): Promise<T> {
    return answer.then(
      (value) => {
        this.storeHealth.succeeded();
        return value;
      },
      (error: unknown) => {
        throw this.storeFailed(step, error);
      },
    );
  }

  private storeFailed(step: string, error: unknown): ReceiptStoreError {
    const failure = ReceiptStoreError.wrap(error, step);
    this.storeHealth.failed(failure);
    return failure;
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
