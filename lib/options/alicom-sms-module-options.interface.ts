import type { Dispatcher } from 'undici';
import type { ReceiptStore } from '../receipts/store/receipt-store.interface.js';
import type { PoisonMessage } from '../interfaces/receipt-events.interface.js';

/** Where requests go. Each value is an origin such as `https://dysmsapi.aliyuncs.com` or `http://127.0.0.1:4100`. */
export interface AlicomSmsEndpoints {
  /** Dysmsapi (SendSms, SendBatchSms, QuerySendDetails). @default `https://dysmsapi.aliyuncs.com` (mainland) */
  sms?: string;
  /** Dybaseapi (QueryTokenForMnsQueue). @default `https://dybaseapi.aliyuncs.com` (mainland) */
  token?: string;
  /** MNS host of the Alicom receipt queues. @default `https://1943695596114318.mns.<region>.aliyuncs.com` */
  mns?: string;
}

/** Message types Alicom delivers over MNS. */
export type AlicomMessageType = 'SmsReport' | 'SmsUp';

/**
 * Receipt consumption (delivery reports and replies) from the Alicom MNS queues.
 *
 * @publicApi
 */
export interface AlicomSmsReceiptOptions {
  /**
   * Queue name prefix shown in the SMS console, e.g. `Alicom-Queue-1092397003988387-`.
   * The queue of a type is `queuePrefix + type`.
   */
  queuePrefix: string;
  /** Which queues to consume. @default ['SmsReport', 'SmsUp'] */
  types?: AlicomMessageType[];
  /** Start polling when the application boots. Set `false` to call `listener.start()` yourself. @default true */
  autoStart?: boolean;
  /** Long-poll wait of each receive, in seconds (0-30). @default 30 */
  waitSeconds?: number;
  /** Messages asked for per receive (1-16). @default 16 */
  batchSize?: number;
  /** Concurrent long-poll loops per queue (1-32). More loops hide more MNS round-trip latency. @default 4 */
  pollersPerQueue?: number;
  /**
   * At most this many receipts are in flight — received and not yet deleted, their handlers
   * included — and polling pauses at the bound (1-10000). Handlers may run this many at once:
   * lower it when they share a small resource (e.g. a database pool).
   * @default 256
   */
  maxInFlight?: number;
  /** First redelivery delay after a handler failed, in seconds; doubles per failed attempt (1-43200). @default 10 */
  retryBackoffSeconds?: number;
  /** Upper bound of the redelivery delay, in seconds (1-43200). @default 600 */
  maxRetryBackoffSeconds?: number;
  /**
   * A message received more than this many times goes to the poison policy (1-1000).
   * @default 10
   */
  maxDeliveries?: number;
  /**
   * What happens to a poison message (handlers failed `maxDeliveries` times, or the body cannot be
   * decoded) after `onPoisonMessage` ran: `'delete'` removes it from the queue, `'keep'` leaves it
   * to be redelivered after `maxRetryBackoffSeconds` (and reported again each time).
   * @default 'delete'
   */
  poisonPolicy?: 'delete' | 'keep';
  /**
   * Dead-letter hook: called with every poison message before the poison policy applies (store it,
   * alert, ...). If it throws, the message is kept (redelivered after `maxRetryBackoffSeconds`)
   * whatever the policy, so nothing is lost.
   */
  onPoisonMessage?: (message: PoisonMessage) => void | Promise<void>;
  /** How long shutdown waits for in-flight handlers before giving up on them, in ms. @default 10000 */
  shutdownTimeoutMs?: number;
  /** Refresh the queue token this long before its `ExpireTime`, in ms. @default 120000 */
  tokenRefreshMarginMs?: number;
}

/**
 * Compensation: reports that never arrive on the queue are back-filled from QuerySendDetails, so
 * every tracked send ends with exactly one final `SmsReport` (see the README).
 *
 * @publicApi
 */
export interface AlicomSmsCompensationOptions {
  /** First QuerySendDetails check of a send this long after it was accepted, in ms (1000-86400000). @default 600000 (10 min) */
  queryAfterMs?: number;
  /** A send still 'waiting' is checked again after this long, doubling per check up to 6 h, in ms (1000-86400000). @default 600000 */
  recheckIntervalMs?: number;
  /** How often the sweep job runs, in ms (1000-3600000). @default 60000 */
  sweepIntervalMs?: number;
  /**
   * A send without a final status this long after it was accepted ends with a report whose
   * `errCode` is `ALICOM_SMS_NO_FINAL_STATUS` (`success: false`), in ms (queryAfterMs .. 30 days).
   * @default 259200000 (72 h)
   */
  giveUpAfterMs?: number;
  /** Upper bound of QuerySendDetails calls per second made by the sweep (1-500). @default 20 */
  queryRatePerSecond?: number;
  /**
   * Sends tracked at most (in-memory store). Past it the oldest tracked send ends at once with a
   * `ALICOM_SMS_NO_FINAL_STATUS` report (never silently forgotten) (1-10000000). @default 100000
   */
  maxPending?: number;
  /** Final reports remembered for de-duplication, at most (100-10000000). @default 100000 */
  dedupeWindowSize?: number;
  /** ... and for at most this long, in ms (60000 - 30 days). @default 259200000 (72 h, MNS retention) */
  dedupeWindowMs?: number;
  /** Where pending sends and settled receipts are kept. @default an in-memory store (per process) */
  store?: ReceiptStore;
}

/**
 * Options of `AlicomSmsModule.forRoot()` / the object returned by the `forRootAsync()` factory.
 *
 * @publicApi
 */
export interface AlicomSmsModuleOptions {
  /** AccessKey ID of a RAM user allowed to call `dysms:*` (and `dybaseapi:QueryTokenForMnsQueue` for receipts). */
  accessKeyId: string;
  /** AccessKey secret. Never logged, never part of an error or `util.inspect` output. */
  accessKeySecret: string;
  /** STS security token, when the AccessKey above is a temporary STS credential. */
  securityToken?: string;
  /** Region of the SMS service. @default 'cn-hangzhou' */
  regionId?: string;
  /** Override the service origins (for VPC endpoints, proxies, or the emulator). Defaults are HTTPS official hosts. */
  endpoints?: AlicomSmsEndpoints;
  /** Per-request timeout of RPC calls (SendSms, QuerySendDetails, token), in ms (100-120000). @default 10000 */
  requestTimeoutMs?: number;
  /**
   * Automatic retries per call (0-10): queries (QuerySendDetails, QueryTokenForMnsQueue) on
   * throttling, 5xx and network errors; sends (SendSms, SendBatchSms) only when the connection
   * could not be made, so nothing reached Alibaba (`ConnectionFailed`).
   * @default 3
   */
  maxQueryRetries?: number;
  /**
   * Largest response body the module reads, in bytes (262144-67108864). A longer answer (a broken
   * proxy, a hostile server) is cut off at the limit, its download aborted, and the call fails with
   * code `ResponseTooLarge`; the receipt poller logs it and retries with backoff. Legitimate
   * answers stay far below the default: a receive of 16 receipts is tens of KB.
   * @default 4194304 (4 MiB)
   */
  maxResponseBytes?: number;
  /** Receipt consumption; `false` or absent disables the listener. */
  receipts?: AlicomSmsReceiptOptions | false;
  /**
   * QuerySendDetails back-fill of missing reports. On by default when `receipts` is configured;
   * `false` turns it off; an object turns it on (also without `receipts`) with these settings.
   */
  compensation?: AlicomSmsCompensationOptions | false;
  /**
   * The undici dispatcher to send requests through, instead of the module's own keep-alive
   * `Agent` (e.g. a `ProxyAgent`). The module does not close a dispatcher it did not create.
   */
  dispatcher?: Dispatcher;
}
