import { Injectable, Logger } from '@nestjs/common';
import { storeFailureMessages } from '../../alicom-sms.messages.js';
import { AlicomSmsClock } from '../../clock/alicom-sms.clock.js';
import type { ReceiptStoreHealthSnapshot } from '../../interfaces/receipt-events.interface.js';
import { FailureStreakLog } from '../../utils/failure-streak-log.js';
import { InspectsAs } from '../../utils/inspects-as.js';

/**
 * Whether the receipt store answers: every part of the receipt path reports its store calls'
 * outcomes here, so the log says once that the store is failing (and once that it recovered),
 * polling backs off while it fails, and `health()` says why.
 */
@Injectable()
@InspectsAs()
export class ReceiptStoreHealth {
  private readonly log: FailureStreakLog;
  private failingSince?: number;
  private failures = 0;
  private lastError?: string;
  private recoveredAt = -Infinity;
  /** Sends waiting to be tracked (kept by the SendTracker). */
  trackingBacklog = 0;

  constructor(private readonly clock: AlicomSmsClock) {
    this.log = new FailureStreakLog(storeFailureMessages, new Logger('AlicomSms'), () => clock.now());
  }

  /** Whether the last store call failed. */
  get failing(): boolean {
    return this.failingSince !== undefined;
  }

  /** Store calls failed in a row (0 when the last one answered). */
  get consecutiveFailures(): number {
    return this.failures;
  }

  failed(error: unknown): void {
    const text = (error as Error)?.message ?? String(error);
    this.failingSince ??= this.clock.now();
    this.failures++;
    this.lastError = text;
    this.log.failed(text);
  }

  succeeded(): void {
    if (this.failingSince === undefined) return;
    this.failingSince = undefined;
    this.recoveredAt = this.clock.now();
    this.failures = 0;
    this.lastError = undefined;
    this.log.succeeded();
  }

  /** Whether the store recovered from a failure less than `ms` ago. */
  recoveredWithin(ms: number): boolean {
    return this.clock.now() - this.recoveredAt < ms;
  }

  snapshot(): ReceiptStoreHealthSnapshot {
    return {
      failing: this.failing,
      failingSince: this.failingSince === undefined ? undefined : new Date(this.failingSince),
      consecutiveFailures: this.failures,
      lastError: this.lastError,
      trackingBacklog: this.trackingBacklog,
    };
  }
}
