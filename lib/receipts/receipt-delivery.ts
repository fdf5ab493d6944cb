import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Subject } from 'rxjs';
import { InFlightSends } from '../compensation/in-flight-sends.js';
import { type InMemoryReceiptStore, synchronousReceiptStore } from '../compensation/in-memory-receipt.store.js';
import { receiptKey } from '../compensation/receipt-keys.js';
import { RECEIPT_STORE } from '../compensation/receipt-store.provider.js';
import type { PendingReceipt, ReceiptStore } from '../compensation/receipt-store.interface.js';
import { ReportWaiters } from '../compensation/report-waiters.js';
import type { SmsReport, SmsUp } from '../interfaces/sms-receipt.interface.js';
import { ReceiptDispatcher } from './receipt-dispatcher.js';

/** What became of a receipt handed to {@link ReceiptDelivery.deliver}. */
export type DeliveryOutcome = 'handled' | 'duplicate' | 'busy';

// How long a consumer may hold a receipt's claim while its handlers run; past it another
// consumer may dispatch the same receipt (handlers are expected to finish well within this).
const CLAIM_LEASE_MS = 5 * 60_000;

/**
 * The one door every receipt goes through, from the queue or from the compensation sweep:
 * correlate it with its send, let it pass once (de-duplication through the receipt store), run
 * the handlers, and only then publish it to the Observables and to `waitForReport()` callers.
 */
@Injectable()
export class ReceiptDelivery implements OnApplicationShutdown {
  /** Receipts whose handlers succeeded, once each. */
  readonly reports = new Subject<SmsReport>();
  readonly ups = new Subject<SmsUp>();

  constructor(
    @Inject(RECEIPT_STORE) private readonly store: ReceiptStore,
    private readonly dispatcher: ReceiptDispatcher,
    private readonly inFlightSends: InFlightSends,
    private readonly waiters: ReportWaiters,
  ) {}

  /**
   * Dispatches `receipt` unless it was dispatched before. Rejects when a handler failed (the
   * receipt is then free to come again); resolves `'duplicate'` for a receipt already handled and
   * `'busy'` while another consumer is handling the same receipt.
   */
  async deliver(receipt: SmsReport | SmsUp): Promise<DeliveryOutcome> {
    return this.deliverNow(receipt);
  }

  /**
   * {@link deliver} for the queue consumers, answering at once (no promise) when nothing has to
   * be waited for: the built-in in-memory store, synchronous handlers and no send to the same
   * number still in flight. Otherwise returns the promise `deliver()` would.
   */
  deliverNow(receipt: SmsReport | SmsUp): DeliveryOutcome | Promise<DeliveryOutcome> {
    const store = synchronousReceiptStore(this.store);
    if (!store) return this.deliverThroughStore(receipt);
    if (receipt.type === 'SmsReport' && !receipt.sent) {
      const pending = store.getPendingNow(receipt.bizId, receipt.phoneNumber);
      // The receipt may have beaten sendSms()'s own response: the awaiting path waits for it.
      if (!pending && this.inFlightSends.has(receipt.phoneNumber)) return this.deliverThroughStore(receipt);
      if (pending) attachSend(receipt, pending);
    }
    const key = receiptKey(receipt);
    const claim = store.claimNow(key, CLAIM_LEASE_MS);
    if (claim !== 'claimed') return claim === 'settled' ? 'duplicate' : 'busy';
    let running: Promise<void> | undefined;
    try {
      running = this.dispatcher.start(receipt);
    } catch (error) {
      store.releaseNow(key);
      throw error;
    }
    if (running) {
      return running.then(
        () => this.settleNow(store, key, receipt),
        (error: unknown) => {
          store.releaseNow(key);
          throw error;
        },
      );
    }
    return this.settleNow(store, key, receipt);
  }

  onApplicationShutdown(): void {
    this.reports.complete();
    this.ups.complete();
  }

  /** The same steps, awaiting every call of a store that answers asynchronously. */
  private async deliverThroughStore(receipt: SmsReport | SmsUp): Promise<DeliveryOutcome> {
    if (receipt.type === 'SmsReport' && !receipt.sent) await this.correlate(receipt);
    const key = receiptKey(receipt);
    const claim = await this.store.claim(key, CLAIM_LEASE_MS);
    if (claim !== 'claimed') return claim === 'settled' ? 'duplicate' : 'busy';
    try {
      await this.dispatcher.start(receipt);
    } catch (error) {
      await this.store.release(key);
      throw error;
    }
    await this.store.settle(key, pendingOf(receipt));
    this.publish(receipt, key);
    return 'handled';
  }

  /** The handlers succeeded: settle the claim at once, then publish. */
  private settleNow(store: InMemoryReceiptStore, key: string, receipt: SmsReport | SmsUp): 'handled' {
    store.settleNow(key, pendingOf(receipt));
    this.publish(receipt, key);
    return 'handled';
  }

  /** To the waiters and Observables, once the receipt is settled (`key`: its {@link receiptKey}). */
  private publish(receipt: SmsReport | SmsUp, key: string): void {
    if (receipt.type === 'SmsReport') {
      // A report's receiptKey is its reportKey: the waiters reuse the string already hashed.
      this.waiters.resolve(receipt, key);
      this.reports.next(receipt);
    } else {
      this.ups.next(receipt);
    }
  }

  private async correlate(report: SmsReport): Promise<void> {
    let pending = await this.store.getPending(report.bizId, report.phoneNumber);
    // The receipt may have beaten sendSms()'s own response: wait for sends to this number.
    if (!pending && (await this.inFlightSends.settled(report.phoneNumber))) {
      pending = await this.store.getPending(report.bizId, report.phoneNumber);
    }
    if (pending) attachSend(report, pending);
  }
}

/** The pending send a receipt's settlement ends: a report's (bizId, phone); none for a reply. */
function pendingOf(receipt: SmsReport | SmsUp): SmsReport | undefined {
  return receipt.type === 'SmsReport' ? receipt : undefined;
}

/** Correlates a report with the send it belongs to. */
function attachSend(report: SmsReport, pending: PendingReceipt): void {
  report.sent = {
    bizId: pending.bizId,
    phoneNumber: pending.phoneNumber,
    templateCode: pending.templateCode,
    signName: pending.signName,
    outId: pending.outId,
    sentAt: new Date(pending.sentAt),
  };
  if (report.outId === undefined && pending.outId !== undefined) report.outId = pending.outId;
}
