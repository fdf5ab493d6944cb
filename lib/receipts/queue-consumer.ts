import type { Logger } from '@nestjs/common';
import { MnsRequestError } from '../errors/mns-request.error.js';
import { ReceiptDecodeError } from '../errors/receipt-decode.error.js';
import type { AlicomMessageType, ResolvedReceiptOptions } from '../interfaces/alicom-sms-module-options.interface.js';
import type { PoisonMessage, QueueHealth, ReceiptFailure } from '../interfaces/receipt-events.interface.js';
import type { SmsReport, SmsUp } from '../interfaces/sms-receipt.interface.js';
import type { MnsClient } from '../mns/mns.client.js';
import type { MnsMessage } from '../mns/mns.types.js';
import type { AccessKeyCredentials } from '../utils/access-key-credentials.js';
import { delay, retryDelayMs } from '../utils/backoff.js';
import type { InFlightLimiter } from './in-flight-limiter.js';
import type { DeliveryOutcome } from './receipt-delivery.js';
import { MessageAcknowledger, type QueueCredentials } from './message-acknowledger.js';
import { decodeReceipt } from './receipt-decoder.js';

/** What the consumer needs from the listener that owns it. */
export interface QueueConsumerContext {
  mns: MnsClient;
  credentials: QueueCredentials;
  limiter: InFlightLimiter;
  options: ResolvedReceiptOptions;
  logger: Logger;
  /**
   * Dedupes, runs the handlers and publishes: the outcome at once when nothing had to be waited
   * for, else a promise of it that rejects when a handler failed.
   */
  deliver(receipt: SmsReport | SmsUp): DeliveryOutcome | Promise<DeliveryOutcome>;
  /** Publishes a failure to `errors$`. */
  reportFailure(failure: ReceiptFailure): void;
  counters: { handled: number; duplicates: number; handlerFailures: number; poisoned: number };
}

/**
 * Consumes one Alicom queue: N long-poll loops (BatchReceiveMessage) → decode → deliver
 * (de-duplicate, handlers, Observables) → delete only after success; a failed handler pushes the
 * message's next visibility out with growing backoff; the last allowed delivery goes to the
 * poison policy. The loops never end on an error, only on `signal`.
 *
 * A message is in flight (holding its limiter permit) from its receipt until its delete was
 * answered, its visibility pushed out or the poison policy applied. The common path (synchronous
 * handlers, the in-memory store) runs without a promise per message; only what has to be waited
 * for is awaited.
 */
export class QueueConsumer {
  readonly health: QueueHealth;
  private readonly acknowledger: MessageAcknowledger;
  /** Messages received and not finished yet. */
  private inFlight = 0;
  /** Called when {@link inFlight} drops to 0 (drain). */
  private idleWaiters: Array<() => void> = [];

  constructor(
    readonly type: AlicomMessageType,
    readonly queue: string,
    private readonly ctx: QueueConsumerContext,
  ) {
    this.health = { type, queue, consecutiveErrors: 0 };
    this.acknowledger = new MessageAcknowledger(ctx.mns, queue, ctx.credentials, ctx.logger);
  }

  /** Messages deleted from this queue. */
  get deleted(): number {
    return this.acknowledger.deleted;
  }

  /**
   * Runs one long-poll loop until `signal` aborts. Never rejects. Each receive asks for at most
   * `share` messages (its fair part of `maxInFlight`), so an idle queue's open long-polls cannot
   * hold every permit while another queue has work.
   */
  async poll(signal: AbortSignal, share: number): Promise<void> {
    const { limiter } = this.ctx;
    // Ask for a whole batch, not for the single permit that frees first (that made half of all
    // receives ask for 1 message); and while the queue is idle hold one permit, not `share`, in
    // the open long-poll (an idle SmsUp queue held half of maxInFlight for 30 s at a time).
    let want = 1;
    while (!signal.aborted) {
      const permits = await limiter.acquireUpTo(want, signal, want);
      if (permits === 0) break;
      let messages: MnsMessage[] = [];
      try {
        messages = await this.receive(permits, signal);
        this.health.lastSuccessfulPollAt = new Date();
        this.health.consecutiveErrors = 0;
        this.health.lastError = undefined;
      } catch (error) {
        limiter.release(permits);
        if (signal.aborted) break;
        this.health.consecutiveErrors++;
        this.health.lastError = (error as Error)?.message ?? String(error);
        const wait = retryDelayMs(this.health.consecutiveErrors - 1, 500, 30_000);
        this.ctx.logger.error(
          `Receiving from ${this.queue} failed (${this.health.consecutiveErrors} in a row): ${this.health.lastError}. Retrying in ${wait} ms.`,
        );
        await delay(wait, signal);
        continue;
      }
      want = messages.length === 0 ? 1 : share;
      limiter.release(permits - messages.length);
      for (const message of messages) this.process(message);
    }
  }

  /** Waits for the receipts being handled (at most `timeoutMs`), then for their deletes. */
  async drain(timeoutMs: number): Promise<boolean> {
    let drained = true;
    if (this.inFlight > 0) {
      let timer: NodeJS.Timeout | undefined;
      drained = await new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
        this.idleWaiters.push(() => resolve(true));
      });
      clearTimeout(timer);
    }
    await this.acknowledger.flush();
    return drained;
  }

  /** Receipts of this queue being handled now. */
  get inFlightCount(): number {
    return this.inFlight;
  }

  private async receive(numOfMessages: number, signal: AbortSignal): Promise<MnsMessage[]> {
    const { mns, credentials, options } = this.ctx;
    // One immediate retry with a fresh token when MNS refuses the cached one (expired/revoked).
    for (let attempt = 0; ; attempt++) {
      const creds: AccessKeyCredentials = await credentials.get(signal);
      try {
        return await mns.batchReceive(this.queue, creds, { numOfMessages, waitSeconds: options.waitSeconds, signal });
      } catch (error) {
        if (attempt === 0 && error instanceof MnsRequestError && error.credentialsRejected) {
          credentials.invalidate(creds);
          continue;
        }
        throw error;
      }
    }
  }

  /** Handles one message end to end; never throws. Its permit is returned by {@link finish}. */
  private process(message: MnsMessage): void {
    this.inFlight++;
    let receipt: SmsReport | SmsUp;
    try {
      receipt = decodeReceipt(this.type, message);
    } catch (error) {
      this.finishAfter(this.undecodable(message, error));
      return;
    }

    let outcome: DeliveryOutcome | Promise<DeliveryOutcome>;
    try {
      outcome = this.ctx.deliver(receipt);
    } catch (error) {
      this.finishAfter(this.handlerFailed(message, error));
      return;
    }
    if (typeof outcome === 'string') this.delivered(message, outcome);
    else {
      outcome.then(
        (settled) => this.delivered(message, settled),
        (error: unknown) => this.finishAfter(this.handlerFailed(message, error)),
      );
    }
  }

  /** After the handlers: delete the message (also a duplicate, so it does not come back), or look again later. */
  private delivered(message: MnsMessage, outcome: DeliveryOutcome): void {
    if (outcome === 'busy') {
      // Another consumer is handling the same receipt right now: look again once it is done.
      this.finishAfter(this.postpone(message, this.ctx.options.retryBackoffSeconds));
      return;
    }
    if (outcome === 'duplicate') this.ctx.counters.duplicates++;
    else this.ctx.counters.handled++;
    this.acknowledger.ack(message.receiptHandle, (result, error) => {
      if (result === 'failed') this.fail('ack', message, error);
      this.finish();
    });
  }

  private async undecodable(message: MnsMessage, error: unknown): Promise<void> {
    const reason = error instanceof ReceiptDecodeError ? error.message : String(error);
    this.ctx.logger.error(`Undecodable message ${message.messageId} on ${this.queue}: ${reason}`);
    this.fail('decode', message, error);
    await this.poison(message, 'undecodable', error);
  }

  private async handlerFailed(message: MnsMessage, error: unknown): Promise<void> {
    this.ctx.counters.handlerFailures++;
    this.fail('handler', message, error);
    if (message.dequeueCount >= this.ctx.options.maxDeliveries) {
      await this.poison(message, 'handler-failed', error);
    } else {
      await this.postpone(message, this.backoffSeconds(message.dequeueCount));
    }
  }

  /** Ends the message once `work` (which is not expected to reject) is done. */
  private finishAfter(work: Promise<void>): void {
    void work.finally(() => this.finish());
  }

  /** The message is done: its permit goes back, and a drain waiting for the last one resumes. */
  private finish(): void {
    this.inFlight--;
    this.ctx.limiter.release(1);
    if (this.inFlight === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resume of waiters) resume();
    }
  }

  private async poison(message: MnsMessage, reason: PoisonMessage['reason'], error: unknown): Promise<void> {
    this.ctx.counters.poisoned++;
    this.fail('poison', message, error);
    const { onPoisonMessage, poisonPolicy, maxRetryBackoffSeconds } = this.ctx.options;
    try {
      await onPoisonMessage?.({
        reason,
        type: this.type,
        queue: this.queue,
        messageId: message.messageId,
        dequeueCount: message.dequeueCount,
        body: message.body,
        error,
      });
    } catch (hookError) {
      this.ctx.logger.error(
        `onPoisonMessage failed for ${message.messageId} on ${this.queue}: ${(hookError as Error)?.message}; keeping the message`,
      );
      await this.postpone(message, maxRetryBackoffSeconds);
      return;
    }
    if (poisonPolicy === 'delete') {
      this.ctx.logger.warn(`Poison message ${message.messageId} (${reason}) deleted from ${this.queue} after ${message.dequeueCount} deliveries`);
      await this.delete(message);
    } else {
      await this.postpone(message, maxRetryBackoffSeconds);
    }
  }

  private backoffSeconds(dequeueCount: number): number {
    const { retryBackoffSeconds, maxRetryBackoffSeconds } = this.ctx.options;
    return Math.min(maxRetryBackoffSeconds, retryBackoffSeconds * 2 ** Math.min(Math.max(0, dequeueCount - 1), 20));
  }

  /** Makes the message visible again in `seconds` (it is redelivered then). */
  private async postpone(message: MnsMessage, seconds: number): Promise<void> {
    try {
      const credentials = await this.ctx.credentials.get();
      await this.ctx.mns.changeVisibility(this.queue, credentials, message.receiptHandle, seconds);
    } catch (error) {
      // Not fatal: the message still comes back after the queue's own visibility timeout.
      this.ctx.logger.warn(
        `ChangeMessageVisibility for ${message.messageId} on ${this.queue} failed: ${(error as Error)?.message}; it returns after the queue's visibility timeout`,
      );
    }
  }

  private delete(message: MnsMessage): Promise<void> {
    return new Promise<void>((resolve) => {
      this.acknowledger.ack(message.receiptHandle, (result, error) => {
        if (result === 'failed') this.fail('ack', message, error);
        resolve();
      });
    });
  }

  private fail(kind: ReceiptFailure['kind'], message: MnsMessage, error: unknown): void {
    this.ctx.reportFailure({ kind, type: this.type, queue: this.queue, messageId: message.messageId, dequeueCount: message.dequeueCount, error });
  }
}
