import { Inject, Injectable, Logger } from '@nestjs/common';
import { ALICOM_SMS_RESOLVED_OPTIONS } from '../alicom-sms.constants.js';
import { storeFullMessage, trackingFailedMessage } from '../alicom-sms.messages.js';
import { AlicomSmsClock } from '../clock/alicom-sms.clock.js';
import { NO_FINAL_STATUS_ERR_CODE, noFinalStatusReport } from '../compensation/synthesized-reports.js';
import type { ResolvedAlicomSmsOptions } from '../options/resolved-alicom-sms-options.js';
import { InFlightSends } from '../receipts/delivery/in-flight-sends.js';
import { ReceiptDelivery } from '../receipts/delivery/receipt-delivery.js';
import { RECEIPT_STORE } from '../receipts/store/receipt-store.provider.js';
import type { PendingReceipt, ReceiptStore } from '../receipts/store/receipt-store.interface.js';

/** An accepted send, as SmsService reports it to the tracker. */
export interface AcceptedSend {
  bizId: string;
  recipients: ReadonlyArray<{ phoneNumber: string; signName: string }>;
  templateCode: string;
  outId?: string;
  sentAt: number;
}

/**
 * Registers every accepted send's (bizId, phone) as awaiting its final report, when receipts (queue
 * or push) or compensation are on. Sends in flight are announced first so that an early receipt waits for
 * its registration.
 */
@Injectable()
export class SendTracker {
  private readonly logger = new Logger('AlicomSms');
  /** Whether sends are tracked at all. */
  readonly enabled: boolean;
  private readonly queryAfterMs: number;

  constructor(
    @Inject(ALICOM_SMS_RESOLVED_OPTIONS) options: ResolvedAlicomSmsOptions,
    @Inject(RECEIPT_STORE) private readonly store: ReceiptStore,
    private readonly inFlightSends: InFlightSends,
    private readonly delivery: ReceiptDelivery,
    private readonly clock: AlicomSmsClock,
  ) {
    this.enabled = options.receipts !== false || options.push !== false || options.compensation !== false;
    this.queryAfterMs = options.compensation ? options.compensation.queryAfterMs : 0;
  }

  /** Announces a send to `phoneNumbers`; call the result when it was registered or failed. */
  begin(phoneNumbers: readonly string[]): () => void {
    return this.enabled ? this.inFlightSends.begin(phoneNumbers) : () => {};
  }

  /** Registers an accepted send. Never throws: tracking problems must not fail a successful send. */
  async track(send: AcceptedSend): Promise<void> {
    if (!this.enabled) return;
    const entries: PendingReceipt[] = send.recipients.map((r) => ({
      bizId: send.bizId,
      phoneNumber: r.phoneNumber,
      templateCode: send.templateCode,
      signName: r.signName,
      outId: send.outId,
      sentAt: send.sentAt,
      nextCheckAt: send.sentAt + this.queryAfterMs,
      checks: 0,
    }));
    try {
      const evicted = await this.store.addPending(entries);
      for (const entry of evicted) this.endEvicted(entry);
    } catch (error) {
      this.logger.error(trackingFailedMessage(send.bizId, (error as Error)?.message ?? String(error)));
    }
  }

  /** A send the full store let go of ends at once with a "no final status" report, never silently. */
  private endEvicted(entry: PendingReceipt): void {
    this.logger.warn(storeFullMessage(entry.bizId, entry.phoneNumber, NO_FINAL_STATUS_ERR_CODE));
    const report = noFinalStatusReport(entry, 'Evicted from the full receipt store (compensation.maxPending) before a final status arrived', this.clock.now());
    void Promise.resolve()
      .then(() => this.delivery.deliver(report))
      .catch((error) => this.logger.error(`Could not deliver the end of evicted send ${entry.bizId}: ${(error as Error)?.message}`));
  }
}
