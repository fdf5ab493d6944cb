import type { Logger } from '@nestjs/common';
import { postponeFailedMessage, undecodableMessage } from '../../alicom-sms.messages.js';
import type { AlicomSmsClock } from '../../clock/alicom-sms.clock.js';
import { ReceiptStoreError } from '../../errors/receipt-store.error.js';
import type { PoisonMessage, ReceiptFailure } from '../../interfaces/receipt-events.interface.js';
import type { SmsReport, SmsUp } from '../../interfaces/sms-receipt.interface.js';
import type { MnsClient } from '../../mns/mns.client.js';
import type { MnsMessage } from '../../mns/mns.types.js';
import type { AlicomMessageType } from '../../options/alicom-sms-module-options.interface.js';
import type { ResolvedReceiptOptions } from '../../options/resolved-alicom-sms-options.js';
import type { MaybePromise } from '../../utils/maybe-promise.js';
import type { DeliveryOutcome, ReceiptDelivery } from '../delivery/receipt-delivery.js';
import type { ReceiptStreams } from '../receipt-streams.js';
import type { ReceiptStoreHealth } from '../store/receipt-store-health.js';
import { decodeMnsReceipt } from './mns-receipt.decoder.js';
import { MessageDeleter } from './message-deleter.js';
import { PoisonPolicy } from './poison-policy.js';
import type { QueueCredentials } from './queue-token.provider.js';

/** Counters of one queue's messages. */
export interface QueueCounters {
  /** Receipts whose handlers all succeeded. */
  handled: number;
  /** Receipts dropped as duplicates of one already handled (and deleted). */
  duplicates: number;
  /** Handler runs that failed. */
  handlerFailures: number;
  /** Receipts left on the queue because the receipt store could not be asked (they come back). */
  storeFailures: number;
  /** Messages given to the poison policy. */
  poisoned: number;
  /** Messages deleted from MNS. */
  deleted: number;
}

/** What a processor works with. */
export interface MessageProcessorContext {
  type: AlicomMessageType;
  queue: string;
  mns: MnsClient;
  credentials: QueueCredentials;
  options: ResolvedReceiptOptions;
  delivery: ReceiptDelivery;
  streams: ReceiptStreams;
  storeHealth: ReceiptStoreHealth;
  clock: AlicomSmsClock;
  logger: Logger;
}

/** A report that may belong to a send another instance has not registered yet is looked at again this soon. */
const SEND_IN_FLIGHT_RETRY_SECONDS = 2;

/**
 * Takes each message received from one queue to its end: decode → deliver (de-duplicate,
 * handlers, Observables) → delete, or, when a handler failed, make it visible again later with
 * growing backoff; the last allowed delivery and undecodable bodies go to the poison policy.
 *
 * A message is in flight from its receipt until its delete was answered, its visibility pushed
 * out or the poison policy applied; `done` is then called once (the poller returns its permit).
 */
export class MessageProcessor {
  readonly counters: QueueCounters = { handled: 0, duplicates: 0, handlerFailures: 0, storeFailures: 0, poisoned: 0, deleted: 0 };
  private readonly deleter: MessageDeleter;
  private readonly poisonPolicy: PoisonPolicy;
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly ctx: MessageProcessorContext) {
    this.deleter = new MessageDeleter(ctx.mns, ctx.queue, ctx.credentials, ctx.clock, ctx.logger);
    this.poisonPolicy = new PoisonPolicy(ctx.type, ctx.queue, ctx.options, {
      delete: (message) => this.delete(message),
      postpone: (message, seconds) => this.postpone(message, seconds),
    }, ctx.logger);
  }

  /** Messages of this queue being processed now. */
  get inFlightCount(): number {
    return this.inFlight;
  }

  /** Processes one message; never throws. `done` is called once when the message is finished. */
  process(message: MnsMessage, done: () => void): void {
    this.inFlight++;
    const finish = () => this.finished(done);
    let receipt: SmsReport | SmsUp;
    try {
      receipt = decodeMnsReceipt(this.ctx.type, message);
    } catch (error) {
      void this.undecodable(message, error).finally(finish);
      return;
    }
    let outcome: MaybePromise<DeliveryOutcome>;
    try {
      outcome = this.ctx.delivery.deliver(receipt);
    } catch (error) {
      void this.handlerFailed(message, error).finally(finish);
      return;
    }
    if (typeof outcome === 'string') this.delivered(message, outcome, finish);
    else {
      outcome.then(
        (settled) => this.delivered(message, settled, finish),
        (error: unknown) => void this.handlerFailed(message, error).finally(finish),
      );
    }
  }

  /** Waits for the messages being processed (at most `timeoutMs`), then for their deletes. */
  async drain(timeoutMs: number): Promise<boolean> {
    let drained = true;
    if (this.inFlight > 0) {
      let cancel = () => {};
      drained = await new Promise<boolean>((resolve) => {
        cancel = this.ctx.clock.schedule(() => resolve(false), timeoutMs);
        this.idleWaiters.push(() => resolve(true));
      });
      cancel();
    }
    await this.deleter.flush();
    return drained;
  }

  /** After the handlers: delete the message (a duplicate too, so it does not come back), or look again later. */
  private delivered(message: MnsMessage, outcome: DeliveryOutcome, finish: () => void): void {
    if (outcome === 'busy') {
      // Another consumer is handling the same receipt right now: look again once it is done.
      void this.postpone(message, this.ctx.options.retryBackoffSeconds).finally(finish);
      return;
    }
    if (outcome === 'send-in-flight') {
      // Another instance's send to this number awaits its answer: correlate once it is registered.
      void this.postpone(message, SEND_IN_FLIGHT_RETRY_SECONDS).finally(finish);
      return;
    }
    if (outcome === 'duplicate') this.counters.duplicates++;
    else this.counters.handled++;
    this.deleter.delete(message, (result, error) => {
      if (result === 'deleted') this.counters.deleted++;
      else if (result === 'failed') this.fail('ack', message, error);
      finish();
    });
  }

  private async undecodable(message: MnsMessage, error: unknown): Promise<void> {
    this.ctx.logger.error(undecodableMessage(this.ctx.queue, message.messageId, (error as Error)?.message ?? String(error)));
    this.fail('decode', message, error);
    await this.poison(message, 'undecodable', error);
  }

  private async handlerFailed(message: MnsMessage, error: unknown): Promise<void> {
    if (error instanceof ReceiptStoreError) {
      // Not the receipt's fault (already logged once by the store's health): it comes back, never poisoned.
      this.counters.storeFailures++;
      await this.postpone(message, this.ctx.options.retryBackoffSeconds);
      return;
    }
    this.counters.handlerFailures++;
    this.fail('handler', message, error);
    if (message.dequeueCount >= this.ctx.options.maxDeliveries) await this.poison(message, 'handler-failed', error);
    else await this.postpone(message, this.backoffSeconds(message.dequeueCount));
  }

  private async poison(message: MnsMessage, reason: PoisonMessage['reason'], error: unknown): Promise<void> {
    this.counters.poisoned++;
    this.fail('poison', message, error);
    await this.poisonPolicy.apply(message, reason, error);
  }

  /** The message is finished: the poller gets its permit back, and a drain waiting for the last one resumes. */
  private finished(done: () => void): void {
    this.inFlight--;
    done();
    if (this.inFlight === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resume of waiters) resume();
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
      await this.ctx.mns.changeVisibility(this.ctx.queue, credentials, message.receiptHandle, seconds);
    } catch (error) {
      // Not fatal: the message still comes back after the queue's own visibility timeout.
      this.ctx.logger.warn(postponeFailedMessage(this.ctx.queue, message.messageId, (error as Error)?.message ?? String(error)));
    }
  }

  private delete(message: MnsMessage): Promise<void> {
    return new Promise<void>((resolve) => {
      this.deleter.delete(message, (result, error) => {
        if (result === 'deleted') this.counters.deleted++;
        else if (result === 'failed') this.fail('ack', message, error);
        resolve();
      });
    });
  }

  private fail(kind: ReceiptFailure['kind'], message: MnsMessage, error: unknown): void {
    const { type, queue } = this.ctx;
    this.ctx.streams.reportFailure({ source: 'mns', kind, type, queue, messageId: message.messageId, dequeueCount: message.dequeueCount, error });
  }
}
