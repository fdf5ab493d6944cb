/**
 * Thresholds of {@link AlicomSmsHealthIndicator.isHealthy}.
 *
 * @publicApi
 */
export interface AlicomSmsHealthOptions {
  /**
   * A queue whose receives failed this many times in a row makes the indicator `down`.
   * @default 3
   */
  maxConsecutiveErrors?: number;
  /**
   * A queue without a successful receive for longer than this (in ms), or with a receive that has
   * been in progress for longer (a hung poll loop), makes the indicator `down`. An open long-poll
   * legitimately lasts up to `receipts.waitSeconds`, so the default leaves room for two of them
   * plus a margin.
   * @default 2 × receipts.waitSeconds × 1000 + 30000
   */
  maxPollAgeMs?: number;
}
