import type { SmsReport } from '../../interfaces/sms-receipt.interface.js';
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
 * The module's windows, handed to a store that keeps its own expiries ({@link ReceiptStore.configure}).
 *
 * @publicApi
 */
export interface ReceiptStoreWindows {
  /** How long a settled receipt is remembered for de-duplication (`compensation.dedupeWindowMs`). */
  dedupeWindowMs: number;
  /** How long a pending send may wait for its final report: `compensation.giveUpAfterMs` plus a margin. */
  pendingTtlMs: number;
}

/** Told of the final reports any instance sharing the store settles ({@link ReceiptStore.watchReports}). @publicApi */
export interface SettledReportWatcher {
  /** A final report was settled (by this instance or another). */
  report(report: SmsReport): void;
  /**
   * Reports settled meanwhile may have been missed (the subscription was interrupted): look up
   * anything still awaited with {@link ReceiptStore.findReport}.
   */
  resync(): void;
}

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
  /**
   * Marks `key` as dispatched (remembered for the de-duplication window) and drops the pending
   * entry, if given. A store shared by several instances also keeps `report` (the final report
   * settled) for {@link findReport} and announces it to {@link watchReports}; others may ignore it.
   */
  settle(key: string, pending?: { bizId: string; phoneNumber: string }, report?: SmsReport): MaybePromise<void>;
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

  // Optional members, for a store shared by several app instances (e.g. `RedisReceiptStore`).
  // The module uses each one only when the store has it; a store without them serves one process.

  /** Receives the module's windows once, before any other call, to set the store's expiries. */
  configure?(windows: ReceiptStoreWindows): void;
  /**
   * Marks sends to `phoneNumbers` as in flight on this instance for at most `ttlMs` (their HTTP
   * answer has not arrived), so that another instance receiving an early report for one of these
   * numbers postpones it instead of delivering it uncorrelated. Returns a token for {@link endSends}.
   */
  beginSends?(phoneNumbers: readonly string[], ttlMs: number): MaybePromise<string>;
  /** Ends the marks of {@link beginSends}: the sends were registered (`addPending`) or failed. */
  endSends?(token: string, phoneNumbers: readonly string[]): MaybePromise<void>;
  /**
   * Like `getPending`, but answers `'sending'` when there is no pending entry while a send to
   * `phoneNumber` is marked in flight on some instance ({@link beginSends}).
   */
  findSend?(bizId: string, phoneNumber: string): MaybePromise<PendingReceipt | 'sending' | undefined>;
  /**
   * The final report of (bizId, phoneNumber) if some instance settled it recently; else, with
   * `watchForMs`, marks it awaited for that long, so that its settlement reaches {@link watchReports}.
   */
  findReport?(bizId: string, phoneNumber: string, watchForMs?: number): MaybePromise<SmsReport | undefined>;
  /**
   * Subscribes `watcher` to the final reports settled from now on, by any instance, that were
   * awaited ({@link findReport} with `watchForMs`); resolves once the subscription is active.
   * Returns the function that unsubscribes.
   */
  watchReports?(watcher: SettledReportWatcher): MaybePromise<() => MaybePromise<void>>;
  /**
   * Takes one QuerySendDetails token from a bucket shared by every instance (`ratePerSecond` on
   * average, one second's worth at most in a burst); returns how long to wait before querying, in
   * ms (0 when a token was there). `now` is the module's clock.
   */
  takeQueryToken?(ratePerSecond: number, now: number): MaybePromise<number>;
  /** Releases what the store opened itself (connections); called once when the module shuts down. */
  close?(): MaybePromise<void>;
}
