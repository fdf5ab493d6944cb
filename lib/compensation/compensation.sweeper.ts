import { Inject, Injectable, Logger } from '@nestjs/common';
import { ALICOM_SMS_RESOLVED_OPTIONS } from '../alicom-sms.constants.js';
import { sweepFailedMessage, sweepQueryFailureMessages } from '../alicom-sms.messages.js';
import { AlicomSmsClock } from '../clock/alicom-sms.clock.js';
import { ReceiptStoreError } from '../errors/receipt-store.error.js';
import type { SmsReport } from '../interfaces/sms-receipt.interface.js';
import type { SmsSendDetail } from '../interfaces/sms-requests.interface.js';
import type { ResolvedAlicomSmsOptions, ResolvedCompensationOptions } from '../options/resolved-alicom-sms-options.js';
import { ReceiptDelivery } from '../receipts/delivery/receipt-delivery.js';
import { ReceiptStoreHealth } from '../receipts/store/receipt-store-health.js';
import { reportKey } from '../receipts/store/receipt-keys.js';
import { RECEIPT_STORE } from '../receipts/store/receipt-store.provider.js';
import type { PendingReceipt, ReceiptStore } from '../receipts/store/receipt-store.interface.js';
import { PopRpcClient } from '../rpc/pop-rpc.client.js';
import { normalizePhoneNumber } from '../sms/phone-number.js';
import { mapQuerySendDetailsResponse } from '../sms/send-details.mapper.js';
import { formatBeijingDay } from '../utils/beijing-time.js';
import { FailureStreakLog } from '../utils/failure-streak-log.js';
import type { MaybePromise } from '../utils/maybe-promise.js';
import { noFinalStatusReport, reportFromQuery } from './synthesized-reports.js';
import { InspectsAs } from '../utils/inspects-as.js';

const MAX_RECHECK_MS = 6 * 60 * 60_000;
const QUERYABLE_DAYS_MS = 30 * 24 * 60 * 60_000 - 60 * 60_000;
// A sweep that dies mid-check leaves entries leased this long before another may take them; a
// lease covers one second's worth of queries (longer when instances share the rate).
const CHECK_LEASE_MS = 60_000;

/**
 * The compensation sweep: pending sends older than `queryAfterMs` are checked with
 * QuerySendDetails (rate-limited); a final status becomes an `SmsReport` with `source: 'query'`
 * through the same door as queue receipts (handlers, Observables, waiters, de-duplication);
 * 'waiting' is checked again later; at `giveUpAfterMs` the send ends with an
 * `ALICOM_SMS_NO_FINAL_STATUS` report, whether or not QuerySendDetails answers.
 *
 * It runs every `compensation.sweepIntervalMs` as the job `COMPENSATION_SWEEP_JOB`; call
 * {@link sweep} to run one now (tests, an admin endpoint).
 *
 * @publicApi
 */
@Injectable()
@InspectsAs((sweeper: CompensationSweeper) => ({ enabled: sweeper['settings'] !== false }))
export class CompensationSweeper {
  private readonly logger = new Logger('AlicomSms');
  private readonly settings: ResolvedCompensationOptions | false;
  private readonly queryFailures: FailureStreakLog;
  private running?: Promise<void>;
  private stopped = false;
  /** Token bucket of the query rate: up to one second's worth of queries may go at once. */
  private queryTokens = 0;
  private tokensAt = -Infinity;

  constructor(
    @Inject(ALICOM_SMS_RESOLVED_OPTIONS) private readonly options: ResolvedAlicomSmsOptions,
    @Inject(RECEIPT_STORE) private readonly store: ReceiptStore,
    private readonly rpc: PopRpcClient,
    private readonly delivery: ReceiptDelivery,
    private readonly clock: AlicomSmsClock,
    private readonly storeHealth: ReceiptStoreHealth,
  ) {
    this.settings = options.compensation;
    this.queryFailures = new FailureStreakLog(sweepQueryFailureMessages, this.logger, () => clock.now());
  }

  /**
   * Runs one sweep now and resolves when it is done; overlapping calls share the sweep in
   * progress. Does nothing when compensation is off or the app is shutting down.
   */
  sweep(): Promise<void> {
    if (!this.settings || this.stopped) return Promise.resolve();
    this.running ??= this.sweepOnce(this.settings)
      .catch((error) => {
        // The store's outage is logged once by its health; the entries leased stay leased until the lease ends.
        if (error instanceof ReceiptStoreError) this.storeHealth.failed(error);
        else this.logger.error(sweepFailedMessage((error as Error)?.message ?? String(error)), (error as Error)?.stack);
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** Stops sweeping (shutdown): no new sweep starts; resolves when the running one is done. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /**
   * Takes due sends a second's worth of queries at a time (so a lease covers only what is about
   * to be queried, however many instances share the rate), up to one sweep interval's worth.
   */
  private async sweepOnce(settings: ResolvedCompensationOptions): Promise<void> {
    const sweepAt = this.clock.now();
    const limit = Math.max(1, Math.ceil((settings.queryRatePerSecond * settings.sweepIntervalMs) / 1000));
    const chunk = Math.min(limit, settings.queryRatePerSecond);
    // Once QuerySendDetails fails, this sweep asks no more: the rest wait for the next sweep.
    let queryFailure: unknown;
    let taken = 0;
    while (taken < limit && !this.stopped) {
      const due = await this.storeCall('claimDue', () => this.store.claimDue(sweepAt, Math.min(chunk, limit - taken), CHECK_LEASE_MS));
      if (due.length === 0) break;
      taken += due.length;
      for (const entry of due) {
        if (this.stopped) {
          await this.reschedule(entry, entry.nextCheckAt, false);
          continue;
        }
        if (queryFailure === undefined) {
          try {
            await this.check(entry, settings);
            continue;
          } catch (error) {
            if (error instanceof ReceiptStoreError) throw error;
            queryFailure = error;
            this.queryFailures.failed((error as Error)?.message ?? String(error));
          }
        }
        await this.checkWithoutQuery(entry, settings, queryFailure, sweepAt);
      }
    }
    if (queryFailure === undefined && taken > 0) this.queryFailures.succeeded();
  }

  /** Queries one pending send and ends or reschedules it; throws only when the query failed. */
  private async check(entry: PendingReceipt, settings: ResolvedCompensationOptions): Promise<void> {
    const age = this.clock.now() - entry.sentAt;
    if (age >= QUERYABLE_DAYS_MS) {
      // QuerySendDetails only reaches 30 days back: nothing more can be learned.
      await this.end(entry, noFinalStatusReport(entry, 'No final delivery status within the 30 days QuerySendDetails covers', this.clock.now()), settings);
      return;
    }
    const detail = await this.query(entry, settings);
    const now = this.clock.now();
    if (detail && detail.status !== 'waiting') {
      await this.end(entry, reportFromQuery(entry, detail, now), settings);
    } else if (now - entry.sentAt >= settings.giveUpAfterMs) {
      await this.end(entry, this.giveUp(entry, settings, detail ? 'waiting' : 'no record', detail), settings);
    } else {
      await this.reschedule(entry, this.nextCheckAt(entry, settings), true);
    }
  }

  /** QuerySendDetails is failing: a send past its give-up age still ends on time, the others wait. */
  private async checkWithoutQuery(entry: PendingReceipt, settings: ResolvedCompensationOptions, failure: unknown, sweepAt: number): Promise<void> {
    if (this.clock.now() - entry.sentAt >= settings.giveUpAfterMs) {
      const why = `QuerySendDetails failing: ${(failure as { code?: string })?.code ?? (failure as Error)?.message ?? String(failure)}`;
      await this.end(entry, this.giveUp(entry, settings, why), settings);
    } else {
      // Due again at the next sweep, not within this one (which takes due entries as of `sweepAt`).
      await this.reschedule(entry, Math.max(entry.nextCheckAt, sweepAt + 1), false);
    }
  }

  private reschedule(entry: PendingReceipt, nextCheckAt: number, checked: boolean): Promise<void> {
    return this.storeCall('reschedule', () => this.store.reschedule(entry.bizId, entry.phoneNumber, nextCheckAt, checked));
  }

  /** A store call of the sweep; its failure (a {@link ReceiptStoreError}) ends the sweep. */
  private async storeCall<T>(step: string, call: () => MaybePromise<T>): Promise<T> {
    let answer: T;
    try {
      answer = await call();
    } catch (error) {
      throw ReceiptStoreError.wrap(error, step);
    }
    this.storeHealth.succeeded();
    return answer;
  }

  private async query(entry: PendingReceipt, settings: ResolvedCompensationOptions): Promise<SmsSendDetail | undefined> {
    await this.rateLimit(settings.queryRatePerSecond);
    const body = await this.rpc.call({
      endpoint: this.options.endpoints.sms,
      action: 'QuerySendDetails',
      params: {
        PhoneNumber: entry.phoneNumber,
        SendDate: formatBeijingDay(new Date(entry.sentAt)),
        BizId: entry.bizId,
        PageSize: '50',
        CurrentPage: '1',
      },
      idempotent: true,
    });
    const { details } = mapQuerySendDetailsResponse(body);
    return (
      details.find((d) => {
        const normalized = normalizePhoneNumber(d.phoneNumber);
        return (normalized.ok ? normalized.number : d.phoneNumber) === entry.phoneNumber;
      }) ?? (details.length === 1 ? details[0] : undefined)
    );
  }

  private giveUp(entry: PendingReceipt, settings: ResolvedCompensationOptions, lastKnown: string, detail?: SmsSendDetail): SmsReport {
    const hours = Math.round(settings.giveUpAfterMs / 3_600_000);
    return noFinalStatusReport(entry, `No final delivery status within ${hours} h (last known: ${lastKnown})`, this.clock.now(), detail);
  }

  /** Delivers the final report of `entry`; a failed handler or a busy claim means another try later. */
  private async end(entry: PendingReceipt, report: SmsReport, settings: ResolvedCompensationOptions): Promise<void> {
    let retryAt: number | undefined;
    try {
      const outcome = await this.delivery.deliver(report);
      if (outcome === 'busy') retryAt = this.clock.now() + settings.sweepIntervalMs;
      // Settled already (its report came while it was being tracked): the entry has nothing left to wait for.
      else if (outcome === 'duplicate') await this.storeCall('settle', () => this.store.settle(reportKey(entry.bizId, entry.phoneNumber), entry));
    } catch (error) {
      if (error instanceof ReceiptStoreError) throw error;
      // A handler failed (already logged): try this send again on a later sweep.
      retryAt = this.nextCheckAt(entry, settings);
    }
    if (retryAt !== undefined) await this.reschedule(entry, retryAt, false);
  }

  /** The next check after a 'waiting' answer: the recheck interval doubling per check, never past the give-up age. */
  private nextCheckAt(entry: PendingReceipt, settings: ResolvedCompensationOptions): number {
    const delay = Math.min(MAX_RECHECK_MS, settings.recheckIntervalMs * 2 ** Math.min(entry.checks, 20));
    return Math.max(this.clock.now() + 1, Math.min(this.clock.now() + delay, entry.sentAt + settings.giveUpAfterMs));
  }

  /**
   * Waits for a query token: `perSecond` on average, at most one second's worth in a burst; from
   * the bucket every instance shares when the store keeps one, so the rate holds deployment-wide.
   */
  private async rateLimit(perSecond: number): Promise<void> {
    const store = this.store;
    if (store.takeQueryToken) {
      const waitMs = await this.storeCall('takeQueryToken', () => store.takeQueryToken?.(perSecond, this.clock.now()) ?? 0);
      if (waitMs > 0) await this.clock.sleep(waitMs);
      return;
    }
    const now = this.clock.now();
    this.queryTokens = Math.min(perSecond, this.queryTokens + ((now - this.tokensAt) * perSecond) / 1000);
    this.tokensAt = now;
    this.queryTokens -= 1;
    if (this.queryTokens < 0) await this.clock.sleep((-this.queryTokens * 1000) / perSecond);
  }
}
