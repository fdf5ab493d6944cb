import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import { ALICOM_SMS_RESOLVED_OPTIONS } from '../alicom-sms.constants.js';
import { AlicomSmsError } from '../errors/alicom-sms.error.js';
import type { ResolvedAlicomSmsOptions, ResolvedCompensationOptions } from '../interfaces/alicom-sms-module-options.interface.js';
import type { SmsReport } from '../interfaces/sms-receipt.interface.js';
import { ReceiptDelivery } from '../receipts/receipt-delivery.js';
import { PopRpcClient } from '../rpc/pop-rpc.client.js';
import { mapQuerySendDetailsResponse } from '../sms/send-details.mapper.js';
import { normalizePhoneNumber } from '../sms/phone-number.js';
import { formatBeijingDay } from '../utils/beijing-time.js';
import { RECEIPT_STORE } from './receipt-store.provider.js';
import type { PendingReceipt, ReceiptStore } from './receipt-store.interface.js';
import { noFinalStatusReport, reportFromQuery } from './synthesized-reports.js';

/** Name of the sweep job in `SchedulerRegistry` (interval). @publicApi */
export const COMPENSATION_SWEEP_JOB = 'alicom-sms:compensation-sweep';

const MAX_RECHECK_MS = 6 * 60 * 60_000;
const QUERYABLE_DAYS_MS = 30 * 24 * 60 * 60_000 - 60 * 60_000;
// A sweeper that dies mid-check leaves entries leased this long before another may take them.
const CHECK_LEASE_MS = 5 * 60_000;

/**
 * The compensation sweep: every `sweepIntervalMs`, pending sends older than `queryAfterMs` are
 * checked with QuerySendDetails (rate-limited); a final status becomes an `SmsReport` with
 * `source: 'query'` through the same door as queue receipts (handlers, Observables, waiters,
 * de-duplication); 'waiting' is checked again later; past `giveUpAfterMs` the send ends with an
 * `ALICOM_SMS_NO_FINAL_STATUS` report. Registered as an interval in `SchedulerRegistry`.
 */
@Injectable()
export class CompensationSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AlicomSms');
  private readonly settings: ResolvedCompensationOptions | false;
  private registry?: SchedulerRegistry;
  private running?: Promise<void>;
  private stopped = false;
  private nextQueryAt = 0;

  constructor(
    @Inject(ALICOM_SMS_RESOLVED_OPTIONS) private readonly options: ResolvedAlicomSmsOptions,
    @Inject(RECEIPT_STORE) private readonly store: ReceiptStore,
    private readonly rpc: PopRpcClient,
    private readonly delivery: ReceiptDelivery,
    private readonly ownRegistry: SchedulerRegistry,
    private readonly discovery: DiscoveryService,
  ) {
    this.settings = options.compensation;
  }

  onApplicationBootstrap(): void {
    if (!this.settings) return;
    this.stopped = false;
    this.registry = this.appRegistry();
    const timer = setInterval(() => void this.sweep(), this.settings.sweepIntervalMs);
    timer.unref();
    if (this.registry.doesExist('interval', COMPENSATION_SWEEP_JOB)) this.registry.deleteInterval(COMPENSATION_SWEEP_JOB);
    this.registry.addInterval(COMPENSATION_SWEEP_JOB, timer);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.registry?.doesExist('interval', COMPENSATION_SWEEP_JOB)) this.registry.deleteInterval(COMPENSATION_SWEEP_JOB);
    await this.running;
  }

  /**
   * Runs one sweep now (the job calls this; tests and apps may too). Overlapping calls share the
   * sweep in progress.
   */
  sweep(): Promise<void> {
    if (!this.settings || this.stopped) return Promise.resolve();
    this.running ??= this.sweepOnce(this.settings)
      .catch((error) => this.logger.error(`Compensation sweep failed: ${(error as Error)?.message}`, (error as Error)?.stack))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private async sweepOnce(settings: ResolvedCompensationOptions): Promise<void> {
    const limit = Math.max(1, Math.ceil((settings.queryRatePerSecond * settings.sweepIntervalMs) / 1000));
    const due = await this.store.claimDue(Date.now(), limit, CHECK_LEASE_MS);
    for (const [index, entry] of due.entries()) {
      if (this.stopped) {
        await this.releaseAll(due.slice(index));
        return;
      }
      try {
        await this.check(entry, settings);
      } catch (error) {
        if (error instanceof AlicomSmsError && error.retryable) {
          // Throttled or Alibaba unavailable: leave the rest for the next sweep.
          this.logger.warn(`Compensation paused until the next sweep: ${error.message}`);
          await this.releaseAll(due.slice(index));
          return;
        }
        this.logger.error(`Compensation check of ${entry.bizId} failed: ${(error as Error)?.message}`);
        await this.store.reschedule(entry.bizId, entry.phoneNumber, Date.now() + this.recheckDelay(entry, settings));
      }
    }
  }

  private async check(entry: PendingReceipt, settings: ResolvedCompensationOptions): Promise<void> {
    if (Date.now() - entry.sentAt >= QUERYABLE_DAYS_MS) {
      // QuerySendDetails only reaches 30 days back: nothing more can be learned.
      await this.end(entry, noFinalStatusReport(entry, 'No final delivery status within the 30 days QuerySendDetails covers'), settings);
      return;
    }
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
    const detail =
      details.find((d) => {
        const normalized = normalizePhoneNumber(d.phoneNumber);
        return (normalized.ok ? normalized.number : d.phoneNumber) === entry.phoneNumber;
      }) ?? (details.length === 1 ? details[0] : undefined);

    let report: SmsReport | undefined;
    if (detail && detail.status !== 'waiting') {
      report = reportFromQuery(entry, detail);
    } else if (Date.now() - entry.sentAt >= settings.giveUpAfterMs) {
      const hours = Math.round(settings.giveUpAfterMs / 3_600_000);
      report = noFinalStatusReport(entry, `No final delivery status within ${hours} h (last known: ${detail ? 'waiting' : 'no record'})`, detail);
    }
    if (!report) {
      await this.store.reschedule(entry.bizId, entry.phoneNumber, Date.now() + this.recheckDelay(entry, settings));
      return;
    }
    await this.end(entry, report, settings);
  }

  /** Delivers the final report of `entry`; a failed handler or a busy claim means another try later. */
  private async end(entry: PendingReceipt, report: SmsReport, settings: ResolvedCompensationOptions): Promise<void> {
    try {
      const outcome = await this.delivery.deliver(report);
      if (outcome === 'busy') {
        await this.store.reschedule(entry.bizId, entry.phoneNumber, Date.now() + settings.sweepIntervalMs);
      }
    } catch {
      // A handler failed (already logged): try this send again on a later sweep.
      await this.store.reschedule(entry.bizId, entry.phoneNumber, Date.now() + this.recheckDelay(entry, settings));
    }
  }

  private recheckDelay(entry: PendingReceipt, settings: ResolvedCompensationOptions): number {
    return Math.min(MAX_RECHECK_MS, settings.recheckIntervalMs * 2 ** Math.min(entry.checks, 20));
  }

  private async releaseAll(entries: PendingReceipt[]): Promise<void> {
    for (const entry of entries) await this.store.reschedule(entry.bizId, entry.phoneNumber, entry.nextCheckAt);
  }

  private async rateLimit(perSecond: number): Promise<void> {
    const now = Date.now();
    const wait = this.nextQueryAt - now;
    this.nextQueryAt = Math.max(now, this.nextQueryAt) + 1000 / perSecond;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  /**
   * The app's own `SchedulerRegistry` when it imports `ScheduleModule.forRoot()` (so the job shows
   * up where the app looks), else the one this module brings.
   */
  private appRegistry(): SchedulerRegistry {
    const registries = new Set<SchedulerRegistry>();
    for (const wrapper of this.discovery.getProviders()) {
      if (wrapper.instance instanceof SchedulerRegistry) registries.add(wrapper.instance);
    }
    registries.delete(this.ownRegistry);
    return registries.values().next().value ?? this.ownRegistry;
  }
}
