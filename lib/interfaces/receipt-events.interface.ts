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
 * Something went wrong with one receipt; published on `SmsReceiptListener.errors$`.
 *
 * From the queue (`source: 'mns'`, with `queue`, `messageId`, `dequeueCount`): `decode`, the body
 * is not a valid receipt; `handler`, a handler failed (the message will be redelivered); `poison`,
 * the message went to the poison policy; `ack`, deleting it failed (it will be redelivered).
 *
 * By HTTP push (`source: 'push'`, with `path`): `decode`, the request body (no `itemIndex`) or one
 * of its items (`itemIndex`) is not a valid receipt, and retrying would not help (a bad item is
 * acknowledged with the good ones; a bad body is refused); `handler`, a handler failed (the
 * answer asks Alibaba to push the request again).
 *
 * About sends (`source: 'send'`, with `sends`): `tracking`, the receipt store stayed unreachable so
 * long that sends waiting to be tracked overflowed the buffer (or the app shut down first); their
 * reports arrive uncorrelated (without `sent`) and are not back-filled.
 *
 * @publicApi
 */
export interface ReceiptFailure {
  /** How the receipt came: from the MNS queue or by HTTP push; `send` for the tracking of sends. */
  source: 'mns' | 'push' | 'send';
  kind: 'decode' | 'handler' | 'poison' | 'ack' | 'tracking';
  /** The message type; absent for a pushed body or item whose type could not be told. */
  type?: AlicomMessageType;
  /** MNS: the queue. */
  queue?: string;
  /** MNS: the message's `MessageId`. */
  messageId?: string;
  /** MNS: times the message has been delivered, this delivery included. */
  dequeueCount?: number;
  /** Push: the path the request came to (never with the secret). */
  path?: string;
  /** Push: position of the item in the request's array; absent when the whole body was refused. */
  itemIndex?: number;
  error: unknown;
  /** `tracking` only: the sends no longer tracked. */
  sends?: ReadonlyArray<{ bizId: string; phoneNumber: string }>;
}

/** Whether the receipt store answers (e.g. Redis reachable). @publicApi */
export interface ReceiptStoreHealthSnapshot {
  /** The last store call failed: receipts stay on their queues, polling slows down. */
  failing: boolean;
  /** Since when, while failing. */
  failingSince?: Date;
  /** Store calls failed in a row. */
  consecutiveFailures: number;
  /** Message of the last failure, while failing. */
  lastError?: string;
  /** Accepted sends waiting for the store to be tracked (bounded; overflow goes to `errors$`). */
  trackingBacklog: number;
}

/**
 * Counters and state of the HTTP push receiver (`push` options).
 *
 * @publicApi
 */
export interface SmsPushReceiverHealth {
  /** The types received by push. */
  types: AlicomMessageType[];
  /** Whether requests are taken (false once the app shuts down). */
  accepting: boolean;
  /** Whether the receiving routes are registered on the HTTP platform (`push.registerRoutes`). */
  routesRegistered: boolean;
  /** Requests being read or handled now (bounded by `maxConcurrentRequests`). */
  activeRequests: number;
  maxConcurrentRequests: number;
  /** Requests answered `{"code":0}`. */
  acknowledged: number;
  /** Requests with the secret answered with a retry request: a handler failed, the deadline passed, the receiver was busy. */
  retryRequested: number;
  /** Requests with the secret whose body was refused (too large, not JSON, not an array, incomplete). */
  invalidBodies: number;
  /** Requests refused for a missing or wrong secret, or a source address not allowed. */
  forbidden: number;
  /** Receipts whose handlers all succeeded. */
  handled: number;
  /** Receipts recognised as already handled. */
  duplicates: number;
  /** Items that were not valid receipts (acknowledged and reported on `errors$`). */
  invalidItems: number;
  /** Handler runs that failed. */
  handlerFailures: number;
  /** When the last request with the secret arrived. */
  lastRequestAt?: Date;
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
  /** `receipts` (the MNS queues) is configured (otherwise the listener never polls). */
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
  /** Receipts left on their queue because the receipt store could not be asked (they come back). */
  storeFailures?: number;
  queues: QueueHealth[];
  /** The receipt store: whether it answers, and why not. */
  store?: ReceiptStoreHealthSnapshot;
  /** The HTTP push receiver, when `push` is configured. */
  push?: SmsPushReceiverHealth;
}
