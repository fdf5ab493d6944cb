import type { SmsReceiptListenerHealth } from '../interfaces/receipt-events.interface.js';

/** What the assessment needs to know besides the listener's snapshot. */
export interface ReceiptHealthContext {
  /** A queue whose receives failed this many times in a row is down. */
  maxConsecutiveErrors: number;
  /** A queue without a successful receive, or with a receive in progress, for longer than this is down. */
  maxPollAgeMs: number;
  /** The module clock's now. */
  now: Date;
}

/** The verdict: `reason` is set when the listener is not healthy. */
export interface ReceiptHealthAssessment {
  healthy: boolean;
  reason?: string;
}

/**
 * Decides whether receipt consumption works from a {@link SmsReceiptListenerHealth} snapshot:
 * running, every queue answered recently, no receive hanging and no queue failing in a row.
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
  if (health.store?.failing) {
    return {
      healthy: false,
      reason: `receipt store failing since ${health.store.failingSince?.toISOString() ?? 'now'} (${health.store.consecutiveFailures} failed calls): ${health.store.lastError ?? 'unknown error'}; receipts stay on their queues`,
    };
  }
  const now = context.now.getTime();
  for (const queue of health.queues) {
    if (queue.consecutiveErrors >= context.maxConsecutiveErrors) {
      return {
        healthy: false,
        reason: `${queue.queue}: ${queue.consecutiveErrors} consecutive receive errors, last: ${queue.lastError ?? 'unknown error'}`,
      };
    }
    // A receive ends within its long-poll wait plus the network deadline: one this old is hung,
    // even while the queue's other loops keep answering.
    const receivingMs = queue.receivingSince === undefined ? 0 : now - queue.receivingSince.getTime();
    if (receivingMs > context.maxPollAgeMs) {
      return {
        healthy: false,
        reason: `${queue.queue}: a receive has been in progress for ${Math.round(receivingMs / 1000)} s (${queue.receivesInProgress} in progress); the poll loop looks hung`,
      };
    }
    const since = queue.lastSuccessfulPollAt ?? health.startedAt ?? context.now;
    const ageMs = now - since.getTime();
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
