import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { AlicomSmsClock } from '../../clock/alicom-sms.clock.js';
import { ReportTimeoutError } from '../../errors/report-timeout.error.js';
import type { SmsReport } from '../../interfaces/sms-receipt.interface.js';
import { InsertionOrderedWindow } from '../store/insertion-ordered-window.js';
import { reportKey } from '../store/receipt-keys.js';
import { RECEIPT_STORE } from '../store/receipt-store.provider.js';
import type { ReceiptStore } from '../store/receipt-store.interface.js';
import { InspectsAs } from '../../utils/inspects-as.js';

/** Final reports remembered so that a wait starting after its report arrived still resolves. */
const RECENT_REPORTS = 10_000;

type Resolve = (report: SmsReport) => void;

/** The callers waiting for one report. */
interface Waiting {
  bizId: string;
  phoneNumber: string;
  /** Latest deadline among them (module clock), for re-checks after a gap in the subscription. */
  until: number;
  resolvers: Set<Resolve>;
}

/**
 * `waitForReport()` support: callers waiting for the final report of a (bizId, phone), and the
 * most recent final reports (bounded).
 *
 * With a store shared by several instances (one with `watchReports` and `findReport`), a wait also
 * ends when another instance settles the report: the wait subscribes first, then looks the report
 * up in the store (marking it awaited there), so a settlement in between is never missed.
 */
@Injectable()
@InspectsAs()
export class ReportWaiters implements OnApplicationShutdown {
  private readonly logger = new Logger('AlicomSms');
  private readonly waiting = new Map<string, Waiting>();
  private readonly recent = new InsertionOrderedWindow<SmsReport>();
  private watching?: Promise<(() => unknown) | undefined>;

  constructor(
    private readonly clock: AlicomSmsClock,
    @Inject(RECEIPT_STORE) private readonly store: ReceiptStore,
  ) {}

  /** Hands a dispatched final report to its waiters and remembers it. */
  resolve(report: SmsReport): void {
    const key = reportKey(report.bizId, report.phoneNumber);
    this.recent.set(key, report);
    if (this.recent.size > RECENT_REPORTS) this.recent.shift();
    const waiting = this.waiting.get(key);
    if (!waiting) return;
    this.waiting.delete(key);
    for (const resolve of waiting.resolvers) resolve(report);
  }

  /** The final report of (bizId, phoneNumber), from memory or when it arrives. */
  wait(bizId: string, phoneNumber: string, timeoutMs: number, signal?: AbortSignal): Promise<SmsReport> {
    const key = reportKey(bizId, phoneNumber);
    const known = this.recent.get(key);
    if (known) return Promise.resolve(known);
    const waited = new Promise<SmsReport>((resolve, reject) => {
      let waiting = this.waiting.get(key);
      if (!waiting) this.waiting.set(key, (waiting = { bizId, phoneNumber, until: 0, resolvers: new Set() }));
      waiting.until = Math.max(waiting.until, this.clock.now() + timeoutMs);
      const entry = waiting;
      const finish = () => {
        cancelTimer();
        signal?.removeEventListener('abort', onAbort);
        entry.resolvers.delete(onReport);
        if (entry.resolvers.size === 0 && this.waiting.get(key) === entry) this.waiting.delete(key);
      };
      const onReport: Resolve = (report) => {
        finish();
        resolve(report);
      };
      const onAbort = () => {
        finish();
        reject(signal?.reason ?? new Error('waitForReport aborted'));
      };
      const cancelTimer = this.clock.schedule(() => {
        finish();
        reject(new ReportTimeoutError(bizId, phoneNumber, timeoutMs));
      }, timeoutMs);
      entry.resolvers.add(onReport);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    if (this.store.watchReports && this.store.findReport) void this.lookUpShared(bizId, phoneNumber, timeoutMs);
    return waited;
  }

  async onApplicationShutdown(): Promise<void> {
    const watching = this.watching;
    this.watching = undefined;
    const unsubscribe = await watching?.catch(() => undefined);
    await unsubscribe?.();
  }

  /** Subscribed first, then looked up: a report settled elsewhere before or after is found either way. */
  private async lookUpShared(bizId: string, phoneNumber: string, watchForMs: number): Promise<void> {
    try {
      await this.watch();
      const report = await this.store.findReport?.(bizId, phoneNumber, watchForMs);
      if (report) this.resolve(report);
    } catch (error) {
      // The wait still ends by its timeout (or when this instance settles the report).
      this.logger.warn(`waitForReport(${bizId}, ${phoneNumber}) cannot ask the receipt store: ${(error as Error)?.message ?? String(error)}`);
    }
  }

  private watch(): Promise<unknown> {
    if (!this.watching) {
      const subscribing = Promise.resolve(
        this.store.watchReports?.({
          report: (report) => this.resolve(report),
          resync: () => this.resync(),
        }),
      );
      // A failed subscription is tried again by the next wait.
      subscribing.catch(() => {
        if (this.watching === subscribing) this.watching = undefined;
      });
      this.watching = subscribing;
    }
    return this.watching;
  }

  /** The subscription was interrupted: look up every report still awaited. */
  private resync(): void {
    const now = this.clock.now();
    for (const waiting of this.waiting.values()) {
      void Promise.resolve(this.store.findReport?.(waiting.bizId, waiting.phoneNumber, Math.max(1, waiting.until - now)))
        .then((report) => report && this.resolve(report))
        .catch(() => {});
    }
  }
}
