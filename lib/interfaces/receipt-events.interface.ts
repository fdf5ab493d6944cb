import type { AlicomMessageType } from '../options/alicom-sms-module-options.interface.js';

/**
 * A receipt message that cannot be handled: its body does not decode (`undecodable`), or its
 * handlers failed on the last allowed delivery (`handler-failed`, see `receipts.maxDeliveries`).
 * Passed to `receipts.onPoisonMessage` before the poison policy applies.
 *
 * @publicApi
 */
export interface PoisonMessage {
  reason: 'undecodable' | 'handler-failed';
  type: AlicomMessageType;
  queue: string;
  messageId: string;
  /** Times MNS has delivered the message, this delivery included. */
  dequeueCount: number;
  /** The message body exactly as MNS sent it (Base64), for a dead-letter store. */
  body: string;
  /** Why: the decode error or the handler error. */
  error: unknown;
}

/**
 * Something went wrong with one receipt message; published on `SmsReceiptListener.errors$`.
 * `decode`: the body is not a valid receipt; `handler`: a handler failed (the message will be
 * redelivered); `poison`: the message went to the poison policy; `ack`: deleting it failed (it will
 * be redelivered).
 *
 * @publicApi
 */
export interface ReceiptFailure {
  kind: 'decode' | 'handler' | 'poison' | 'ack';
  type: AlicomMessageType;
  queue: string;
  messageId: string;
  dequeueCount: number;
  error: unknown;
}

/** Health of one queue's consumption. @publicApi */
export interface QueueHealth {
  type: AlicomMessageType;
  queue: string;
  /** Last receive that MNS answered (with messages or "empty"). */
  lastSuccessfulPollAt?: Date;
  /** Receives that failed in a row (0 when the last one worked). */
  consecutiveErrors: number;
  /** Message of the most recent receive error. */
  lastError?: string;
  /** Receives waiting for MNS right now (at most one per poll loop; 0 while the loops pause). */
  receivesInProgress: number;
  /**
   * Start of the oldest receive in progress. A healthy receive ends within `waitSeconds` plus the
   * network deadline; one much older means a hung poll loop.
   */
  receivingSince?: Date;
}

/** Snapshot of the receipt listener. @publicApi */
export interface SmsReceiptListenerHealth {
  /** `receipts` is configured (otherwise the listener never runs). */
  configured: boolean;
  /** Polling is running (started and not stopped). */
  running: boolean;
  /** When polling last started. */
  startedAt?: Date;
  /** Long-poll wait of each receive (`receipts.waitSeconds`); a healthy poll answers within it. */
  waitSeconds?: number;
  /** The in-flight bound (`receipts.maxInFlight`); polling pauses while `inFlight` is at it. */
  maxInFlight?: number;
  /** Receipts being handled now. */
  inFlight: number;
  /** Receipts from the queue whose handlers all succeeded. */
  handled: number;
  /** Receipts from the queue dropped as duplicates of one already handled (and deleted). */
  duplicates: number;
  /** Handler runs that failed (each leads to a redelivery or the poison policy). */
  handlerFailures: number;
  /** Messages deleted from MNS. */
  deleted: number;
  /** Messages given to the poison policy. */
  poisoned: number;
  queues: QueueHealth[];
}
