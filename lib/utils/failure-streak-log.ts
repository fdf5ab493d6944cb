import type { Logger } from '@nestjs/common';

/** The lines of a {@link FailureStreakLog}. */
export interface FailureStreakMessages {
  /** `earlier`: failures since the last line that were not reported yet (brief ones while flapping). */
  started(error: string, earlier: number): string;
  ongoing(failures: number, seconds: number, error: string): string;
  recovered(failures: number, seconds: number): string;
}

const SUMMARY_EVERY_MS = 60_000;

/**
 * Logs a repeating failure the way an operator wants to read it, however many loops hit it: one
 * line when it starts, a summary a minute while it lasts, one line when it recovers.
 *
 * A failure that flaps (fails, recovers, fails again within the minute) stays at that pace too: a
 * new start is announced only a minute after the last line, counting the brief failures between.
 */
export class FailureStreakLog {
  /** Start of the current failing streak (undefined while things work). */
  private failingSince?: number;
  /** Start of the episode a start line announced (undefined when none is announced). */
  private announcedAt?: number;
  /** Failures since the last recovery line. */
  private failures = 0;
  /** Failures in no line yet. */
  private unreported = 0;
  private lastLineAt = -Infinity;

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
    this.failingSince ??= now;
    this.failures++;
    this.unreported++;
    const quiet = now - this.lastLineAt >= SUMMARY_EVERY_MS;
    if (this.announcedAt === undefined) {
      if (!quiet) return;
      this.logger[this.level](this.messages.started(error, this.unreported - 1));
      this.announcedAt = now;
    } else {
      if (!quiet) return;
      this.logger[this.level](this.messages.ongoing(this.unreported, Math.round((now - this.lastLineAt) / 1000), error));
    }
    this.lastLineAt = now;
    this.unreported = 0;
  }

  succeeded(): void {
    if (this.failingSince === undefined) return;
    this.failingSince = undefined;
    // A brief failure nobody was told about yet is reported with the next announced one.
    if (this.announcedAt === undefined) return;
    const now = this.now();
    this.logger.log(this.messages.recovered(this.failures, Math.round((now - this.announcedAt) / 1000)));
    this.announcedAt = undefined;
    this.lastLineAt = now;
    this.failures = 0;
    this.unreported = 0;
  }
}
