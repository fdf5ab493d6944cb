import {
  closeLoopbackEndpoint,
  serveEndpoint,
  startLoopbackEndpoints,
  type EndpointRoute,
  type LoopbackEndpoint,
} from './loopback-endpoint.js';
import { EmulatedMns } from './mns/emulated-mns.js';
import { EmulatedPush } from './push/emulated-push.js';
import { resolvePushSettings } from './push/push-settings.js';
import { ReceiptRouter } from './receipt-router.js';
import { QuerySendDetailsAction } from './rpc/actions/query-send-details.action.js';
import { QueryTokenForMnsQueueAction } from './rpc/actions/query-token-for-mns-queue.action.js';
import { SendBatchSmsAction } from './rpc/actions/send-batch-sms.action.js';
import { SendSmsAction } from './rpc/actions/send-sms.action.js';
import type {
  AlicomEmulatorOptions,
  EmulatedDeliveryOutcome,
  EmulatedDeliveryRequest,
  EmulatedDropOptions,
  EmulatedRpcFailure,
} from './rpc/alicom-emulator-options.interface.js';
import { DeliveryScheduler } from './rpc/delivery-scheduler.js';
import type {
  EmulatedRecipient,
  EmulatedReply,
  EmulatedRpcAction,
  EmulatedRpcRequest,
  EmulatedSend,
  EmulatedSendFilter,
} from './rpc/emulated-records.interface.js';
import { MinuteRateLimiter } from './rpc/minute-rate-limiter.js';
import { buildSmsUpMessage } from './rpc/receipt-messages.js';
import type { RpcAction, RpcProduct } from './rpc/rpc-action.interface.js';
import { RpcFaultInjector } from './rpc/rpc-fault-injector.js';
import { RpcRequestAuthenticator } from './rpc/rpc-request-authenticator.js';
import { RpcRequestHandler } from './rpc/rpc-request-handler.js';
import { RpcRequestLog } from './rpc/rpc-request-log.js';
import { SendLedger } from './rpc/send-ledger.js';
import { SmsSendAcceptor } from './rpc/sms-send-acceptor.js';
import { createSeededRandom } from './seeded-random.js';

/**
 * AccessKeyId of the pair every emulator accepts (see {@link AlicomEmulator.credentials}).
 * @publicApi
 */
export const EMULATOR_ACCESS_KEY_ID = 'LTAIEmulatorKeyId';
/**
 * AccessKeySecret of the default pair; a fixed, public test value.
 * @publicApi
 */
export const EMULATOR_ACCESS_KEY_SECRET = 'emulator-secret';
/**
 * Customer account uid the emulator uses when none is given; it names the receipt queues.
 * @publicApi
 */
export const EMULATOR_ACCOUNT_UID = '1092397003988387';

const QUEUES_PATH_PREFIX = '/queues/';
/** RPC requests always go to `/` (PROTOCOL.md §1.1). */
const RPC_PATH = '/';
/** First `sequence_id` of emulated SmsUp messages. */
const FIRST_SMS_UP_SEQUENCE_ID = 987654321;

/** Succeeds for everyone; the default of {@link AlicomEmulatorOptions.delivery}. */
const deliverEverything = (): EmulatedDeliveryOutcome => ({ success: true });

/**
 * A local stand-in for Alibaba Cloud SMS: the Dysmsapi actions (SendSms, SendBatchSms,
 * QuerySendDetails), the Dybaseapi action QueryTokenForMnsQueue and the Alicom MNS receipt queues,
 * each on a real HTTP server of its own at 127.0.0.1, as Alibaba serves each product on its own
 * host. It verifies requests the way Alibaba does (POP HMAC-SHA1 signatures, timestamps, nonces,
 * parameter rules), records every send, produces SmsReport / SmsUp messages on the queues (or
 * pushes them by HTTP, see {@link push}) and lets tests inject failures.
 *
 * ```ts
 * const emulator = await AlicomEmulator.start();
 * // configure the client with emulator.endpoints, emulator.credentials, emulator.queuePrefix
 * await emulator.close();
 * ```
 * @publicApi
 */
export class AlicomEmulator {
  /** Origin of the Dysmsapi endpoint (the same as `endpoints.sms`), e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /**
   * Endpoints to give the client, one origin per product: `sms` (Dysmsapi: SendSms, SendBatchSms,
   * QuerySendDetails), `token` (Dybaseapi: QueryTokenForMnsQueue) and `mns` (the receipt queues).
   * An action sent to the other product's endpoint answers 404 `InvalidAction.NotFound`, as at Alibaba.
   */
  readonly endpoints: { readonly sms: string; readonly token: string; readonly mns: string };
  /** An AccessKey pair the RPC side accepts. */
  readonly credentials: { readonly accessKeyId: string; readonly accessKeySecret: string };
  /** Customer account uid of the emulated account. */
  readonly accountUid: string;
  /** `Alicom-Queue-<accountUid>-`: the receipt queues' name prefix. */
  readonly queuePrefix: string;
  /** Full names of the two receipt queues the emulator created. */
  readonly queues: { readonly SmsReport: string; readonly SmsUp: string };
  /** The emulated MNS side, holding the receipt queues. */
  readonly mns: EmulatedMns;
  /**
   * The emulated HTTP batch push: configure it to have a type's receipts POSTed to a URL instead
   * of put on its queue, then inspect every attempt (see {@link EmulatedPush}).
   */
  readonly push: EmulatedPush;
  /** Delay in ms added before every RPC answer (timeouts, slow networks); never less, by `performance.now()`. */
  latencyMs: number;
  /** Delay in ms between accepting a send and its final outcome; applies to later sends. */
  reportDelayMs: number;
  /** Decides each recipient's outcome; replace it to make later sends fail. */
  delivery: (request: EmulatedDeliveryRequest) => EmulatedDeliveryOutcome;
  /** Fraction (0-1) of SmsReports lost before reaching the queue or the push; QuerySendDetails still knows the outcome. */
  reportDropRate: number;
  /** Fraction (0-1) of SmsReports delivered twice: two distinct queue messages, or pushed in two requests. */
  reportDuplicateRate: number;
  /** Extra ms between an outcome becoming final (QuerySendDetails shows it) and its SmsReport reaching the queue (not the push). */
  reportQueueDelayMs: number;

  private readonly ledger = new SendLedger();
  private readonly requestLog = new RpcRequestLog();
  private readonly faults = new RpcFaultInjector();
  private readonly rateLimiter?: MinuteRateLimiter;
  private readonly deliveries: DeliveryScheduler;
  private readonly receipts: ReceiptRouter;
  private readonly rpc: RpcRequestHandler;
  private readonly clock: () => Date;
  private nextSmsUpSequenceId = FIRST_SMS_UP_SEQUENCE_ID;
  private closing?: Promise<void>;

  private constructor(
    private readonly listeners: Readonly<Record<'sms' | 'token' | 'mns', LoopbackEndpoint>>,
    options: AlicomEmulatorOptions,
  ) {
    this.endpoints = { sms: listeners.sms.origin, token: listeners.token.origin, mns: listeners.mns.origin };
    this.url = this.endpoints.sms;
    const accessKeys = new Map([[EMULATOR_ACCESS_KEY_ID, EMULATOR_ACCESS_KEY_SECRET], ...Object.entries(options.accessKeys ?? {})]);
    this.credentials = { accessKeyId: EMULATOR_ACCESS_KEY_ID, accessKeySecret: accessKeys.get(EMULATOR_ACCESS_KEY_ID)! };
    this.accountUid = options.accountUid ?? EMULATOR_ACCOUNT_UID;
    this.queuePrefix = `Alicom-Queue-${this.accountUid}-`;
    this.queues = { SmsReport: `${this.queuePrefix}SmsReport`, SmsUp: `${this.queuePrefix}SmsUp` };
    this.latencyMs = options.latencyMs ?? 0;
    this.reportDelayMs = options.reportDelayMs ?? 0;
    this.delivery = options.delivery ?? deliverEverything;
    this.reportDropRate = options.reportDropRate ?? 0;
    this.reportDuplicateRate = options.reportDuplicateRate ?? 0;
    this.reportQueueDelayMs = options.reportQueueDelayMs ?? 0;
    this.clock = options.clock ?? (() => new Date());

    this.mns = new EmulatedMns({ ...options.mns, hostId: options.mns?.hostId ?? this.endpoints.mns });
    this.mns.createQueue(this.queues.SmsReport);
    this.mns.createQueue(this.queues.SmsUp);
    this.push = new EmulatedPush(createSeededRandom(this.mns.seed + 2));
    if (options.push) this.push.configure(options.push);
    this.receipts = new ReceiptRouter({
      mns: this.mns,
      queues: this.queues,
      push: this.push,
      reportQueueDelayMs: () => this.reportQueueDelayMs,
    });

    if (options.businessLimit) this.rateLimiter = new MinuteRateLimiter(options.businessLimit.perMinute);
    this.deliveries = new DeliveryScheduler({
      publishReport: (send, recipient, copies) => this.receipts.report(send, recipient, copies),
      delayMs: () => this.reportDelayMs,
      clock: this.clock,
      reportFaults: () => ({ dropRate: this.reportDropRate, duplicateRate: this.reportDuplicateRate }),
      random: createSeededRandom(this.mns.seed + 1),
    });
    const acceptor = new SmsSendAcceptor({
      templates: options.templates,
      signNames: options.signNames,
      rateLimiter: this.rateLimiter,
      ledger: this.ledger,
      deliveries: this.deliveries,
      decideDelivery: () => this.delivery,
      clock: this.clock,
    });
    const actions: RpcAction[] = [
      new SendSmsAction(acceptor),
      new SendBatchSmsAction(acceptor),
      new QuerySendDetailsAction(this.ledger, this.clock),
      new QueryTokenForMnsQueueAction(this.mns, this.queuePrefix),
    ];
    this.rpc = new RpcRequestHandler({
      authenticator: new RpcRequestAuthenticator({ accessKeys, clock: this.clock }),
      actions: new Map(actions.map((action) => [action.name, action])),
      faults: this.faults,
      requestLog: this.requestLog,
      clock: this.clock,
      latencyMs: () => this.latencyMs,
    });
    serveEndpoint(listeners.sms, this.rpcRoute('Dysmsapi'));
    serveEndpoint(listeners.token, this.rpcRoute('Dybaseapi'));
    serveEndpoint(listeners.mns, {
      serves: (path) => path.startsWith(QUEUES_PATH_PREFIX),
      description: `The emulated MNS endpoint serves the receipt queues under ${QUEUES_PATH_PREFIX}.`,
      handle: (req, res, rawBody) => this.mns.handle(req, res, rawBody),
    });
  }

  /**
   * Starts an emulator listening on 127.0.0.1, one port per product (see {@link endpoints}), and
   * creates its SmsReport and SmsUp queues.
   */
  static async start(options: AlicomEmulatorOptions = {}): Promise<AlicomEmulator> {
    // Checked before anything listens, so bad settings leave no server behind.
    if (options.push) resolvePushSettings(options.push);
    const ports = options.ports ?? {};
    const [sms, token, mns] = await startLoopbackEndpoints([ports.sms ?? 0, ports.token ?? 0, ports.mns ?? 0]);
    return new AlicomEmulator({ sms, token, mns }, options);
  }

  /** Every accepted SendSms / SendBatchSms call, oldest first (live: statuses update). */
  get sends(): ReadonlyArray<EmulatedSend> {
    return this.ledger.all;
  }

  /** Every RPC request that reached the server, oldest first, whatever its answer. */
  get rpcRequests(): ReadonlyArray<EmulatedRpcRequest> {
    return this.requestLog.all;
  }

  /** Accepted sends matching every given field of `filter`. */
  findSends(filter: EmulatedSendFilter = {}): EmulatedSend[] {
    return this.ledger.find(filter);
  }

  /** The most recent message to a number (any prefix form) with its send, if any. */
  lastMessageTo(phoneNumber: string): { send: EmulatedSend; recipient: EmulatedRecipient } | undefined {
    return this.ledger.latestTo(phoneNumber);
  }

  /** RPC requests received for `action` (all actions when omitted), including rejected and dropped ones. */
  requestCount(action?: EmulatedRpcAction): number {
    return this.requestLog.count(action);
  }

  /**
   * Answers the next `times` authenticated requests of `action` with a failure instead of
   * processing them: HTTP 200 + `Code` (a business error) by default, or a gateway error when
   * `httpStatus` is 400 or more.
   */
  failNext(action: EmulatedRpcAction, failure: EmulatedRpcFailure, times = 1): void {
    this.faults.add(action, { kind: 'fail', failure }, times);
  }

  /**
   * Destroys the connection of the next `times` authenticated requests of `action` without an
   * answer. The request is still logged (see {@link rpcRequests}, `dropped: true`).
   */
  dropConnectionNext(action: EmulatedRpcAction, times = 1, options: EmulatedDropOptions = {}): void {
    this.faults.add(action, { kind: 'drop', afterProcessing: options.afterProcessing ?? false }, times);
  }

  /**
   * A handset replies: puts an SmsUp message on the SmsUp queue and returns its MessageId, or,
   * when SmsUp is pushed, hands it to the push and returns its receipt id (see
   * `push.attempts[].receiptIds`). `destCode` and `signName` default to those of the latest send
   * to that number.
   */
  reply(message: EmulatedReply): string {
    const latest = this.ledger.latestTo(message.phoneNumber);
    const body = buildSmsUpMessage({
      phoneNumber: message.phoneNumber,
      content: message.content,
      destCode: message.destCode ?? latest?.recipient.smsUpExtendCode ?? '',
      signName: message.signName ?? latest?.recipient.signName,
      sequenceId: this.nextSmsUpSequenceId++,
      sentAt: this.clock(),
    });
    return this.receipts.reply(body, latest?.send.templateCode);
  }

  /**
   * Forgets recorded sends and requests, queued faults, frequency-control history, pending
   * outcomes, and pending pushes with their record. Queue contents, push settings and used nonces
   * are kept.
   */
  reset(): void {
    this.deliveries.cancelAll();
    this.push.reset();
    this.ledger.clear();
    this.requestLog.clear();
    this.faults.clear();
    this.rateLimiter?.clear();
  }

  /**
   * Stops pending outcomes and pushes (requests in flight are aborted), closes the MNS side and the
   * servers, keep-alive connections included.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.deliveries.cancelAll();
      this.push.close();
      this.mns.close();
      await Promise.all(Object.values(this.listeners).map(closeLoopbackEndpoint));
    })();
    return this.closing;
  }

  /** The RPC endpoint of one product: POP requests at `/`, that product's actions only. */
  private rpcRoute(product: RpcProduct): EndpointRoute {
    return {
      serves: (path) => path === RPC_PATH,
      description: `The emulated ${product} endpoint serves POP RPC requests at ${RPC_PATH}.`,
      handle: (req, res, rawBody, arrivedAtMs) => this.rpc.handle(req, res, rawBody, arrivedAtMs, product),
    };
  }
}
