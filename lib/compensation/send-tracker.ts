import { Inject, Injectable, Logger } from '@nestjs/common';
import { ALICOM_SMS_RESOLVED_OPTIONS } from '../alicom-sms.constants.js';
import type { ResolvedAlicomSmsOptions } from '../interfaces/alicom-sms-module-options.interface.js';
import { ReceiptDelivery } from '../receipts/receipt-delivery.js';
import { InFlightSends } from './in-flight-sends.js';
import { RECEIPT_STORE } from './receipt-store.provider.js';
import type { PendingReceipt, ReceiptStore } from './receipt-store.interface.js';
import { NO_FINAL_STATUS_ERR_CODE, noFinalStatusReport } from './synthesized-reports.js';

/** An accepted send, as SmsService reports it to the tracker. */
export interface AcceptedSend {
  bizId: string;
  recipients: ReadonlyArray<{ phoneNumber: string; signName: string }>;
  templateCode: string;
  outId?: string;
  sentAt: number;
}

/**
 * Registers every accepted send's (bizId, phone) as awaiting its final report, when receipts or
 * compensation are on. Sends in flight are announced first so that an early receipt waits for
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
  ) {
    this.enabled = options.receipts !== false || options.compensation !== false;
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
      for (const entry of evicted) {
        this.logger.warn(`Receipt store full: send ${entry.bizId} to ${entry.phoneNumber} is no longer tracked; ending it with ${NO_FINAL_STATUS_ERR_CODE}`);
        void this.delivery
          .deliver(noFinalStatusReport(entry, 'Evicted from the full receipt store (compensation.maxPending) before a final status arrived'))
          .catch((error) => this.logger.error(`Could not deliver the end of evicted send ${entry.bizId}: ${(error as Error)?.message}`));
      }
    } catch (error) {
      this.logger.error(`Could not track send ${send.bizId} for compensation: ${(error as Error)?.message}`);
    }
  }
}
