import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Observable } from 'rxjs';
import { ALICOM_SMS_RESOLVED_OPTIONS } from '../alicom-sms.constants.js';
import { consumingQueuesMessage, receiptsNotConfiguredProblem, stoppedWithHandlersRunningMessage } from '../alicom-sms.messages.js';
import { AlicomSmsClock } from '../clock/alicom-sms.clock.js';
import { AlicomSmsConfigError } from '../errors/alicom-sms-config.error.js';
import { HttpTransport } from '../http/http-transport.js';
import type { ReceiptFailure, SmsReceiptListenerHealth } from '../interfaces/receipt-events.interface.js';
import type { SmsReport, SmsUp } from '../interfaces/sms-receipt.interface.js';
import { MnsClient } from '../mns/mns.client.js';
import type { ResolvedAlicomSmsOptions, ResolvedReceiptOptions } from '../options/resolved-alicom-sms-options.js';
import { ReceiptDelivery } from './delivery/receipt-delivery.js';
import { InFlightLimiter } from './mns/in-flight-limiter.js';
import { QueuePoller } from './mns/queue-poller.js';
import { QueueTokenProvider } from './mns/queue-token.provider.js';
import { SmsPushReceiver } from './push/sms-push.receiver.js';
import { ReceiptStreams } from './receipt-streams.js';
import { ReceiptStoreHealth } from './store/receipt-store-health.js';
import { InspectsAs } from '../utils/inspects-as.js';

/**
 * Receipts for the app: the `reports$`, `ups$` and `errors$` Observables (fed by the MNS queues,
 * HTTP pushes and back-fills alike), and the MNS queue consumption (start, stop, health).
 *
 * Delivery is at-least-once: a message is deleted from MNS only after every handler of its
 * receipt resolved; a failing handler means the message comes back later (with growing backoff).
 * Observables see a receipt after its handlers succeeded.
 *
 * Polling starts on application bootstrap (unless `receipts.autoStart` is false) and stops on
 * shutdown: the open long-polls are aborted at once, in-flight handlers are awaited (bounded by
 * `receipts.shutdownTimeoutMs`) and their deletes sent.
 *
 * @publicApi
 */
@Injectable()
@InspectsAs((listener: SmsReceiptListener) => {
  const { configured, running, queues, inFlight, handled } = listener.health();
  return { configured, running, queues: queues.map((q) => q.queue), inFlight, handled };
})
export class SmsReceiptListener implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('AlicomSms');
  private pollers?: QueuePoller[];
  private controller?: AbortController;
  private loops: Promise<void>[] = [];
  private startedAt?: Date;
  private stopping?: Promise<void>;

  /**
   * Final delivery reports whose handlers succeeded, once per (bizId, phone), whatever their
   * `source`. Subscribers must not throw.
   */
  readonly reports$: Observable<SmsReport>;
  /** Replies (mobile-originated SMS) whose handlers succeeded, once each. Subscribers must not throw. */
  readonly ups$: Observable<SmsUp>;
  /** Undecodable receipts (queued or pushed), failed handlers, poison messages and failed deletes. */
  readonly errors$: Observable<ReceiptFailure>;

  constructor(
    @Inject(ALICOM_SMS_RESOLVED_OPTIONS) private readonly options: ResolvedAlicomSmsOptions,
    private readonly transport: HttpTransport,
    private readonly tokens: QueueTokenProvider,
    private readonly delivery: ReceiptDelivery,
    private readonly streams: ReceiptStreams,
    private readonly clock: AlicomSmsClock,
    private readonly storeHealth: ReceiptStoreHealth,
    private readonly pushReceiver: SmsPushReceiver,
  ) {
    this.reports$ = streams.reports$;
    this.ups$ = streams.ups$;
    this.errors$ = streams.errors$;
  }

  /** `true` while polling. */
  get running(): boolean {
    return this.controller !== undefined && !this.controller.signal.aborted;
  }

  /** Starts polling every configured queue. Does nothing when already running. */
  async start(): Promise<void> {
    const receipts = this.options.receipts;
    if (!receipts) throw new AlicomSmsConfigError([{ field: 'receipts', problem: receiptsNotConfiguredProblem }]);
    if (this.stopping) await this.stopping;
    if (this.running) return;
    const pollers = this.getPollers(receipts);
    const controller = new AbortController();
    this.controller = controller;
    this.startedAt = new Date(this.clock.now());
    const loops = pollers.length * receipts.pollersPerQueue;
    const share = Math.min(receipts.batchSize, Math.max(1, Math.floor(receipts.maxInFlight / loops)));
    this.loops = pollers.flatMap((poller) =>
      Array.from({ length: receipts.pollersPerQueue }, () => poller.poll(controller.signal, share)),
    );
    this.logger.log(consumingQueuesMessage(pollers.map((p) => p.queue), receipts.pollersPerQueue, receipts.maxInFlight));
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

  /** Counters and per-queue poll state, and the push receiver's when `push` is configured. */
  health(): SmsReceiptListenerHealth {
    const pollers = this.pollers ?? [];
    const receipts = this.options.receipts;
    const sum = (count: (poller: QueuePoller) => number) => pollers.reduce((n, p) => n + count(p), 0);
    return {
      configured: receipts !== false,
      running: this.running,
      startedAt: this.running ? this.startedAt : undefined,
      waitSeconds: receipts ? receipts.waitSeconds : undefined,
      maxInFlight: receipts ? receipts.maxInFlight : undefined,
      inFlight: sum((p) => p.processor.inFlightCount),
      handled: sum((p) => p.processor.counters.handled),
      duplicates: sum((p) => p.processor.counters.duplicates),
      handlerFailures: sum((p) => p.processor.counters.handlerFailures),
      deleted: sum((p) => p.processor.counters.deleted),
      poisoned: sum((p) => p.processor.counters.poisoned),
      storeFailures: sum((p) => p.processor.counters.storeFailures),
      queues: pollers.map((p) => ({ ...p.health })),
      store: this.storeHealth.snapshot(),
      push: this.pushReceiver.health(),
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
  }

  private async doStop(): Promise<void> {
    const controller = this.controller;
    if (!controller) return;
    controller.abort();
    await Promise.allSettled(this.loops);
    this.loops = [];
    const timeout = this.options.receipts ? this.options.receipts.shutdownTimeoutMs : 0;
    const results = await Promise.all((this.pollers ?? []).map((p) => p.drain(timeout)));
    if (results.includes(false)) this.logger.warn(stoppedWithHandlersRunningMessage(timeout));
    this.controller = undefined;
  }

  private getPollers(receipts: ResolvedReceiptOptions): QueuePoller[] {
    if (this.pollers) return this.pollers;
    const mns = new MnsClient(this.transport, this.options.endpoints.mns);
    const limiter = new InFlightLimiter(receipts.maxInFlight);
    this.pollers = receipts.types.map(
      (type) =>
        new QueuePoller({
          type,
          queue: receipts.queuePrefix + type,
          mns,
          limiter,
          credentials: this.tokens.forQueue(type),
          options: receipts,
          delivery: this.delivery,
          streams: this.streams,
          storeHealth: this.storeHealth,
          clock: this.clock,
          logger: this.logger,
        }),
    );
    return this.pollers;
  }
}
