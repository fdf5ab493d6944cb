import { Injectable } from '@nestjs/common';
import { AlicomSmsError } from '../errors/alicom-sms.error.js';
import type { SmsReport } from '../interfaces/sms-receipt.interface.js';
import { InsertionOrderedWindow } from './insertion-ordered-window.js';
import { reportKey } from './receipt-keys.js';

const RECENT_REPORTS = 10_000;

interface Waiter {
  resolve: (report: SmsReport) => void;
}

/**
 * `waitForReport()` support: callers waiting for the final report of a (bizId, phone), and the
 * most recent final reports (bounded) so a wait that starts after the report arrived still
 * resolves.
 */
@Injectable()
export class ReportWaiters {
  private readonly waiting = new Map<string, Set<Waiter>>();
  private readonly recent = new InsertionOrderedWindow<SmsReport>();

  /**
   * Hands a dispatched final report to its waiters and remembers it. `key` is its
   * {@link reportKey}, when the caller has it already (a key string hashed once serves every map).
   */
  resolve(report: SmsReport, key = reportKey(report.bizId, report.phoneNumber)): void {
    this.recent.set(key, report);
    if (this.recent.size > RECENT_REPORTS) this.recent.shift();
    const waiters = this.waiting.get(key);
    if (!waiters) return;
    this.waiting.delete(key);
    for (const waiter of waiters) waiter.resolve(report);
  }

  /** The final report of (bizId, phoneNumber), from memory or when it arrives. */
  wait(bizId: string, phoneNumber: string, timeoutMs: number, signal?: AbortSignal): Promise<SmsReport> {
    const key = reportKey(bizId, phoneNumber);
    const known = this.recent.get(key);
    if (known) return Promise.resolve(known);
    return new Promise<SmsReport>((resolve, reject) => {
      const waiters = this.waiting.get(key) ?? new Set<Waiter>();
      this.waiting.set(key, waiters);
      const finish = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        waiters.delete(waiter);
        if (waiters.size === 0 && this.waiting.get(key) === waiters) this.waiting.delete(key);
      };
      const waiter: Waiter = {
        resolve: (report) => {
          finish();
          resolve(report);
        },
      };
      const onAbort = () => {
        finish();
        reject(signal?.reason ?? new Error('waitForReport aborted'));
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new AlicomSmsError(
            `No final report for BizId ${bizId} to ${phoneNumber} within ${timeoutMs} ms. The SMS was accepted and may still be delivered: ` +
              'the report can arrive later (compensation back-fills it from QuerySendDetails); do not resend blindly.',
            { code: 'ReportTimeout', action: 'WaitForReport', resendSafe: false, retryable: true },
          ),
        );
      }, timeoutMs);
      waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
