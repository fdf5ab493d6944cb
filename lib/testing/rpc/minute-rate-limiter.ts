import { businessErrors } from './rpc-error-catalog.js';

const MINUTE_MS = 60 * 1000;

/** Per-number frequency control over a sliding minute (`isv.BUSINESS_LIMIT_CONTROL`). */
export class MinuteRateLimiter {
  private readonly sentAt = new Map<string, number[]>();

  constructor(private readonly perMinute: number) {}

  /**
   * Admits one message per listed number (a number may repeat) or throws without admitting any,
   * as Alibaba refuses the whole call.
   */
  admit(normalizedNumbers: readonly string[], nowMs: number): void {
    const wanted = new Map<string, number>();
    for (const number of normalizedNumbers) wanted.set(number, (wanted.get(number) ?? 0) + 1);
    for (const [number, count] of wanted) {
      if (this.recent(number, nowMs).length + count > this.perMinute) {
        throw businessErrors.businessLimitControl(this.perMinute);
      }
    }
    for (const [number, count] of wanted) {
      const times = this.recent(number, nowMs);
      for (let i = 0; i < count; i++) times.push(nowMs);
      this.sentAt.set(number, times);
    }
  }

  /** Forgets every number's history. */
  clear(): void {
    this.sentAt.clear();
  }

  private recent(number: string, nowMs: number): number[] {
    return (this.sentAt.get(number) ?? []).filter((at) => nowMs - at < MINUTE_MS);
  }
}
