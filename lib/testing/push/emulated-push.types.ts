// Public shapes of the emulated HTTP batch push ("回执消息 HTTP 批量推送", PROTOCOL.md §5.6): its
// settings, the record of every request it made and its counters.

/**
 * Message types Alibaba delivers either to the MNS queue or by HTTP push, per console setting.
 * @publicApi
 */
export type EmulatedPushType = 'SmsReport' | 'SmsUp';

/**
 * Push settings, given to `AlicomEmulator.start({ push })` or `emulator.push.configure()`. A type
 * with a URL is pushed instead of being put on its MNS queue; the others stay on their queues.
 *
 * Requests carry no signature and no credential, as Alibaba's don't. The URLs may hold a secret in
 * their path or query: the emulator never logs them, records them or repeats them in an error.
 * @publicApi
 */
export interface EmulatedPushSettings {
  /** The receiving URL of every type in {@link types} (absolute `http:` or `https:`). */
  readonly url?: string;
  /** Types pushed to {@link url}. @default ['SmsReport', 'SmsUp'] */
  readonly types?: readonly EmulatedPushType[];
  /** One URL per type; a type named here goes to its own URL instead of {@link url}. */
  readonly urls?: Readonly<Partial<Record<EmulatedPushType, string>>>;
  /** Most receipts one request carries. @default 100 */
  readonly maxBatchSize?: number;
  /**
   * How long receipts of a type are gathered, from the first one, before their request goes out;
   * a full batch goes at once.
   * @default 100
   */
  readonly batchWindowMs?: number;
  /** Time the receiver has for its whole answer; a later or missing answer counts as not received. @default 700 */
  readonly timeoutMs?: number;
  /**
   * Delays before the retries of a request that was not received; when the last retry fails too,
   * its receipts are dropped (only QuerySendDetails still knows them). Compress it for tests,
   * e.g. `[50, 100]`.
   * @default [60_000, 300_000, 600_000] (1, 5 and 10 minutes, PROTOCOL.md §5.6)
   */
  readonly retryDelaysMs?: readonly number[];
  /**
   * Fraction (0-1) of received requests sent once more with the same body, as when the receiver's
   * answer is lost on the way back to Alibaba.
   * @default 0
   */
  readonly duplicateRate?: number;
  /** Shape of SmsUp items, for the variants Alibaba's docs show. */
  readonly smsUp?: {
    /** Add `sign_name` (when the reply matched a signature), as older docs show. @default false */
    readonly signName?: boolean;
    /** JSON type of `sequence_id`. @default 'number' */
    readonly sequenceId?: 'number' | 'string';
  };
  /**
   * Add the fields of the newer OpenAPI-described variant to every item: `sign_name`,
   * `template_code`, `message_id`, `request_id`.
   * @default false
   */
  readonly extendedFields?: boolean;
}

/**
 * Why a push request was made: `receipts` (the emulator's own reports and replies, retried on
 * the schedule), `duplicate` (a received request sent again, see
 * {@link EmulatedPushSettings.duplicateRate} and `resendRequest()`), `malformed` or `raw` (sent
 * on demand, once).
 * @publicApi
 */
export type EmulatedPushRequestKind = 'receipts' | 'duplicate' | 'malformed' | 'raw';

/**
 * Bodies `sendMalformed()` can push: `not-json` (text that does not parse), `not-array` (one
 * receipt object, not wrapped in an array), `bad-items` (an array of items of the wrong shape:
 * `null`, a number, a string, `{}` and an item whose fields have the wrong JSON types),
 * `oversized` (a well-formed array of receipts larger than `sizeBytes`).
 * @publicApi
 */
export type EmulatedMalformedPushKind = 'not-json' | 'not-array' | 'bad-items' | 'oversized';

/**
 * Options of `sendMalformed()`.
 * @publicApi
 */
export interface EmulatedMalformedPushOptions {
  /** Smallest body size of an `oversized` push, in bytes. @default 2_097_152 (2 MiB) */
  readonly sizeBytes?: number;
  /** Items added after the bad ones of a `bad-items` push (e.g. a good receipt that must still get through). @default [] */
  readonly alongside?: readonly unknown[];
}

/**
 * One HTTP attempt of a push request, whatever became of it. The entry is live: the answer
 * fields are filled in when the attempt ends.
 * @publicApi
 */
export interface EmulatedPushAttempt {
  /** Number of the request (1, 2, …); the retries of a request share it. */
  readonly requestNumber: number;
  /** 1 for the first try, 2 for the first retry, and so on. */
  readonly attempt: number;
  /** Which type's URL received it. */
  readonly type: EmulatedPushType;
  readonly kind: EmulatedPushRequestKind;
  /** For a `duplicate`: the request it repeats. */
  readonly duplicateOf?: number;
  /** The body exactly as sent (UTF-8). */
  readonly body: string;
  /** Size of the body in bytes. */
  readonly bodyBytes: number;
  /** Ids of the receipts carried, in body order (empty for `malformed` and `raw`). */
  readonly receiptIds: readonly string[];
  /** When the attempt started. */
  readonly sentAt: Date;
  /** `false` while the attempt is in flight. */
  readonly settled: boolean;
  /** High-resolution ms from the start to the end of the answer, the timeout or the failure. */
  readonly durationMs?: number;
  /** HTTP status answered; `undefined` when no answer came (timeout, refused or reset connection). */
  readonly status?: number;
  /** The answer's body (at most 16 KiB of it). */
  readonly responseBody?: string;
  /** Whether the whole answer did not arrive within `timeoutMs`. */
  readonly timedOut: boolean;
  /** The connection failure, e.g. `ECONNREFUSED` or `ECONNRESET`. */
  readonly error?: string;
  /** Whether it counts as received: HTTP 200 with a JSON body whose `code` is the number 0. */
  readonly received: boolean;
  /** When not received and a retry follows: the delay before it. */
  readonly retryInMs?: number;
  /** Whether this was the last attempt of its receipts, not received: they are dropped. */
  readonly dropped: boolean;
}

/**
 * Counters of the emulator's own receipt pushes (on-demand and duplicate requests are only in
 * the attempts record).
 * @publicApi
 */
export interface EmulatedPushStats {
  /** Receipts handed to push delivery, report copies included. */
  readonly queued: number;
  /** Receipts whose request counted as received. */
  readonly received: number;
  /** Receipts dropped after their last retry. */
  readonly dropped: number;
  /** Receipts gathering, in flight or waiting for a retry. */
  readonly pending: number;
  /** Push requests made, all kinds (retries not counted). */
  readonly requests: number;
  /** HTTP attempts made, retries included. */
  readonly attempts: number;
}
