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
  /** Dedupes, runs the handlers and publishes; rejects when a handler failed. */
  deliver(receipt: SmsReport | SmsUp): Promise<DeliveryOutcome>;
  /** Publishes a failure to `errors$`. */
  reportFailure(failure: ReceiptFailure): void;
  counters: { handled: number; duplicates: number; handlerFailures: number; poisoned: number };
}

/**
 * Consumes one Alicom queue: N long-poll loops (BatchReceiveMessage) → decode → deliver
 * (de-duplicate, handlers, Observables) → delete only after success; a failed handler pushes the message's next visibility out with
 * growing backoff; the last allowed delivery goes to the poison policy. The loops never end on an
 * error, only on `signal`.
 */
export class QueueConsumer {
  readonly health: QueueHealth;
  private readonly acknowledger: MessageAcknowledger;
  private readonly inFlight = new Set<Promise<void>>();

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
      for (const message of messages) {
        const run = this.process(message).finally(() => {
          this.inFlight.delete(run);
          limiter.release(1);
        });
        this.inFlight.add(run);
      }
    }
  }

  /** Waits for the receipts being handled (at most `timeoutMs`), then for their deletes. */
  async drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const finished = Promise.allSettled([...this.inFlight]).then(() => true);
    const drained = await Promise.race([finished, timedOut]);
    clearTimeout(timer);
    await this.acknowledger.flush();
    return drained;
  }

  /** Receipts of this queue being handled now. */
  get inFlightCount(): number {
    return this.inFlight.size;
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

  /** Handles one message end to end. Never rejects. */
  private async process(message: MnsMessage): Promise<void> {
    let receipt: SmsReport | SmsUp;
    try {
      receipt = decodeReceipt(this.type, message);
    } catch (error) {
      const reason = error instanceof ReceiptDecodeError ? error.message : String(error);
      this.ctx.logger.error(`Undecodable message ${message.messageId} on ${this.queue}: ${reason}`);
      this.fail('decode', message, error);
      await this.poison(message, 'undecodable', error);
      return;
    }

    let outcome: DeliveryOutcome;
    try {
      outcome = await this.ctx.deliver(receipt);
    } catch (error) {
      this.ctx.counters.handlerFailures++;
      this.fail('handler', message, error);
      if (message.dequeueCount >= this.ctx.options.maxDeliveries) {
        await this.poison(message, 'handler-failed', error);
      } else {
        await this.postpone(message, this.backoffSeconds(message.dequeueCount));
      }
      return;
    }

    if (outcome === 'busy') {
      // Another consumer is handling the same receipt right now: look again once it is done.
      await this.postpone(message, this.ctx.options.retryBackoffSeconds);
      return;
    }
    // A duplicate (already handled) is deleted too, so it does not come back.
    if (outcome === 'duplicate') this.ctx.counters.duplicates++;
    else this.ctx.counters.handled++;
    await this.delete(message);
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

  private async delete(message: MnsMessage): Promise<void> {
    try {
      await this.acknowledger.ack(message.receiptHandle);
    } catch (error) {
      this.fail('ack', message, error);
    }
  }

  private fail(kind: ReceiptFailure['kind'], message: MnsMessage, error: unknown): void {
    this.ctx.reportFailure({ kind, type: this.type, queue: this.queue, messageId: message.messageId, dequeueCount: message.dequeueCount, error });
  }
}
