import { InsertionOrderedWindow } from './insertion-ordered-window.js';
import type { PendingReceipt, ReceiptClaim, ReceiptStore } from './receipt-store.interface.js';

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
 * The default {@link ReceiptStore}: process memory, bounded in size and age. Insertion-ordered
 * windows evict the oldest entries first in O(1). It serves one process: with several app
 * instances on the same queues, or across restarts, use a shared store.
 *
 * @publicApi
 */
export class InMemoryReceiptStore implements ReceiptStore {
  private readonly pending = new InsertionOrderedWindow<PendingReceipt>();
  private readonly leasedUntil = new Map<string, number>();
  /** key → settledAt (epoch ms), oldest first. */
  private readonly settled = new InsertionOrderedWindow<number>();
  /** key → claim expiry (epoch ms). */
  private readonly claims = new Map<string, number>();

  constructor(private readonly limits: InMemoryReceiptStoreLimits) {}

  async addPending(entries: readonly PendingReceipt[]): Promise<PendingReceipt[]> {
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

  async getPending(bizId: string, phoneNumber: string): Promise<PendingReceipt | undefined> {
    return this.getPendingNow(bizId, phoneNumber);
  }

  async claim(key: string, leaseMs: number): Promise<ReceiptClaim> {
    return this.claimNow(key, leaseMs);
  }

  async settle(key: string, pending?: { bizId: string; phoneNumber: string }): Promise<void> {
    this.settleNow(key, pending);
  }

  async release(key: string): Promise<void> {
    this.releaseNow(key);
  }

  // Synchronous forms of the per-receipt methods. The module's receipt pipeline calls them
  // directly when this store is in use, as it answers at once: awaiting each call cost every
  // receipt several promise round trips.

  /** {@link getPending}, answered at once. */
  getPendingNow(bizId: string, phoneNumber: string): PendingReceipt | undefined {
    // Receipts for sends this process does not track are common (other senders, restarts).
    if (this.pending.size === 0) return undefined;
    const entry = this.pending.get(pendingKey(bizId, phoneNumber));
    return entry && { ...entry };
  }

  /** {@link claim}, answered at once. */
  claimNow(key: string, leaseMs: number): ReceiptClaim {
    const now = Date.now();
    this.expireSettled(now);
    if (this.settled.has(key)) return 'settled';
    const heldUntil = this.claims.get(key);
    if (heldUntil !== undefined && heldUntil > now) return 'busy';
    this.claims.set(key, now + leaseMs);
    return 'claimed';
  }

  /** {@link settle}, done at once. */
  settleNow(key: string, pending?: { bizId: string; phoneNumber: string }): void {
    this.claims.delete(key);
    this.settled.set(key, Date.now());
    while (this.settled.size > this.limits.dedupeWindowSize) this.settled.shift();
    if (pending && this.pending.size > 0) {
      const k = pendingKey(pending.bizId, pending.phoneNumber);
      this.pending.delete(k);
      this.leasedUntil.delete(k);
    }
  }

  /** {@link release}, done at once. */
  releaseNow(key: string): void {
    this.claims.delete(key);
  }

  async claimDue(now: number, limit: number, leaseMs: number): Promise<PendingReceipt[]> {
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

  async reschedule(bizId: string, phoneNumber: string, nextCheckAt: number): Promise<void> {
    const key = pendingKey(bizId, phoneNumber);
    const entry = this.pending.get(key);
    if (!entry) return;
    entry.nextCheckAt = nextCheckAt;
    entry.checks++;
    this.leasedUntil.delete(key);
  }

  async pendingCount(): Promise<number> {
    return this.pending.size;
  }

  private expireSettled(now: number): void {
    const oldestAllowed = now - this.limits.dedupeWindowMs;
    while ((this.settled.oldestValue() ?? oldestAllowed) < oldestAllowed) this.settled.shift();
    // Claims of crashed/abandoned dispatches expire by time; drop them lazily to stay bounded.
    if (this.claims.size > 10_000) {
      for (const [key, until] of this.claims) if (until <= now) this.claims.delete(key);
    }
  }
}

const builtIn = InMemoryReceiptStore.prototype;

/**
 * `store` when it is an {@link InMemoryReceiptStore} whose per-receipt methods are its own (not
 * overridden by a subclass nor replaced on the instance, e.g. by a test spy), so its synchronous
 * forms give the same answers (they are what those methods run); otherwise `undefined`. Checked
 * per call, as methods can be replaced at any time.
 */
export function synchronousReceiptStore(store: ReceiptStore): InMemoryReceiptStore | undefined {
  return store instanceof InMemoryReceiptStore &&
    store.getPending === builtIn.getPending &&
    store.claim === builtIn.claim &&
    store.settle === builtIn.settle &&
    store.release === builtIn.release
    ? store
    : undefined;
}
