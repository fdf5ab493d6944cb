import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { ALICOM_SMS_RESOLVED_OPTIONS } from '../alicom-sms.constants.js';
import { storeFullMessage, trackingDroppedMessage, trackingLostAtShutdownMessage } from '../alicom-sms.messages.js';
import { AlicomSmsClock } from '../clock/alicom-sms.clock.js';
import { NO_FINAL_STATUS_ERR_CODE, noFinalStatusReport } from '../compensation/synthesized-reports.js';
import { ReceiptStoreError } from '../errors/receipt-store.error.js';
import type { ResolvedAlicomSmsOptions } from '../options/resolved-alicom-sms-options.js';
import { InFlightSends } from '../receipts/delivery/in-flight-sends.js';
import { ReceiptDelivery } from '../receipts/delivery/receipt-delivery.js';
import { ReceiptStreams } from '../receipts/receipt-streams.js';
import { ReceiptStoreHealth } from '../receipts/store/receipt-store-health.js';
import { RECEIPT_STORE } from '../receipts/store/receipt-store.provider.js';
import type { PendingReceipt, ReceiptStore } from '../receipts/store/receipt-store.interface.js';
import { retryDelayMs } from '../utils/backoff.js';
import { InspectsAs } from '../utils/inspects-as.js';

/** An accepted send, as SmsService reports it to the tracker. */
export interface AcceptedSend {
  bizId: string;
  recipients: ReadonlyArray<{ phoneNumber: string; signName: string }>;
  templateCode: string;
  outId?: string;
  sentAt: number;
}

/** A send announced by {@link SendTracker.begin}: ended by `track` or `abandon`. */
export interface SendInFlight {
  readonly phoneNumbers: readonly string[];
  /** Ends the in-process mark (receipts of these numbers stop waiting). */
  readonly finishLocal: () => void;
  /** Token of the shared store's mark, when one was written. */
  storeToken?: string;
}

/** Accepted sends kept at most while the store is unreachable; past it the oldest are dropped (reported on `errors$`). */
const MAX_TRACKING_BACKLOG = 10_000;
/** A send's mark in a shared store outlives its request timeout by this much (the answer is still being read). */
const SEND_MARK_MARGIN_MS = 5_000;
/** How long a shutdown waits for the store to take the sends still waiting to be tracked. */
const SHUTDOWN_FLUSH_MS = 5_000;

/**
 * Registers every accepted send's (bizId, phone) as awaiting its final report, when receipts (queue
 * or push) or compensation are on. Sends in flight are announced first (in process, and in a
 * shared store for other instances) so that an early receipt waits for its registration.
 *
 * Tracking never fails a send Alibaba accepted: while the store is unreachable, accepted sends
 * wait in a bounded backlog and are registered once it answers again.
 */
@Injectable()
@InspectsAs((tracker: SendTracker) => ({ enabled: tracker.enabled }))
export class SendTracker implements BeforeApplicationShutdown {
  private readonly logger = new Logger('AlicomSms');
  /** Whether sends are tracked at all. */
  readonly enabled: boolean;
  private readonly queryAfterMs: number;
  private readonly sendMarkTtlMs: number;
  /** Accepted sends waiting for the store, oldest first. */
  private backlog: Array<{ entries: PendingReceipt[]; send: SendInFlight }> = [];
  private backlogEntries = 0;
  private flushing?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(ALICOM_SMS_RESOLVED_OPTIONS) options: ResolvedAlicomSmsOptions,
    @Inject(RECEIPT_STORE) private readonly store: ReceiptStore,
    private readonly inFlightSends: InFlightSends,
    private readonly delivery: ReceiptDelivery,
    private readonly streams: ReceiptStreams,
    private readonly storeHealth: ReceiptStoreHealth,
    private readonly clock: AlicomSmsClock,
  ) {
    this.enabled = options.receipts !== false || options.push !== false || options.compensation !== false;
    this.queryAfterMs = options.compensation ? options.compensation.queryAfterMs : 0;
    // The HTTP answer of a send comes within the request timeout (a send is never retried once sent).
    this.sendMarkTtlMs = options.requestTimeoutMs * (options.maxQueryRetries + 1) + SEND_MARK_MARGIN_MS;
  }

  /**
   * Announces a send to `phoneNumbers` before it goes out; end it with {@link track} (accepted) or
   * {@link abandon} (failed). Never rejects: a store that cannot take the mark only costs the
   * cross-instance correlation of an early receipt.
   */
  async begin(phoneNumbers: readonly string[]): Promise<SendInFlight | undefined> {
    if (!this.enabled) return undefined;
    const send: SendInFlight = { phoneNumbers, finishLocal: this.inFlightSends.begin(phoneNumbers) };
    // While the store is known to fail, do not make the send wait for it.
    if (this.store.beginSends && !this.storeHealth.failing) {
      try {
        send.storeToken = await this.store.beginSends(phoneNumbers, this.sendMarkTtlMs);
        this.storeHealth.succeeded();
      } catch (error) {
        this.storeHealth.failed(ReceiptStoreError.wrap(error, 'beginSends'));
      }
    }
    return send;
  }

  /** The send failed: nothing to track. */
  abandon(send: SendInFlight | undefined): void {
    if (!send) return;
    send.finishLocal();
    this.endStoreMark(send);
  }

  /** Registers an accepted send. Never throws: tracking problems must not fail a successful send. */
  async track(sent: AcceptedSend, send: SendInFlight | undefined): Promise<void> {
    if (!this.enabled || !send) return;
    const entries: PendingReceipt[] = sent.recipients.map((r) => ({
      bizId: sent.bizId,
      phoneNumber: r.phoneNumber,
      templateCode: sent.templateCode,
      signName: r.signName,
      outId: sent.outId,
      sentAt: sent.sentAt,
      nextCheckAt: sent.sentAt + this.queryAfterMs,
      checks: 0,
    }));
    // Behind sends already waiting, or while the store is known to fail: wait in line.
    if (this.backlog.length > 0 || this.storeHealth.failing) {
      this.enqueue(entries, send);
      return;
    }
    try {
      await this.register(entries);
      this.registered(send);
    } catch (error) {
      this.storeHealth.failed(ReceiptStoreError.wrap(error, 'addPending'));
      this.enqueue(entries, send);
    }
  }

  /** Before shutdown: give the store a last chance to take the sends still waiting, report the rest. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.backlog.length > 0) {
      const deadline = this.clock.now() + SHUTDOWN_FLUSH_MS;
      while (this.backlog.length > 0 && this.clock.now() < deadline && (await this.flushOnce())) {
        // flushed one chunk; go on
      }
    }
    this.stopped = true;
    if (this.backlog.length === 0) return;
    const lost = this.backlog;
    this.backlog = [];
    this.setBacklog(0);
    this.logger.error(trackingLostAtShutdownMessage(lost.reduce((n, b) => n + b.entries.length, 0)));
    this.dropped(lost, new ReceiptStoreError('The app shut down while the receipt store was unreachable; these sends are not tracked'));
  }

  private async register(entries: PendingReceipt[]): Promise<void> {
    const evicted = await this.store.addPending(entries);
    this.storeHealth.succeeded();
    for (const entry of evicted) this.endEvicted(entry);
  }

  /** The send is in the store: receipts of its numbers may be correlated now. */
  private registered(send: SendInFlight): void {
    send.finishLocal();
    this.endStoreMark(send);
  }

  private endStoreMark(send: SendInFlight): void {
    if (send.storeToken === undefined || !this.store.endSends) return;
    // Not awaited: the mark also expires by itself.
    void Promise.resolve()
      .then(() => this.store.endSends?.(send.storeToken as string, send.phoneNumbers))
      .catch(() => {});
  }

  private enqueue(entries: PendingReceipt[], send: SendInFlight): void {
    this.backlog.push({ entries, send });
    this.backlogEntries += entries.length;
    if (this.backlogEntries > MAX_TRACKING_BACKLOG) {
      const dropped: typeof this.backlog = [];
      while (this.backlogEntries > MAX_TRACKING_BACKLOG && this.backlog.length > 1) {
        const oldest = this.backlog.shift() as (typeof this.backlog)[number];
        this.backlogEntries -= oldest.entries.length;
        dropped.push(oldest);
      }
      const count = dropped.reduce((n, b) => n + b.entries.length, 0);
      this.logger.error(trackingDroppedMessage(count, MAX_TRACKING_BACKLOG));
      this.dropped(dropped, new ReceiptStoreError(`The receipt store stayed unreachable with more than ${MAX_TRACKING_BACKLOG} sends waiting to be tracked`));
    }
    this.setBacklog(this.backlogEntries);
    this.flushing ??= this.flushLoop().finally(() => {
      this.flushing = undefined;
    });
  }

  /** Retries the oldest waiting sends until the store takes them all (or the app stops). */
  private async flushLoop(): Promise<void> {
    for (let attempt = 0; this.backlog.length > 0 && !this.stopped; ) {
      if (await this.flushOnce()) {
        attempt = 0;
        continue;
      }
      // Soon after the store is back: other instances hold reports of these sends until then.
      await this.clock.sleep(retryDelayMs(attempt++, 200, 1_000));
    }
  }

  /** Registers the oldest waiting sends (a chunk); false when the store failed. */
  private async flushOnce(): Promise<boolean> {
    const chunk: typeof this.backlog = [];
    let size = 0;
    for (const waiting of this.backlog) {
      if (size > 0 && size + waiting.entries.length > 500) break;
      chunk.push(waiting);
      size += waiting.entries.length;
    }
    if (chunk.length === 0) return true;
    try {
      await this.register(chunk.flatMap((waiting) => waiting.entries));
    } catch (error) {
      this.storeHealth.failed(ReceiptStoreError.wrap(error, 'addPending'));
      return false;
    }
    // Only now: sends queued meanwhile stay behind these.
    this.backlog.splice(0, chunk.length);
    this.backlogEntries -= size;
    this.setBacklog(this.backlogEntries);
    for (const waiting of chunk) this.registered(waiting.send);
    return true;
  }

  private dropped(lost: Array<{ entries: PendingReceipt[]; send: SendInFlight }>, error: ReceiptStoreError): void {
    for (const waiting of lost) waiting.send.finishLocal();
    const sends = lost.flatMap((waiting) => waiting.entries.map((e) => ({ bizId: e.bizId, phoneNumber: e.phoneNumber })));
    if (sends.length === 0) return;
    this.streams.reportFailure({ source: 'send', kind: 'tracking', type: 'SmsReport', error, sends });
  }

  private setBacklog(entries: number): void {
    this.storeHealth.trackingBacklog = entries;
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
