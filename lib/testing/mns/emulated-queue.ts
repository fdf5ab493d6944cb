import type { BatchDeleteFailureCode } from './mns-error.js';
import { MnsErrors } from './mns-error.js';
import type { MnsMessageDocument } from './mns-xml.js';
import { isWellFormedReceiptHandle, mintReceiptHandle } from './receipt-handle.js';
import type {
  EmulatedMessageSnapshot,
  EmulatedMessageState,
  EmulatedQueueAttributes,
  EmulatedQueueStats,
} from './emulated-queue.types.js';

// One MNS queue: visibility, redelivery, receipt handles and long-poll waiters
// (PROTOCOL.md §4.5, §4.6). State changes that depend on time are applied lazily at the start of
// every operation (so a late timer can never let a stale handle through) and eagerly by one
// unref'd wake-up timer per queue (so long-polls wake when a message becomes visible).

/** Priority Alicom messages were observed with. */
const ALICOM_PRIORITY = 8;

interface QueuedMessage {
  readonly seq: number;
  readonly messageId: string;
  readonly messageBody: string;
  readonly messageBodyMd5: string;
  readonly enqueueTime: number;
  readonly isInjectedDuplicate: boolean;
  state: EmulatedMessageState;
  /** When a delayed or in-flight message becomes visible. */
  dueTime: number;
  firstDequeueTime?: number;
  dequeueCount: number;
  receiptHandle?: string;
}

interface LongPollWaiter {
  readonly max: number;
  readonly signal?: AbortSignal;
  readonly resolve: (messages: MnsMessageDocument[]) => void;
  readonly timer: NodeJS.Timeout;
}

/** Services a queue needs from the emulator that owns it. */
export interface EmulatedQueueContext {
  clock(): number;
  /** Next message sequence number (unique across queues). */
  nextSeq(): number;
  /** A fresh MessageId for a message enqueued at `enqueueTime`. */
  nextMessageId(enqueueTime: number): string;
  /** A number never used before in a receipt handle. */
  nextHandleGeneration(): number;
  /** Asked once per delivery of an original message: should a duplicate copy be enqueued? */
  shouldDuplicate(): boolean;
  /** Called after any change that can affect counters. */
  onChange(): void;
}

/** An emulated MNS queue. Not exported from the package: reach it through `EmulatedMns`. */
export class EmulatedQueue {
  visibilityTimeoutSeconds: number;
  pollingWaitSeconds: number;

  private readonly visible = new Set<QueuedMessage>();
  /** Delayed and in-flight messages. */
  private readonly pending = new Set<QueuedMessage>();
  private readonly deletedMessages: QueuedMessage[] = [];
  private readonly liveHandles = new Map<string, QueuedMessage>();
  private waiters: LongPollWaiter[] = [];
  private earliestDue = Infinity;
  private wakeTimer?: NodeJS.Timeout;
  private closed = false;
  private counters = { enqueued: 0, deleted: 0, received: 0, duplicated: 0 };

  constructor(
    readonly name: string,
    attributes: Required<EmulatedQueueAttributes>,
    private readonly context: EmulatedQueueContext,
  ) {
    this.visibilityTimeoutSeconds = attributes.visibilityTimeoutSeconds;
    this.pollingWaitSeconds = attributes.pollingWaitSeconds;
  }

  /** Adds a message; returns its MessageId. */
  enqueue(messageBody: string, messageBodyMd5: string, delayMs = 0): string {
    const message = this.add(messageBody, messageBodyMd5, delayMs, false);
    this.serveWaiters();
    this.context.onChange();
    return message.messageId;
  }

  /** Takes up to `max` visible messages without waiting. */
  receiveNow(max: number): MnsMessageDocument[] {
    this.promoteDue();
    const delivered = this.take(max);
    this.serveWaiters();
    if (delivered.length > 0) this.context.onChange();
    return delivered;
  }

  /**
   * Up to `max` receivable messages, oldest first, left as they are (PeekMessage): no receipt
   * handle, no visibility change, no dequeue counted. `FirstDequeueTime` of a message never
   * received is its `EnqueueTime`, as MNS documents.
   */
  peek(max: number): MnsMessageDocument[] {
    this.promoteDue();
    const peeked: MnsMessageDocument[] = [];
    for (const message of this.visible) {
      if (peeked.length >= max) break;
      peeked.push({
        messageId: message.messageId,
        messageBodyMd5: message.messageBodyMd5,
        messageBody: message.messageBody,
        enqueueTime: message.enqueueTime,
        firstDequeueTime: message.firstDequeueTime ?? message.enqueueTime,
        dequeueCount: message.dequeueCount,
        priority: ALICOM_PRIORITY,
      });
    }
    return peeked;
  }

  /**
   * Takes up to `max` messages, holding on for `waitMs` while the queue is empty. Resolves with
   * an empty list when the wait elapses, the signal aborts (client gone: nothing is taken) or the
   * queue closes.
   */
  receive(max: number, waitMs: number, signal?: AbortSignal): Promise<MnsMessageDocument[]> {
    if (signal?.aborted) return Promise.resolve([]);
    const immediate = this.receiveNow(max);
    if (immediate.length > 0 || waitMs <= 0 || this.closed) return Promise.resolve(immediate);
    return new Promise((resolve) => {
      const finish = (messages: MnsMessageDocument[]) => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        clearTimeout(waiter.timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(messages);
      };
      const onAbort = () => finish([]);
      const waiter: LongPollWaiter = {
        max,
        signal,
        resolve: finish,
        timer: setTimeout(() => finish([]), waitMs).unref(),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Deletes the message a handle belongs to, or says why it cannot. */
  delete(receiptHandle: string): 'deleted' | BatchDeleteFailureCode {
    if (!isWellFormedReceiptHandle(receiptHandle)) return 'ReceiptHandleError';
    this.promoteDue();
    const message = this.liveHandles.get(receiptHandle);
    if (!message) return 'MessageNotExist';
    this.liveHandles.delete(receiptHandle);
    this.pending.delete(message);
    message.state = 'deleted';
    message.receiptHandle = undefined;
    this.deletedMessages.push(message);
    this.counters.deleted += 1;
    this.scheduleWake();
    this.context.onChange();
    return 'deleted';
  }

  /**
   * Re-arms an in-flight message's invisibility, counted from now; the returned handle replaces
   * the old one. Throws `ReceiptHandleError` / `MessageNotExist`.
   */
  changeVisibility(receiptHandle: string, visibilityTimeoutSeconds: number): { receiptHandle: string; nextVisibleTime: number } {
    if (!isWellFormedReceiptHandle(receiptHandle)) throw MnsErrors.receiptHandleError();
    this.promoteDue();
    const message = this.liveHandles.get(receiptHandle);
    if (!message) throw MnsErrors.messageNotExist();
    const nextVisibleTime = this.context.clock() + visibilityTimeoutSeconds * 1000;
    this.liveHandles.delete(receiptHandle);
    message.dueTime = nextVisibleTime;
    message.receiptHandle = this.mintHandle(message);
    this.liveHandles.set(message.receiptHandle, message);
    this.recomputeEarliestDue();
    this.scheduleWake();
    return { receiptHandle: message.receiptHandle, nextVisibleTime };
  }

  /** Current counters. */
  stats(): EmulatedQueueStats {
    this.promoteDue();
    let inFlight = 0;
    let delayed = 0;
    for (const m of this.pending) {
      if (m.state === 'inflight') inFlight += 1;
      else delayed += 1;
    }
    return {
      ...this.counters,
      visible: this.visible.size,
      inFlight,
      delayed,
      waitingReceives: this.waiters.length,
    };
  }

  /** Every message, deleted ones included, in enqueue order. */
  snapshot(): EmulatedMessageSnapshot[] {
    this.promoteDue();
    const all = [...this.deletedMessages, ...this.visible, ...this.pending].sort((a, b) => a.seq - b.seq);
    return all.map((m) => ({
      messageId: m.messageId,
      state: m.state,
      dequeueCount: m.dequeueCount,
      messageBody: m.messageBody,
      enqueueTime: m.enqueueTime,
      nextVisibleTime: m.state === 'delayed' || m.state === 'inflight' ? m.dueTime : undefined,
      receiptHandle: m.receiptHandle,
      isInjectedDuplicate: m.isInjectedDuplicate,
    }));
  }

  /** Ends held long-polls (empty answers) and stops the wake-up timer. */
  close(): void {
    this.closed = true;
    clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    for (const waiter of [...this.waiters]) waiter.resolve([]);
  }

  private add(messageBody: string, messageBodyMd5: string, delayMs: number, isInjectedDuplicate: boolean): QueuedMessage {
    const now = this.context.clock();
    const message: QueuedMessage = {
      seq: this.context.nextSeq(),
      messageId: this.context.nextMessageId(now),
      messageBody,
      messageBodyMd5,
      enqueueTime: now,
      isInjectedDuplicate,
      state: delayMs > 0 ? 'delayed' : 'visible',
      dueTime: now + Math.max(0, delayMs),
      dequeueCount: 0,
    };
    this.counters.enqueued += 1;
    if (isInjectedDuplicate) this.counters.duplicated += 1;
    if (message.state === 'visible') {
      this.visible.add(message);
    } else {
      this.pending.add(message);
      this.earliestDue = Math.min(this.earliestDue, message.dueTime);
      this.scheduleWake();
    }
    return message;
  }

  /** Moves due delayed/in-flight messages to visible; an expired handle stops working here. */
  private promoteDue(): void {
    const now = this.context.clock();
    if (now < this.earliestDue) return;
    for (const message of this.pending) {
      if (message.dueTime > now) continue;
      this.pending.delete(message);
      if (message.receiptHandle !== undefined) this.liveHandles.delete(message.receiptHandle);
      message.receiptHandle = undefined;
      message.state = 'visible';
      this.visible.add(message);
    }
    this.recomputeEarliestDue();
    this.scheduleWake();
  }

  private take(max: number): MnsMessageDocument[] {
    const now = this.context.clock();
    const delivered: MnsMessageDocument[] = [];
    const toDuplicate: QueuedMessage[] = [];
    for (const message of this.visible) {
      if (delivered.length >= max) break;
      this.visible.delete(message);
      message.state = 'inflight';
      message.dequeueCount += 1;
      message.firstDequeueTime ??= now;
      message.dueTime = now + this.visibilityTimeoutSeconds * 1000;
      message.receiptHandle = this.mintHandle(message);
      this.liveHandles.set(message.receiptHandle, message);
      this.pending.add(message);
      this.earliestDue = Math.min(this.earliestDue, message.dueTime);
      this.counters.received += 1;
      delivered.push({
        messageId: message.messageId,
        receiptHandle: message.receiptHandle,
        messageBodyMd5: message.messageBodyMd5,
        messageBody: message.messageBody,
        enqueueTime: message.enqueueTime,
        nextVisibleTime: message.dueTime,
        firstDequeueTime: message.firstDequeueTime,
        dequeueCount: message.dequeueCount,
        priority: ALICOM_PRIORITY,
      });
      // Copies are not duplicated again, so a duplicateRate below 1 cannot snowball.
      if (!message.isInjectedDuplicate && this.context.shouldDuplicate()) toDuplicate.push(message);
    }
    // Enqueued after the loop so a copy never travels in the same response as its original.
    for (const original of toDuplicate) this.add(original.messageBody, original.messageBodyMd5, 0, true);
    if (delivered.length > 0) this.scheduleWake();
    return delivered;
  }

  private serveWaiters(): void {
    while (this.waiters.length > 0 && this.visible.size > 0) {
      const waiter = this.waiters[0];
      if (waiter.signal?.aborted) {
        waiter.resolve([]);
        continue;
      }
      waiter.resolve(this.take(waiter.max));
    }
  }

  private mintHandle(message: QueuedMessage): string {
    return mintReceiptHandle(message.seq, message.dueTime, this.context.nextHandleGeneration(), ALICOM_PRIORITY);
  }

  private recomputeEarliestDue(): void {
    let earliest = Infinity;
    for (const message of this.pending) earliest = Math.min(earliest, message.dueTime);
    this.earliestDue = earliest;
  }

  private scheduleWake(): void {
    clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    if (this.closed || this.earliestDue === Infinity) return;
    const delay = Math.max(1, this.earliestDue - this.context.clock());
    this.wakeTimer = setTimeout(() => this.onWake(), delay).unref();
  }

  private onWake(): void {
    this.wakeTimer = undefined;
    const before = this.visible.size;
    this.promoteDue();
    // NOTE: a timer may fire up to 1 ms before its due time by Date.now(); promoteDue() then finds
    // nothing due and returns without re-arming, so the wake-up is re-armed here.
    if (this.wakeTimer === undefined) this.scheduleWake();
    if (this.visible.size !== before) {
      this.serveWaiters();
      this.context.onChange();
    }
  }
}
