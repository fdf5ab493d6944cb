import type { MaybePromise } from '../../utils/maybe-promise.js';

/**
 * A send awaiting its final report: one per (bizId, phoneNumber).
 *
 * @publicApi
 */
export interface PendingReceipt {
  bizId: string;
  /** Normalized recipient (mainland numbers as 11 digits), as receipts report it. */
  phoneNumber: string;
  templateCode: string;
  signName: string;
  outId?: string;
  /** Epoch ms when the send was accepted. */
  sentAt: number;
  /** Epoch ms of the next QuerySendDetails check. */
  nextCheckAt: number;
  /** QuerySendDetails checks that answered so far (failed queries do not count). */
  checks: number;
}

/** Result of {@link ReceiptStore.claim}. @publicApi */
export type ReceiptClaim = 'claimed' | 'settled' | 'busy';

/**
 * Where the receipt pipeline keeps pending sends and the receipts already dispatched.
 *
 * Every method is one atomic step keyed by strings, so one shared store (e.g.
 * `RedisReceiptStore`) can serve several app instances consuming the same queues:
 * `claim` / `settle` / `release` give exactly-once dispatch across consumers, and `claimDue`
 * leases pending entries so two sweeps never query the same send at once.
 *
 * A method may answer with a plain value or a promise: the receipt path waits only for
 * promises, so a store that answers at once (the in-memory one) costs it no promise per step.
 *
 * @publicApi
 */
export interface ReceiptStore {
  /**
   * Registers sends awaiting their final report. Returns entries evicted to stay within the
   * store's bound (the caller ends them with a final "no status" report), or none.
   */
  addPending(entries: readonly PendingReceipt[]): MaybePromise<PendingReceipt[]>;
  /** The pending entry of (bizId, phoneNumber), if tracked. */
  getPending(bizId: string, phoneNumber: string): MaybePromise<PendingReceipt | undefined>;
  /**
   * Atomically claims the right to dispatch the final receipt `key`: `'settled'` when it was
   * dispatched already (a duplicate), `'busy'` while another consumer holds an unexpired claim,
   * else `'claimed'` — the caller then calls `settle` (handlers succeeded) or `release` (failed).
   */
  claim(key: string, leaseMs: number): MaybePromise<ReceiptClaim>;
  /** Marks `key` as dispatched (remembered for the de-duplication window) and drops the pending entry, if given. */
  settle(key: string, pending?: { bizId: string; phoneNumber: string }): MaybePromise<void>;
  /** Drops a claim without settling it (handlers failed; the receipt will come again). */
  release(key: string): MaybePromise<void>;
  /**
   * Leases up to `limit` pending entries whose `nextCheckAt <= now`, hiding them from other
   * callers for `leaseMs` (until `reschedule`d or settled).
   */
  claimDue(now: number, limit: number, leaseMs: number): MaybePromise<PendingReceipt[]>;
  /**
   * Ends the lease of an entry taken by `claimDue` and sets its next check time; `checked` counts
   * a check that answered (a failed query is not a check).
   */
  reschedule(bizId: string, phoneNumber: string, nextCheckAt: number, checked: boolean): MaybePromise<void>;
  /** Number of pending entries. */
  pendingCount(): MaybePromise<number>;
}
