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

/** Message types Alicom delivers (over MNS or by HTTP push). */
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
 * Receipts by HTTP push (the SMS console's "HTTP 批量推送", set per message type): Alibaba POSTs
 * JSON arrays of receipts to a URL of this app, and they reach the same handlers, Observables,
 * de-duplication and correlation as receipts from the queues, with `source: 'push'`.
 *
 * Alibaba neither signs nor authenticates these requests: the receiving URL carries `secret`,
 * and only requests with it are read. See the README ("Pull or push") for the console settings
 * and the answer rules.
 *
 * @publicApi
 */
export interface AlicomSmsPushOptions {
  /**
   * Path that receives every pushed type, e.g. `'/alicom/receipts'`; the type of each item is told
   * by its fields. Give either `path` or `paths` (neither with `registerRoutes: false`). Paths are
   * absolute: the app's global prefix does not apply.
   */
  path?: string;
  /** One path per pushed type, e.g. `{ SmsReport: '/alicom/sms-report', SmsUp: '/alicom/sms-up' }`. */
  paths?: Partial<Record<AlicomMessageType, string>>;
  /** Types received on `path`. With `paths`, its keys. @default ['SmsReport', 'SmsUp'] */
  types?: AlicomMessageType[];
  /**
   * Shared secret that is part of the receiving URL (16-100 characters among `A-Z a-z 0-9 - _ . ~`,
   * e.g. `randomBytes(24).toString('base64url')`). Compared in constant time; never logged.
   * Required unless `registerRoutes` is `false`.
   */
  secret?: string;
  /**
   * Where the URL carries the secret: `'path'` → `<path>/<secret>`, `'query'` → `<path>?secret=<secret>`.
   * @default 'path'
   */
  secretIn?: 'path' | 'query';
  /**
   * Source addresses allowed to push (IPv4 / IPv6 addresses or CIDR blocks such as
   * `'203.0.113.0/24'`); others are refused like a wrong secret. @default any address
   */
  allowFrom?: string[];
  /**
   * How many reverse proxies in front of the app append to `X-Forwarded-For` (0-10). With 0 the
   * source address is the connection's peer and `X-Forwarded-For` is ignored; with n the address
   * n hops back in that header is used. Never more than you really have: a client can forge the
   * rest of the header.
   * @default 0
   */
  trustProxy?: number;
  /** Largest request body read, in bytes (1024-67108864); larger ones are refused with 413. @default 1048576 (1 MiB) */
  maxBodyBytes?: number;
  /**
   * Time from a request's arrival to its answer, in ms (10-60000). Alibaba waits about 700 ms for
   * an answer: `{"code":0}` is sent only when every valid receipt of the request was handled
   * (or recognised as a duplicate) within this time; otherwise the answer asks for a retry, and
   * the handlers still running finish in the background (the retry is then a duplicate).
   * @default 500
   */
  answerTimeoutMs?: number;
  /**
   * Push requests being read or handled at once (1-1000); more are answered at once with 503 (and
   * retried by Alibaba). A request counts until every handler it started has finished.
   * @default 16
   */
  maxConcurrentRequests?: number;
  /**
   * Register the receiving route(s) on the app's HTTP platform (Express or Fastify) at startup.
   * `false`: mount `SmsPushReceiver.receive()` in a controller of your own.
   * @default true
   */
  registerRoutes?: boolean;
  /** How long shutdown waits for the handlers of pushed receipts, in ms (0-600000). @default 10000 */
  shutdownTimeoutMs?: number;
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
  /** Receipt consumption from the MNS queues; `false` or absent disables the listener. */
  receipts?: AlicomSmsReceiptOptions | false;
  /**
   * Receipts by HTTP push, instead of (or, per message type, besides) the queues; `false` or
   * absent: no push receiver.
   */
  push?: AlicomSmsPushOptions | false;
  /**
   * QuerySendDetails back-fill of missing reports. On by default when `receipts` or `push` is configured;
   * `false` turns it off; an object turns it on (also without `receipts`) with these settings.
   */
  compensation?: AlicomSmsCompensationOptions | false;
  /**
   * The undici dispatcher to send requests through, instead of the module's own keep-alive
   * `Agent` (e.g. a `ProxyAgent`). The module does not close a dispatcher it did not create.
   */
  dispatcher?: Dispatcher;
}
