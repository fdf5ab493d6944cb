import type { SmsReceiptListenerHealth } from '../interfaces/receipt-events.interface.js';

/** What the assessment needs to know besides the listener's snapshot. */
export interface ReceiptHealthContext {
  /** Whether the module has `receipts` configured at all. */
  maxConsecutiveErrors: number;
  maxPollAgeMs: number;
  /** Bound of receipts in flight, to hint at stuck handlers when polling paused on it. */
  now: Date;
  /** Since when each queue (by name) has been seen running without any successful poll. */
}

/** The verdict: `reason` is set when the listener is not healthy. */
export interface ReceiptHealthAssessment {
  healthy: boolean;
  reason?: string;
}

/**
 * Decides whether receipt consumption works from a {@link SmsReceiptListenerHealth} snapshot:
 * running, every queue answered recently and its receives are not failing in a row.
 */
export function assessReceiptHealth(health: SmsReceiptListenerHealth, context: ReceiptHealthContext): ReceiptHealthAssessment {
  if (!health.configured) {
    // Receipts by HTTP push only: nothing polls, so health is whether requests are taken.
    if (health.push) {
      return health.push.accepting ? { healthy: true } : { healthy: false, reason: 'the push receiver is not taking requests (the app is shutting down)' };
    }
    return { healthy: false, reason: 'receipts are not configured (set receipts.queuePrefix or push in AlicomSmsModule options)' };
  }
  if (!health.running) {
    return { healthy: false, reason: 'receipt listener is not running (stopped, or receipts.autoStart is false and start() was not called)' };
  }
  for (const queue of health.queues) {
    if (queue.consecutiveErrors >= context.maxConsecutiveErrors) {
      return {
        healthy: false,
        reason: `${queue.queue}: ${queue.consecutiveErrors} consecutive receive errors, last: ${queue.lastError ?? 'unknown error'}`,
      };
    }
    const since = queue.lastSuccessfulPollAt ?? health.startedAt ?? context.now;
    const ageMs = context.now.getTime() - since.getTime();
    if (ageMs > context.maxPollAgeMs) {
      // Polling pauses while maxInFlight receipts are being handled: say so, it points at slow handlers.
      const saturated = health.maxInFlight !== undefined && health.inFlight >= health.maxInFlight;
      return {
        healthy: false,
        reason:
          `${queue.queue}: no successful poll for ${Math.round(ageMs / 1000)} s` +
          (saturated ? ` (polling paused: ${health.inFlight} receipts in flight, handlers may be stuck)` : ''),
      };
    }
  }
  return { healthy: true };
}
