import type { Writable } from '../rpc/emulated-records.interface.js';
import type { RandomSource } from '../seeded-random.js';
import type {
  EmulatedMalformedPushKind,
  EmulatedMalformedPushOptions,
  EmulatedPushAttempt,
  EmulatedPushRequestKind,
  EmulatedPushSettings,
  EmulatedPushStats,
  EmulatedPushType,
} from './emulated-push.types.js';
import { malformedPushBody } from './malformed-push-bodies.js';
import { pushItemOf, type PushReceipt } from './push-items.js';
import { countsAsReceived, postPush } from './push-request.js';
import { PUSH_DISABLED, PUSH_TYPES, resolvePushSettings, type ResolvedPushSettings } from './push-settings.js';

const JSON_CONTENT_TYPE = 'application/json';

/** A receipt waiting for its request. */
interface PendingReceipt {
  readonly id: string;
  readonly item: Record<string, unknown>;
  /** Where it goes: the type's URL when it was handed over. */
  readonly url: URL;
  /** A report Alibaba produced twice: its copy joins a later request, never the same one. */
  readonly copyAfterSend: boolean;
}

/** A receipt as first pushed, for pushing it again. */
interface KnownReceipt {
  readonly type: EmulatedPushType;
  readonly item: Record<string, unknown>;
}

/** One push request; its retries reuse it. */
interface PushRequest {
  readonly number: number;
  readonly type: EmulatedPushType;
  readonly kind: EmulatedPushRequestKind;
  readonly duplicateOf?: number;
  readonly url: URL;
  readonly body: Buffer;
  readonly contentType: string;
  readonly receiptIds: readonly string[];
  /** Delays before the retries; empty for requests sent once. */
  readonly retryDelaysMs: readonly number[];
  readonly timeoutMs: number;
  readonly duplicateRate: number;
}

/**
 * The emulated "HTTP 批量推送" (PROTOCOL.md §5.6): instead of putting a type's receipts on its MNS
 * queue, the emulator POSTs them to a configured URL as JSON arrays, several per request, and
 * applies Alibaba's answer rule: only HTTP 200 with `{"code":0,…}` (the number 0) within the
 * timeout counts as received; anything else is retried on the schedule, then dropped. Every
 * attempt is recorded for assertions, and malformed or duplicate pushes can be sent on demand.
 *
 * Reach it as `emulator.push`:
 * ```ts
 * emulator.push.configure({ url: `${receiverOrigin}/alicom/receipts?secret=s3cr3t`, retryDelaysMs: [50, 100], timeoutMs: 200 });
 * // ... send SMS, emulator.reply(...)
 * await emulator.push.whenSettled();
 * assert.ok(emulator.push.attempts.every((attempt) => attempt.received));
 * ```
 * @publicApi
 */
export class EmulatedPush {
  // NOTE: ES-private fields, so util.inspect (a logged or snapshotted emulator) never shows the URLs.
  #settings: ResolvedPushSettings = PUSH_DISABLED;
  readonly #pending = new Map<EmulatedPushType, PendingReceipt[]>(PUSH_TYPES.map((type) => [type, []]));
  readonly #gatherTimers = new Map<EmulatedPushType, NodeJS.Timeout>();
  readonly #retryTimers = new Set<NodeJS.Timeout>();
  readonly #attempts: Writable<EmulatedPushAttempt>[] = [];
  readonly #requests = new Map<number, PushRequest>();
  readonly #receipts = new Map<string, KnownReceipt>();
  readonly #settleWaiters = new Set<() => void>();
  #inFlight = 0;
  /** Receipts in requests whose outcome (received or dropped) is not known yet. */
  #awaitingOutcome = 0;
  #counters = { queued: 0, received: 0, dropped: 0, requests: 0 };
  #nextReceiptNumber = 1;
  #nextMessageId = 1;
  #aborter = new AbortController();
  #closed = false;

  /** @internal Created by `AlicomEmulator`; `random` drives the duplicate rate. */
  constructor(private readonly random: RandomSource) {}

  /**
   * Replaces the push settings: the types with a URL are pushed from now on instead of going to
   * their MNS queues, the others go back to their queues. Receipts already handed over keep the
   * URL they were handed over for. Throws a `TypeError` naming every bad field.
   */
  configure(settings: EmulatedPushSettings): void {
    this.#settings = resolvePushSettings(settings);
  }

  /** Turns push off: every type goes to its MNS queue again. Receipts already handed over are still pushed. */
  disable(): void {
    this.#settings = PUSH_DISABLED;
  }

  /** Whether receipts of this type are pushed (rather than put on its MNS queue). */
  isEnabled(type: EmulatedPushType): boolean {
    return this.#settings.urls.has(type);
  }

  /** Every HTTP attempt so far, oldest first (live entries). */
  get attempts(): readonly EmulatedPushAttempt[] {
    return this.#attempts;
  }

  /** Counters of the emulator's own receipt pushes. */
  stats(): EmulatedPushStats {
    let gathering = 0;
    for (const pending of this.#pending.values()) gathering += pending.length;
    return { ...this.#counters, pending: gathering + this.#awaitingOutcome, attempts: this.#attempts.length };
  }

  /**
   * Resolves once nothing is gathering, in flight or waiting for a retry; rejects after
   * `timeoutMs` with the counters in the message.
   */
  whenSettled(timeoutMs = 10_000): Promise<void> {
    if (this.isSettled()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const settled = () => {
        clearTimeout(timer);
        this.#settleWaiters.delete(settled);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#settleWaiters.delete(settled);
        const state = { ...this.stats(), inFlight: this.#inFlight, retriesScheduled: this.#retryTimers.size };
        reject(new Error(`EmulatedPush: not settled within ${timeoutMs} ms: ${JSON.stringify(state)}`));
      }, timeoutMs);
      timer.unref();
      this.#settleWaiters.add(settled);
    });
  }

  /**
   * Pushes a body that no receipt push from Alibaba would carry to the URL of `type`, once (no
   * retry), and resolves with its recorded attempt.
   */
  sendMalformed(
    type: EmulatedPushType,
    kind: EmulatedMalformedPushKind,
    options: EmulatedMalformedPushOptions = {},
  ): Promise<EmulatedPushAttempt> {
    const body = Buffer.from(malformedPushBody(type, kind, options), 'utf8');
    return this.sendOnce({ type, kind: 'malformed', body, contentType: JSON_CONTENT_TYPE });
  }

  /** Pushes any body to the URL of `type`, once (no retry), and resolves with its recorded attempt. */
  sendRaw(type: EmulatedPushType, body: string | Buffer, options: { readonly contentType?: string } = {}): Promise<EmulatedPushAttempt> {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    return this.sendOnce({ type, kind: 'raw', body: bytes, contentType: options.contentType ?? JSON_CONTENT_TYPE });
  }

  /**
   * Sends an earlier request again, same body, same URL, as a new request of kind `duplicate`
   * (once, no retry): what Alibaba does when a receiver's answer got lost.
   */
  resendRequest(requestNumber: number): Promise<EmulatedPushAttempt> {
    const original = this.#requests.get(requestNumber);
    if (!original) throw new RangeError(`EmulatedPush: no request number ${requestNumber} in the record.`);
    return this.attempt(this.duplicateOf(original), 1);
  }

  /**
   * Pushes a receipt again in a later request of its type (gathered and retried like any): the
   * same receipt delivered twice. The type must still be pushed.
   */
  repushReceipt(receiptId: string): void {
    const known = this.#receipts.get(receiptId);
    if (!known) throw new RangeError(`EmulatedPush: no receipt "${receiptId}" was pushed.`);
    this.enqueue(known.type, { id: receiptId, item: known.item, url: this.urlOf(known.type), copyAfterSend: false });
  }

  /**
   * @internal Hands a receipt to push delivery (its type must be pushed); `copies` 2 pushes it
   * twice, in separate requests. Returns the receipt id used in `attempts[].receiptIds`.
   */
  deliver(receipt: PushReceipt, copies = 1): string {
    const url = this.urlOf(receipt.type);
    const id = `${receipt.type}-${this.#nextReceiptNumber++}`;
    const item = pushItemOf(receipt, this.#settings.shape, String(this.#nextMessageId++));
    this.#receipts.set(id, { type: receipt.type, item });
    this.enqueue(receipt.type, { id, item, url, copyAfterSend: copies > 1 });
    return id;
  }

  /** @internal Forgets pending receipts, scheduled retries and the record; aborts requests in flight. Settings stay. */
  reset(): void {
    this.stopEverything();
    this.#attempts.length = 0;
    this.#requests.clear();
    this.#receipts.clear();
    this.#counters = { queued: 0, received: 0, dropped: 0, requests: 0 };
    this.#aborter = new AbortController();
    this.notifyIfSettled();
  }

  /** @internal Stops for good: pending receipts are not sent, requests in flight are aborted. */
  close(): void {
    this.#closed = true;
    this.stopEverything();
    this.notifyIfSettled();
  }

  private enqueue(type: EmulatedPushType, receipt: PendingReceipt): void {
    if (this.#closed) return;
    this.#counters.queued += 1;
    const pending = this.pendingOf(type);
    pending.push(receipt);
    if (pending.length >= this.#settings.maxBatchSize) {
      this.flush(type);
      return;
    }
    if (this.#gatherTimers.has(type)) return;
    const timer = setTimeout(() => this.flush(type), this.#settings.batchWindowMs);
    timer.unref();
    this.#gatherTimers.set(type, timer);
  }

  /**
   * Sends everything gathered for the type, in requests of at most `maxBatchSize` receipts that
   * share a URL, with the current timeout and retry schedule.
   */
  private flush(type: EmulatedPushType): void {
    clearTimeout(this.#gatherTimers.get(type));
    this.#gatherTimers.delete(type);
    const pending = this.pendingOf(type);
    const copies: PendingReceipt[] = [];
    while (pending.length > 0) {
      const batch = takeBatch(pending, this.#settings.maxBatchSize);
      for (const receipt of batch) if (receipt.copyAfterSend) copies.push({ ...receipt, copyAfterSend: false });
      const request = this.register({
        type,
        kind: 'receipts',
        url: batch[0].url,
        body: Buffer.from(JSON.stringify(batch.map((receipt) => receipt.item)), 'utf8'),
        contentType: JSON_CONTENT_TYPE,
        receiptIds: batch.map((receipt) => receipt.id),
        retryDelaysMs: this.#settings.retryDelaysMs,
        timeoutMs: this.#settings.timeoutMs,
        duplicateRate: this.#settings.duplicateRate,
      });
      this.#awaitingOutcome += batch.length;
      void this.attempt(request, 1);
    }
    for (const copy of copies) this.enqueue(type, copy);
  }

  /** Sends a body to the type's URL once (no retry). */
  private sendOnce(request: Pick<PushRequest, 'type' | 'kind' | 'body' | 'contentType'>): Promise<EmulatedPushAttempt> {
    const registered = this.register({
      ...request,
      url: this.urlOf(request.type),
      receiptIds: [],
      retryDelaysMs: [],
      timeoutMs: this.#settings.timeoutMs,
      duplicateRate: 0,
    });
    return this.attempt(registered, 1);
  }

  /** A new request repeating `original` once. */
  private duplicateOf(original: PushRequest): PushRequest {
    return this.register({ ...original, kind: 'duplicate', duplicateOf: original.number, retryDelaysMs: [], duplicateRate: 0 });
  }

  /** Gives the request the next number and keeps it for `resendRequest()`. */
  private register(request: Omit<PushRequest, 'number'>): PushRequest {
    this.#counters.requests += 1;
    const numbered: PushRequest = { ...request, number: this.#counters.requests };
    this.#requests.set(numbered.number, numbered);
    return numbered;
  }

  /** Makes one HTTP attempt, records it, then retries, drops or duplicates as the answer says. */
  private async attempt(request: PushRequest, attemptNumber: number): Promise<EmulatedPushAttempt> {
    const entry: Writable<EmulatedPushAttempt> = {
      requestNumber: request.number,
      attempt: attemptNumber,
      type: request.type,
      kind: request.kind,
      ...(request.duplicateOf === undefined ? {} : { duplicateOf: request.duplicateOf }),
      body: request.body.toString('utf8'),
      bodyBytes: request.body.length,
      receiptIds: request.receiptIds,
      sentAt: new Date(),
      settled: false,
      timedOut: false,
      received: false,
      dropped: false,
    };
    this.#attempts.push(entry);
    this.#inFlight += 1;
    const signal = this.#aborter.signal;
    const answer = await postPush({ url: request.url, body: request.body, contentType: request.contentType, timeoutMs: request.timeoutMs, signal });
    this.#inFlight -= 1;
    entry.durationMs = answer.durationMs;
    if (answer.status !== undefined) entry.status = answer.status;
    if (answer.body !== undefined) entry.responseBody = answer.body;
    entry.timedOut = answer.timedOut;
    if (answer.error !== undefined) entry.error = answer.error;
    entry.received = countsAsReceived(answer);
    entry.settled = true;
    // After a reset or close nothing follows from an attempt.
    if (!signal.aborted) this.afterAttempt(request, attemptNumber, entry);
    this.notifyIfSettled();
    return entry;
  }

  private afterAttempt(request: PushRequest, attemptNumber: number, entry: Writable<EmulatedPushAttempt>): void {
    const ownReceipts = request.kind === 'receipts';
    if (entry.received) {
      if (ownReceipts) this.conclude(request, 'received');
      if (request.duplicateRate > 0 && this.random() < request.duplicateRate) void this.attempt(this.duplicateOf(request), 1);
      return;
    }
    const retryInMs = request.retryDelaysMs[attemptNumber - 1];
    if (retryInMs === undefined) {
      if (ownReceipts) {
        entry.dropped = true;
        this.conclude(request, 'dropped');
      }
      return;
    }
    entry.retryInMs = retryInMs;
    const timer = setTimeout(() => {
      this.#retryTimers.delete(timer);
      void this.attempt(request, attemptNumber + 1);
    }, retryInMs);
    timer.unref();
    this.#retryTimers.add(timer);
  }

  private conclude(request: PushRequest, outcome: 'received' | 'dropped'): void {
    this.#counters[outcome] += request.receiptIds.length;
    this.#awaitingOutcome -= request.receiptIds.length;
  }

  /** The URL receipts of the type go to now; throws when the type is not pushed. */
  private urlOf(type: EmulatedPushType): URL {
    const url = this.#settings.urls.get(type);
    if (!url) throw new Error(`EmulatedPush: ${type} is not pushed; call emulator.push.configure({ url, types: ['${type}'] }) first.`);
    return url;
  }

  private pendingOf(type: EmulatedPushType): PendingReceipt[] {
    return this.#pending.get(type)!;
  }

  private stopEverything(): void {
    for (const timer of this.#gatherTimers.values()) clearTimeout(timer);
    this.#gatherTimers.clear();
    for (const timer of this.#retryTimers) clearTimeout(timer);
    this.#retryTimers.clear();
    for (const pending of this.#pending.values()) pending.length = 0;
    this.#awaitingOutcome = 0;
    this.#aborter.abort();
  }

  private isSettled(): boolean {
    return this.#inFlight === 0 && this.#retryTimers.size === 0 && this.#gatherTimers.size === 0;
  }

  private notifyIfSettled(): void {
    if (!this.isSettled()) return;
    for (const settled of [...this.#settleWaiters]) settled();
  }
}

/** Takes up to `max` receipts, oldest first, that go to the same URL as the oldest. */
function takeBatch(pending: PendingReceipt[], max: number): PendingReceipt[] {
  const href = pending[0].url.href;
  const batch: PendingReceipt[] = [];
  for (let i = 0; i < pending.length && batch.length < max; ) {
    if (pending[i].url.href === href) batch.push(...pending.splice(i, 1));
    else i += 1;
  }
  return batch;
}
