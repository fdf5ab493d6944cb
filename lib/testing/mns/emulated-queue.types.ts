// Public shapes describing an emulated queue's content, for tests that must prove no receipt
// was lost or processed twice.

/**
 * Lifecycle state of an emulated message:
 * `delayed` (enqueued with a delay, not yet receivable), `visible` (receivable),
 * `inflight` (received, not deleted, not yet visible again), `deleted`.
 */
export type EmulatedMessageState = 'delayed' | 'visible' | 'inflight' | 'deleted';

/** Point-in-time view of one message. */
export interface EmulatedMessageSnapshot {
  /** MNS MessageId. */
  readonly messageId: string;
  readonly state: EmulatedMessageState;
  /** How many times the message was delivered. */
  readonly dequeueCount: number;
  /** MessageBody text exactly as served (normally Base64 of UTF-8 JSON). */
  readonly messageBody: string;
  /** Epoch ms the message was enqueued. */
  readonly enqueueTime: number;
  /** Epoch ms a delayed or in-flight message becomes visible; `undefined` otherwise. */
  readonly nextVisibleTime?: number;
  /** The receipt handle currently valid for the message (in-flight only). */
  readonly receiptHandle?: string;
  /** True for copies injected by the `duplicateRate` fault. */
  readonly isInjectedDuplicate: boolean;
}

/** Counters of one queue (or, from `EmulatedMns.stats()`, summed over all queues). */
export interface EmulatedQueueStats {
  /** Messages ever enqueued, injected duplicates included. */
  readonly enqueued: number;
  /** Messages deleted with a valid receipt handle. */
  readonly deleted: number;
  /** Deliveries: every message handed out by a receive (redeliveries count again). */
  readonly received: number;
  /** Copies enqueued by the `duplicateRate` fault (already part of `enqueued`). */
  readonly duplicated: number;
  /** Messages receivable right now. */
  readonly visible: number;
  /** Received, not deleted, not yet visible again. */
  readonly inFlight: number;
  /** Enqueued with a delay that has not elapsed. */
  readonly delayed: number;
  /** Long-poll requests currently held open. */
  readonly waitingReceives: number;
}

/** Runtime-adjustable attributes of an emulated queue. */
export interface EmulatedQueueAttributes {
  /** Seconds a received message stays invisible (1–43200). @default 30 (or the emulator option) */
  visibilityTimeoutSeconds?: number;
  /** Long-poll wait applied when a receive has no `waitseconds` (0–30). @default 0 */
  pollingWaitSeconds?: number;
}
