import type { Logger } from '@nestjs/common';
import { pushRefusedMessages } from '../../alicom-sms.messages.js';
import type { AlicomSmsClock } from '../../clock/alicom-sms.clock.js';

const SUMMARY_EVERY_MS = 60_000;

/**
 * Logs push requests refused before their body was read (wrong secret, address not allowed, too
 * many at once) without letting a flood of them flood the log: the first one gets a line, then the
 * refusals of each following minute are summed up in one, until a minute passes without any.
 */
export class PushRefusalLog {
  private readonly counts = new Map<string, number>();
  private cancelSummary?: () => void;

  constructor(
    private readonly logger: Logger,
    private readonly clock: AlicomSmsClock,
  ) {}

  refused(path: string, address: string | undefined, why: string): void {
    if (this.cancelSummary === undefined) {
      this.logger.warn(pushRefusedMessages.first(path, address, why));
      this.cancelSummary = this.clock.schedule(() => this.summarize(), SUMMARY_EVERY_MS);
      return;
    }
    this.counts.set(why, (this.counts.get(why) ?? 0) + 1);
  }

  /** Stops the summary timer (at shutdown). */
  close(): void {
    this.cancelSummary?.();
    this.cancelSummary = undefined;
  }

  private summarize(): void {
    this.cancelSummary = undefined;
    if (this.counts.size === 0) return;
    let total = 0;
    const reasons = [...this.counts].map(([why, count]) => {
      total += count;
      return `${count} × ${why}`;
    });
    this.counts.clear();
    this.logger.warn(pushRefusedMessages.summary(total, reasons.join(', ')));
    this.cancelSummary = this.clock.schedule(() => this.summarize(), SUMMARY_EVERY_MS);
  }
}
