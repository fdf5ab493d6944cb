import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import { ALICOM_SMS_RESOLVED_OPTIONS } from '../alicom-sms.constants.js';
import { AlicomSmsConfigError } from '../errors/alicom-sms-config.error.js';
import { HttpTransport } from '../http/http-transport.js';
import type { AlicomMessageType, ResolvedAlicomSmsOptions } from '../interfaces/alicom-sms-module-options.interface.js';
import type { ReceiptFailure, SmsReceiptListenerHealth } from '../interfaces/receipt-events.interface.js';
import type { SmsReport, SmsUp } from '../interfaces/sms-receipt.interface.js';
import { MnsClient } from '../mns/mns.client.js';
import { InFlightLimiter } from './in-flight-limiter.js';
import { QueueConsumer } from './queue-consumer.js';
import { QueueTokenProvider } from './queue-token.provider.js';
import { ReceiptDelivery } from './receipt-delivery.js';

/**
 * Consumes the Alicom receipt queues (MNS long-poll) and delivers each receipt to the
 * `@OnSmsReport()` / `@OnSmsUp()` handlers and to the `reports$` / `ups$` Observables.
 *
 * Delivery is at-least-once: a message is deleted from MNS only after every handler of its
 * receipt resolved; a failing handler means the message comes back later (with growing backoff).
 * Observables see a receipt after its handlers succeeded, so a redelivered receipt is only
 * published again if it is delivered again.
 *
 * Polling starts on application bootstrap (unless `receipts.autoStart` is false) and stops on
 * shutdown: the open long-polls are aborted at once, in-flight handlers are awaited (bounded by
 * `receipts.shutdownTimeoutMs`) and their deletes sent.
 *
 * @publicApi
 */
@Injectable()
export class SmsReceiptListener implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('AlicomSms');
  private readonly errorsSubject = new Subject<ReceiptFailure>();
  private readonly counters = { handled: 0, duplicates: 0, handlerFailures: 0, poisoned: 0 };
  private consumers?: QueueConsumer[];
  private limiter?: InFlightLimiter;
  private controller?: AbortController;
  private loops: Promise<void>[] = [];
  private startedAt?: Date;
  private stopping?: Promise<void>;

  /**
   * Final delivery reports whose handlers succeeded, once per (bizId, phone) — from the queue or
   * from the compensation back-fill (`source`). Subscribers must not throw.
   */
  readonly reports$: Observable<SmsReport>;
  /** Replies (mobile-originated SMS) whose handlers succeeded, once each. Subscribers must not throw. */
  readonly ups$: Observable<SmsUp>;
  /** Undecodable messages, failed handlers, poison messages and failed deletes. */
  readonly errors$: Observable<ReceiptFailure> = this.errorsSubject.asObservable();

  constructor(
    @Inject(ALICOM_SMS_RESOLVED_OPTIONS) private readonly options: ResolvedAlicomSmsOptions,
    private readonly transport: HttpTransport,
    private readonly tokens: QueueTokenProvider,
    private readonly delivery: ReceiptDelivery,
  ) {
    this.reports$ = delivery.reports.asObservable();
    this.ups$ = delivery.ups.asObservable();
  }

  /** `true` while polling. */
  get running(): boolean {
    return this.controller !== undefined && !this.controller.signal.aborted;
  }

  /** Starts polling every configured queue. Does nothing when already running. */
  async start(): Promise<void> {
    const receipts = this.options.receipts;
    if (!receipts) {
      throw new AlicomSmsConfigError([
        { field: 'receipts', problem: "is not configured; pass receipts: { queuePrefix: 'Alicom-Queue-<uid>-' } to AlicomSmsModule.forRoot() to consume receipts" },
      ]);
    }
    if (this.stopping) await this.stopping;
    if (this.running) return;
    const consumers = this.getConsumers();
    const controller = new AbortController();
    this.controller = controller;
    this.startedAt = new Date();
    const pollers = consumers.length * receipts.pollersPerQueue;
    const share = Math.min(receipts.batchSize, Math.max(1, Math.floor(receipts.maxInFlight / pollers)));
    this.loops = consumers.flatMap((consumer) =>
      Array.from({ length: receipts.pollersPerQueue }, () => consumer.poll(controller.signal, share)),
    );
    this.logger.log(
      `Consuming ${consumers.map((c) => c.queue).join(', ')} (${receipts.pollersPerQueue} poller(s) each, at most ${receipts.maxInFlight} in flight)`,
    );
  }

  /**
   * Stops polling: aborts the open long-polls, waits for in-flight handlers (up to
   * `receipts.shutdownTimeoutMs`) and sends their deletes. Safe to call repeatedly.
   */
  stop(): Promise<void> {
    if (!this.controller) return Promise.resolve();
    this.stopping ??= this.doStop().finally(() => {
      this.stopping = undefined;
    });
    return this.stopping;
  }

  /** Counters and per-queue poll state. */
  health(): SmsReceiptListenerHealth {
    const consumers = this.consumers ?? [];
    const receipts = this.options.receipts;
    return {
      configured: receipts !== false,
      running: this.running,
      startedAt: this.running ? this.startedAt : undefined,
      waitSeconds: receipts ? receipts.waitSeconds : undefined,
      maxInFlight: receipts ? receipts.maxInFlight : undefined,
      inFlight: consumers.reduce((n, c) => n + c.inFlightCount, 0),
      handled: this.counters.handled,
      duplicates: this.counters.duplicates,
      handlerFailures: this.counters.handlerFailures,
      deleted: consumers.reduce((n, c) => n + c.deleted, 0),
      poisoned: this.counters.poisoned,
      queues: consumers.map((c) => ({ ...c.health })),
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    const receipts = this.options.receipts;
    if (receipts && receipts.autoStart) await this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
    this.errorsSubject.complete();
  }

  private async doStop(): Promise<void> {
    const controller = this.controller;
    if (!controller) return;
    controller.abort();
    await Promise.allSettled(this.loops);
    this.loops = [];
    const timeout = this.options.receipts ? this.options.receipts.shutdownTimeoutMs : 0;
    const results = await Promise.all((this.consumers ?? []).map((c) => c.drain(timeout)));
    if (results.includes(false)) {
      this.logger.warn(`Stopped with handlers still running after ${timeout} ms; their messages will be redelivered`);
    }
    this.controller = undefined;
  }

  private getConsumers(): QueueConsumer[] {
    if (this.consumers) return this.consumers;
    const receipts = this.options.receipts as Exclude<ResolvedAlicomSmsOptions['receipts'], false>;
    const mns = new MnsClient(this.transport, this.options.endpoints.mns);
    this.limiter = new InFlightLimiter(receipts.maxInFlight);
    const limiter = this.limiter;
    this.consumers = receipts.types.map(
      (type: AlicomMessageType) =>
        new QueueConsumer(type, receipts.queuePrefix + type, {
          mns,
          limiter,
          options: receipts,
          logger: this.logger,
          credentials: {
            get: (signal) => this.tokens.get(type, signal),
            invalidate: (rejected) => this.tokens.invalidate(type, rejected),
          },
          deliver: (receipt) => this.delivery.deliverNow(receipt),
          reportFailure: (failure) => this.errorsSubject.next(failure),
          counters: this.counters,
        }),
    );
    return this.consumers;
  }
}
