import type { EmulatedMnsOptions } from '../mns/emulated-mns.js';
import type { EmulatedPushSettings } from '../push/emulated-push.types.js';

/**
 * What the emulator knows about one recipient when it decides the delivery outcome.
 * @publicApi
 */
export interface EmulatedDeliveryRequest {
  /** The number exactly as the caller sent it. */
  readonly phoneNumber: string;
  /** The number without `+86`/`0086`/`86`/`+`/`00` prefixes. */
  readonly normalizedNumber: string;
  /** Signature used for this recipient. */
  readonly signName: string;
  /** Template of the send. */
  readonly templateCode: string;
  /** Template variables for this recipient, when given. */
  readonly templateParam?: Readonly<Record<string, string>>;
  /** The caller's `OutId`, when given. */
  readonly outId?: string;
}

/**
 * The carrier's verdict for one recipient.
 * @publicApi
 */
export interface EmulatedDeliveryOutcome {
  /** Whether the handset received the message. */
  readonly success: boolean;
  /** Carrier status code. @default 'DELIVERED' on success, 'UNDELIV' on failure */
  readonly errCode?: string;
  /** Carrier status text. @default '用户接收成功' on success, '用户接收失败' on failure */
  readonly errMsg?: string;
  /**
   * Whether an SmsReport message is put on the report queue. `false` simulates a lost receipt:
   * the outcome is then visible through QuerySendDetails only.
   * @default true
   */
  readonly report?: boolean;
}

/**
 * Options of {@link AlicomEmulator.start}.
 * @publicApi
 */
export interface AlicomEmulatorOptions {
  /**
   * TCP ports on 127.0.0.1 of the three endpoints (Dysmsapi `sms`, Dybaseapi `token`, MNS `mns`);
   * 0 picks a free one.
   * @default { sms: 0, token: 0, mns: 0 }
   */
  ports?: { readonly sms?: number; readonly token?: number; readonly mns?: number };
  /**
   * Extra AccessKeyId → AccessKeySecret pairs accepted by the RPC side. They are added to the
   * default pair exposed as `credentials`; an entry for the default id replaces its secret.
   */
  accessKeys?: Readonly<Record<string, string>>;
  /** The customer account uid that names the receipt queues. @default '1092397003988387' */
  accountUid?: string;
  /**
   * Approved templates: code → content with `${variable}` placeholders. When given, unknown codes
   * answer `isv.SMS_TEMPLATE_ILLEGAL` and missing variables `isv.TEMPLATE_MISSING_PARAMETERS`;
   * when absent, every template code is accepted.
   */
  templates?: Readonly<Record<string, string>>;
  /** Approved signatures. When given, others answer `isv.SMS_SIGNATURE_ILLEGAL`; when absent, all are accepted. */
  signNames?: readonly string[];
  /** Per-number frequency control: more sends to one number within 60 s answer `isv.BUSINESS_LIMIT_CONTROL`. */
  businessLimit?: { readonly perMinute: number };
  /** Decides each recipient's delivery outcome. @default every recipient is delivered */
  delivery?: (request: EmulatedDeliveryRequest) => EmulatedDeliveryOutcome;
  /** Delay between accepting a send and its outcome (status change + SmsReport). @default 0 */
  reportDelayMs?: number;
  /** Fraction (0-1) of SmsReports lost before reaching the queue or the push (QuerySendDetails still knows the outcome). @default 0 */
  reportDropRate?: number;
  /** Fraction (0-1) of SmsReports delivered twice (two queue messages, or pushed in two requests). @default 0 */
  reportDuplicateRate?: number;
  /** Extra ms before an SmsReport reaches the queue (not the push) after its outcome became final. @default 0 */
  reportQueueDelayMs?: number;
  /** Delay in ms (never less) added before every RPC answer; also settable later through `latencyMs`. @default 0 */
  latencyMs?: number;
  /**
   * The RPC side's clock: checks `Timestamp`, stamps sends, receipts and QuerySendDetails' 30-day
   * window. Pin it to test day boundaries (sign requests with the same time).
   * @default () => new Date()
   */
  clock?: () => Date;
  /** Options of the MNS side (`hostId` is set to `endpoints.mns` unless given). */
  mns?: EmulatedMnsOptions;
  /**
   * HTTP batch push of receipts instead of the MNS queues, per type; also settable later through
   * `push.configure()`. Invalid settings make `start()` reject before anything listens.
   * @default every type on its MNS queue
   */
  push?: EmulatedPushSettings;
}

/**
 * A failure to answer instead of processing a request (see {@link AlicomEmulator.failNext}).
 * @publicApi
 */
export interface EmulatedRpcFailure {
  /** Alibaba error code, e.g. `isp.SYSTEM_ERROR` or `Throttling.User`. */
  readonly code: string;
  /** Error text. @default a sentence naming the injected code */
  readonly message?: string;
  /** HTTP status: below 400 (default 200) answers a business error, 400 and above a gateway error. @default 200 */
  readonly httpStatus?: number;
}

/**
 * Options of {@link AlicomEmulator.dropConnectionNext}.
 * @publicApi
 */
export interface EmulatedDropOptions {
  /**
   * Process the request first (a send is recorded and delivered), then drop the answer: the
   * "accepted but the response was lost" case. Otherwise the request is dropped unprocessed.
   * @default false
   */
  readonly afterProcessing?: boolean;
}
