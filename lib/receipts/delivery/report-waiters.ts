import { Injectable } from '@nestjs/common';
import { AlicomSmsClock } from '../../clock/alicom-sms.clock.js';
import { ReportTimeoutError } from '../../errors/report-timeout.error.js';
import type { SmsReport } from '../../interfaces/sms-receipt.interface.js';
import { InsertionOrderedWindow } from '../store/insertion-ordered-window.js';
import { reportKey } from '../store/receipt-keys.js';

/** Final reports remembered so that a wait starting after its report arrived still resolves. */
const RECENT_REPORTS = 10_000;

type Resolve = (report: SmsReport) => void;

/**
 * `waitForReport()` support: callers waiting for the final report of a (bizId, phone), and the
 * most recent final reports (bounded).
 */
@Injectable()
export class ReportWaiters {
  private readonly waiting = new Map<string, Set<Resolve>>();
  private readonly recent = new InsertionOrderedWindow<SmsReport>();

  constructor(private readonly clock: AlicomSmsClock) {}

  /** Hands a dispatched final report to its waiters and remembers it. */
  resolve(report: SmsReport): void {
    const key = reportKey(report.bizId, report.phoneNumber);
    this.recent.set(key, report);
    if (this.recent.size > RECENT_REPORTS) this.recent.shift();
    const waiters = this.waiting.get(key);
    if (!waiters) return;
    this.waiting.delete(key);
    for (const resolve of waiters) resolve(report);
  }

  /** The final report of (bizId, phoneNumber), from memory or when it arrives. */
  wait(bizId: string, phoneNumber: string, timeoutMs: number, signal?: AbortSignal): Promise<SmsReport> {
    const key = reportKey(bizId, phoneNumber);
    const known = this.recent.get(key);
    if (known) return Promise.resolve(known);
    return new Promise<SmsReport>((resolve, reject) => {
      const waiters = this.waiting.get(key) ?? new Set<Resolve>();
      this.waiting.set(key, waiters);
      const finish = () => {
        cancelTimer();
        signal?.removeEventListener('abort', onAbort);
        waiters.delete(onReport);
        if (waiters.size === 0 && this.waiting.get(key) === waiters) this.waiting.delete(key);
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
      waiters.add(onReport);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
