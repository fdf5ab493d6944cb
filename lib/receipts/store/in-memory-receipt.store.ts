import { checkInMemoryStoreLimits } from '../../options/in-memory-store-limits.js';
import { InsertionOrderedWindow } from './insertion-ordered-window.js';
import type { PendingReceipt, ReceiptClaim, ReceiptStore } from './receipt-store.interface.js';
import { InspectsAs } from '../../utils/inspects-as.js';

/** Bounds of the {@link InMemoryReceiptStore}. */
export interface InMemoryReceiptStoreLimits {
  /** Pending sends kept at most; past it the oldest is evicted (and reported by the caller). */
  maxPending: number;
  /** Settled receipt keys remembered at most. */
  dedupeWindowSize: number;
  /** ... and for at most this long (ms). */
  dedupeWindowMs: number;
}

const pendingKey = (bizId: string, phoneNumber: string) => `${bizId}\u0000${phoneNumber}`;

/**
 * The default {@link ReceiptStore}: process memory, bounded in size and age, answering every call
 * at once (no promises). It serves one process: with several app instances on the same queues,
 * or to survive restarts, use a shared store such as `RedisReceiptStore`.
 *
 * @publicApi
 */
@InspectsAs((store: InMemoryReceiptStore) => ({ pending: store.pendingCount() }))
export class InMemoryReceiptStore implements ReceiptStore {
  private readonly pending = new InsertionOrderedWindow<PendingReceipt>();
  private readonly leasedUntil = new Map<string, number>();
  /** key → settledAt (epoch ms), oldest first. */
  private readonly settled = new InsertionOrderedWindow<number>();
  /** key → claim expiry (epoch ms). */
  private readonly claims = new Map<string, number>();

  /**
   * @param limits the store's bounds (checked: an unknown, missing or out-of-range one throws AlicomSmsConfigError)
   * @param now the time source of leases and the de-duplication window (the module passes its
   *   {@link AlicomSmsClock})
   */
  private readonly limits: InMemoryReceiptStoreLimits;

  constructor(
    limits: InMemoryReceiptStoreLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.limits = checkInMemoryStoreLimits(limits);
  }

  addPending(entries: readonly PendingReceipt[]): PendingReceipt[] {
    const evicted: PendingReceipt[] = [];
    for (const entry of entries) {
      const key = pendingKey(entry.bizId, entry.phoneNumber);
      this.pending.set(key, { ...entry });
      while (this.pending.size > this.limits.maxPending) {
        const oldest = this.pending.shift() as { key: string; value: PendingReceipt };
        this.leasedUntil.delete(oldest.key);
        evicted.push(oldest.value);
      }
    }
    return evicted;
  }

  getPending(bizId: string, phoneNumber: string): PendingReceipt | undefined {
    // Receipts of sends this process does not track are common (other senders, restarts).
    if (this.pending.size === 0) return undefined;
    const entry = this.pending.get(pendingKey(bizId, phoneNumber));
    return entry && { ...entry };
  }

  claim(key: string, leaseMs: number): ReceiptClaim {
    const now = this.now();
    this.expireSettled(now);
    if (this.settled.has(key)) return 'settled';
    const heldUntil = this.claims.get(key);
    if (heldUntil !== undefined && heldUntil > now) return 'busy';
    this.claims.set(key, now + leaseMs);
    return 'claimed';
  }

  settle(key: string, pending?: { bizId: string; phoneNumber: string }): void {
    this.claims.delete(key);
    this.settled.set(key, this.now());
    while (this.settled.size > this.limits.dedupeWindowSize) this.settled.shift();
    if (pending && this.pending.size > 0) {
      const k = pendingKey(pending.bizId, pending.phoneNumber);
      this.pending.delete(k);
      this.leasedUntil.delete(k);
    }
  }

  release(key: string): void {
    this.claims.delete(key);
  }

  claimDue(now: number, limit: number, leaseMs: number): PendingReceipt[] {
    const due: PendingReceipt[] = [];
    for (const [key, entry] of this.pending.entries()) {
      if (due.length >= limit) break;
      if (entry.nextCheckAt > now) continue;
      const lease = this.leasedUntil.get(key);
      if (lease !== undefined && lease > now) continue;
      this.leasedUntil.set(key, now + leaseMs);
      due.push({ ...entry });
    }
    return due;
  }

  reschedule(bizId: string, phoneNumber: string, nextCheckAt: number, checked: boolean): void {
    const key = pendingKey(bizId, phoneNumber);
    const entry = this.pending.get(key);
    if (!entry) return;
    entry.nextCheckAt = nextCheckAt;
    if (checked) entry.checks++;
    this.leasedUntil.delete(key);
  }

  pendingCount(): number {
    return this.pending.size;
  }

  private expireSettled(now: number): void {
    const oldestAllowed = now - this.limits.dedupeWindowMs;
    while ((this.settled.oldestValue() ?? oldestAllowed) < oldestAllowed) this.settled.shift();
    // Claims of crashed or abandoned dispatches expire by time; drop them lazily to stay bounded.
    if (this.claims.size > 10_000) {
      for (const [key, until] of this.claims) if (until <= now) this.claims.delete(key);
    }
  }
}
