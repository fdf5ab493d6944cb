import type { Logger } from '@nestjs/common';

/** The lines of a {@link FailureStreakLog}. */
export interface FailureStreakMessages {
  started(error: string): string;
  ongoing(failures: number, seconds: number, error: string): string;
  recovered(failures: number, seconds: number): string;
}

const SUMMARY_EVERY_MS = 60_000;

/**
 * Logs a repeating failure the way an operator wants to read it, however many loops hit it: one
 * line when it starts, a summary a minute while it lasts, one line when it recovers.
 */
export class FailureStreakLog {
  private failingSince?: number;
  private failures = 0;
  private failuresSinceSummary = 0;
  private lastSummaryAt = 0;

  /** @param level the level of the start and summary lines (the recovery line is `log`) */
  constructor(
    private readonly messages: FailureStreakMessages,
    private readonly logger: Logger,
    private readonly now: () => number,
    private readonly level: 'error' | 'warn' = 'error',
  ) {}

  /** Whether the last outcome was a failure. */
  get failing(): boolean {
    return this.failingSince !== undefined;
  }

  failed(error: string): void {
    const now = this.now();
    this.failures++;
    if (this.failingSince === undefined) {
      this.failingSince = now;
      this.lastSummaryAt = now;
      this.failuresSinceSummary = 0;
      this.logger[this.level](this.messages.started(error));
      return;
    }
    this.failuresSinceSummary++;
    if (now - this.lastSummaryAt >= SUMMARY_EVERY_MS) {
      this.logger[this.level](this.messages.ongoing(this.failuresSinceSummary, Math.round((now - this.lastSummaryAt) / 1000), error));
      this.lastSummaryAt = now;
      this.failuresSinceSummary = 0;
    }
  }

  succeeded(): void {
    if (this.failingSince === undefined) return;
    this.logger.log(this.messages.recovered(this.failures, Math.round((this.now() - this.failingSince) / 1000)));
    this.failingSince = undefined;
    this.failures = 0;
  }
}
