import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ALICOM_SMS_RESOLVED_OPTIONS } from '../../alicom-sms.constants.js';
import {
  pushDeadlinePassedMessage,
  pushInternalErrorMessage,
  pushInvalidBodyMessage,
  pushInvalidItemsMessage,
  pushNotConfiguredProblem,
  pushStoppedWithHandlersRunningMessage,
} from '../../alicom-sms.messages.js';
import { AlicomSmsClock } from '../../clock/alicom-sms.clock.js';
import { AlicomSmsConfigError } from '../../errors/alicom-sms-config.error.js';
import { PushBodyError } from '../../errors/push-body.error.js';
import { ReceiptDecodeError } from '../../errors/receipt-decode.error.js';
import type { ReceiptFailure, SmsPushReceiverHealth } from '../../interfaces/receipt-events.interface.js';
import type { SmsReport, SmsUp } from '../../interfaces/sms-receipt.interface.js';
import type { AlicomMessageType } from '../../options/alicom-sms-module-options.interface.js';
import type { ResolvedAlicomSmsOptions, ResolvedPushOptions } from '../../options/resolved-alicom-sms-options.js';
import { ReceiptStoreError } from '../../errors/receipt-store.error.js';
import { type DeliveryOutcome, ReceiptDelivery } from '../delivery/receipt-delivery.js';
import { ReceiptStreams } from '../receipt-streams.js';
import {
  answerFor,
  BUSY_ANSWER,
  INTERNAL_ERROR_ANSWER,
  invalidBodyAnswer,
  type PushTally,
  SHUTTING_DOWN_ANSWER,
  type SmsPushAnswer,
} from './push-answers.js';
import { arrayItemTexts, pushItemsOf } from './push-body.js';
import { receiptFromPushItem } from './push-items.js';
import { PushRequestSlot } from './push-request-slot.js';
import { InspectsAs } from '../../utils/inspects-as.js';

/**
 * Where a pushed body came from, for `SmsPushReceiver.receive()`.
 *
 * @publicApi
 */
export interface SmsPushRequestInfo {
  /**
   * The message type whose URL (set per type in the SMS console) received the body. Absent: the
   * type of each item is told by its fields.
   */
  type?: AlicomMessageType;
  /** The path that received it, without the secret: named in `errors$` and in logs. */
  path?: string;
}

type ItemOutcome = DeliveryOutcome | 'failed';

/**
 * Takes pushed requests to their answer, for the module's own routes (push-http-endpoint.ts) and
 * for `SmsPushReceiver.receive()`: the slots (`maxConcurrentRequests`) with their deadline, the
 * strict reading of the body and its items, delivery through the one `ReceiptDelivery`, the
 * answer (push-answers.ts), the counters, and the drain at shutdown.
 */
@Injectable()
@InspectsAs()
export class PushIntake implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('AlicomSms');
  private readonly options: ResolvedPushOptions | false;
  private active = 0;
  private accepting = true;
  private routesRegistered = false;
  private idleWaiters: Array<() => void> = [];
  private readonly counters = {
    acknowledged: 0,
    retryRequested: 0,
    invalidBodies: 0,
    forbidden: 0,
    handled: 0,
    duplicates: 0,
    invalidItems: 0,
    handlerFailures: 0,
  };
  private lastRequestAt?: number;

  constructor(
    @Inject(ALICOM_SMS_RESOLVED_OPTIONS) options: ResolvedAlicomSmsOptions,
    private readonly delivery: ReceiptDelivery,
    private readonly streams: ReceiptStreams,
    private readonly clock: AlicomSmsClock,
  ) {
    this.options = options.push;
  }

  /** Admits, reads and answers one request whose body the app has read (see `SmsPushReceiver.receive()`). */
  async receive(body: unknown, info: SmsPushRequestInfo = {}): Promise<SmsPushAnswer> {
    const slot = this.admit();
    if (!(slot instanceof PushRequestSlot)) return slot;
    try {
      return await this.process(body, info, slot);
    } catch (error) {
      return this.internalError(info, error);
    } finally {
      slot.answered();
    }
  }

  /** Whether `candidate` is `push.secret` (constant time). */
  isSecretValid(candidate: unknown): boolean {
    const push = this.configured();
    return push.secret !== undefined && push.secret.matches(candidate);
  }

  /** Counters and state; `undefined` when `push` is not configured. */
  health(): SmsPushReceiverHealth | undefined {
    const push = this.options;
    if (!push) return undefined;
    return {
      types: [...push.types],
      accepting: this.accepting,
      routesRegistered: this.routesRegistered,
      activeRequests: this.active,
      maxConcurrentRequests: push.maxConcurrentRequests,
      ...this.counters,
      lastRequestAt: this.lastRequestAt === undefined ? undefined : new Date(this.lastRequestAt),
    };
  }

  /**
   * Takes a slot for a request (with the secret already checked), or answers at once: busy at
   * `maxConcurrentRequests`, or shutting down.
   */
  admit(): PushRequestSlot | SmsPushAnswer {
    const push = this.configured();
    this.lastRequestAt = this.clock.now();
    if (!this.accepting || this.active >= push.maxConcurrentRequests) {
      this.counters.retryRequested++;
      return this.accepting ? BUSY_ANSWER : SHUTTING_DOWN_ANSWER;
    }
    this.active++;
    return new PushRequestSlot(this.clock, push.answerTimeoutMs, () => this.freed());
  }

  /**
   * Decodes the body, delivers its receipts and decides the answer, within the slot's deadline.
   */
  async process(body: unknown, info: SmsPushRequestInfo, slot: PushRequestSlot): Promise<SmsPushAnswer> {
    const push = this.configured();
    let items: unknown[];
    let text: string | undefined;
    try {
      ({ items, text } = pushItemsOf(body));
    } catch (error) {
      if (!(error instanceof PushBodyError)) throw error;
      return this.invalidBody(error, info);
    }
    const tally: PushTally = { handled: 0, duplicates: 0, invalid: 0, failed: 0, busy: 0, unfinished: 0 };
    const invalid: Array<{ index: number; error: unknown }> = [];
    const running: Array<Promise<void>> = [];
    let itemTexts: string[] | undefined;
    const itemText = (index: number) => () => (itemTexts ??= text === undefined ? [] : arrayItemTexts(text))[index];
    items.forEach((item, index) => {
      let receipt: SmsReport | SmsUp;
      try {
        receipt = receiptFromPushItem(item, { index, routeType: info.type, types: push.types, text: itemText(index) });
      } catch (error) {
        tally.invalid++;
        invalid.push({ index, error });
        this.report('decode', info, error, { index, type: typeOf(error) });
        return;
      }
      const outcome = this.deliver(receipt, info, index);
      if (typeof outcome === 'string') count(tally, outcome);
      else {
        tally.unfinished++;
        slot.hold(outcome);
        running.push(
          outcome.then((settled) => {
            if (slot.expired) return;
            tally.unfinished--;
            count(tally, settled);
          }),
        );
      }
    });
    this.counters.invalidItems += tally.invalid;
    if (invalid.length > 0) this.logger.warn(pushInvalidItemsMessage(info.path, invalid, items.length));
    if (running.length > 0) await Promise.race([Promise.all(running), slot.deadline]);
    if (tally.unfinished > 0) this.logger.warn(pushDeadlinePassedMessage(info.path, tally.unfinished, push.answerTimeoutMs));
    const answer = answerFor(tally, push.answerTimeoutMs);
    if (answer.body.code === 0) this.counters.acknowledged++;
    else this.counters.retryRequested++;
    return answer;
  }

  /** A body refused before any item was read (also for the HTTP route, which reads the body itself). */
  invalidBody(error: PushBodyError, info: SmsPushRequestInfo): SmsPushAnswer {
    const push = this.configured();
    this.counters.invalidBodies++;
    this.logger.warn(pushInvalidBodyMessage(info.path, error.message));
    this.report('decode', info, error, { type: info.type });
    return invalidBodyAnswer(error, push.maxBodyBytes, push.answerTimeoutMs);
  }

  /** Something that should not happen went wrong while taking a request: log it, ask for a retry. */
  internalError(info: SmsPushRequestInfo, error: unknown): SmsPushAnswer {
    this.counters.retryRequested++;
    const message = error instanceof Error ? error.message : String(error);
    this.logger.error(pushInternalErrorMessage(info.path, message), error instanceof Error ? error.stack : undefined);
    return INTERNAL_ERROR_ANSWER;
  }

  /** A request refused for its secret or source address. */
  countForbidden(): void {
    this.counters.forbidden++;
  }

  /** The routes were registered on the HTTP platform. */
  markRoutesRegistered(): void {
    this.routesRegistered = true;
  }

  /** Stops taking requests (they are answered 503) and waits for the running ones, at most `push.shutdownTimeoutMs`. */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.options || !this.accepting) return;
    this.accepting = false;
    if (this.active === 0) return;
    let cancel = () => {};
    const drained = await new Promise<boolean>((resolve) => {
      cancel = this.clock.schedule(() => resolve(false), (this.options as ResolvedPushOptions).shutdownTimeoutMs);
      this.idleWaiters.push(() => resolve(true));
    });
    cancel();
    if (!drained) this.logger.warn(pushStoppedWithHandlersRunningMessage(this.options.shutdownTimeoutMs));
  }

  onApplicationShutdown(): Promise<void> {
    return this.beforeApplicationShutdown();
  }

  /** Runs the receipt through the one delivery door; a failure becomes the outcome `'failed'`. */
  private deliver(receipt: SmsReport | SmsUp, info: SmsPushRequestInfo, index: number): ItemOutcome | Promise<ItemOutcome> {
    const failed = (error: unknown): ItemOutcome => {
      // The receipt store did not answer (logged once by its health): nothing ran, push again later.
      if (error instanceof ReceiptStoreError) return 'busy';
      this.counters.handlerFailures++;
      this.report('handler', info, error, { index, type: receipt.type });
      return 'failed';
    };
    const counted = (outcome: DeliveryOutcome): ItemOutcome => {
      if (outcome === 'handled') this.counters.handled++;
      else if (outcome === 'duplicate') this.counters.duplicates++;
      return outcome;
    };
    try {
      const outcome = this.delivery.deliver(receipt);
      return typeof outcome === 'string' ? counted(outcome) : outcome.then(counted, failed);
    } catch (error) {
      return failed(error);
    }
  }

  private report(kind: ReceiptFailure['kind'], info: SmsPushRequestInfo, error: unknown, item: { index?: number; type?: AlicomMessageType }): void {
    this.streams.reportFailure({ source: 'push', kind, type: item.type ?? info.type, path: info.path, itemIndex: item.index, error });
  }

  private freed(): void {
    this.active--;
    if (this.active === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resume of waiters) resume();
    }
  }

  private configured(): ResolvedPushOptions {
    if (!this.options) throw new AlicomSmsConfigError([{ field: 'push', problem: pushNotConfiguredProblem }]);
    return this.options;
  }
}

function count(tally: PushTally, outcome: ItemOutcome): void {
  if (outcome === 'handled') tally.handled++;
  else if (outcome === 'duplicate') tally.duplicates++;
  // A send to its number in flight on another instance: pushed again, it will be correlated.
  else if (outcome === 'busy' || outcome === 'send-in-flight') tally.busy++;
  else tally.failed++;
}

function typeOf(error: unknown): AlicomMessageType | undefined {
  if (error instanceof ReceiptDecodeError) return error.messageType;
  if (error instanceof PushBodyError) return error.messageType;
  return undefined;
}
