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
  /** QuerySendDetails checks made so far. */
  checks: number;
}

/** Result of {@link ReceiptStore.claim}. @publicApi */
export type ReceiptClaim = 'claimed' | 'settled' | 'busy';

/**
 * Where the receipt pipeline keeps pending sends and the receipts already dispatched.
 *
 * The contract is written so that one shared store (e.g. Redis) can serve several app instances
 * consuming the same queues: every method is a single atomic step keyed by strings, and nothing
 * relies on process memory. `claim` / `settle` / `release` give exactly-once dispatch across
 * consumers; `claimDue` leases pending entries so two sweepers never query the same send at once.
 *
 * @publicApi
 */
export interface ReceiptStore {
  /**
   * Registers sends awaiting their final report. Returns entries evicted to stay within the
   * store's bound (the caller ends them with a final "no status" report), or none.
   */
  addPending(entries: readonly PendingReceipt[]): Promise<PendingReceipt[]>;
  /** The pending entry of (bizId, phoneNumber), if tracked. */
  getPending(bizId: string, phoneNumber: string): Promise<PendingReceipt | undefined>;
  /**
   * Atomically claims the right to dispatch the final receipt `key`: `'settled'` when it was
   * dispatched already (a duplicate), `'busy'` while another consumer holds an unexpired claim,
   * else `'claimed'` — the caller then calls `settle` (handlers succeeded) or `release` (failed).
   */
  claim(key: string, leaseMs: number): Promise<ReceiptClaim>;
  /** Marks `key` as dispatched (remembered for the de-duplication window) and drops the pending entry, if given. */
  settle(key: string, pending?: { bizId: string; phoneNumber: string }): Promise<void>;
  /** Drops a claim without settling it (handlers failed; the receipt will come again). */
  release(key: string): Promise<void>;
  /**
   * Leases up to `limit` pending entries whose `nextCheckAt <= now`, hiding them from other
   * callers for `leaseMs` (until `reschedule`d or settled).
   */
  claimDue(now: number, limit: number, leaseMs: number): Promise<PendingReceipt[]>;
  /** Sets an entry's next check time and counts the check. */
  reschedule(bizId: string, phoneNumber: string, nextCheckAt: number): Promise<void>;
  /** Number of pending entries. */
  pendingCount(): Promise<number>;
}
