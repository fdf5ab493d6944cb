/**
 * RPC actions the emulator serves.
 * @publicApi
 */
export type EmulatedRpcAction = 'SendSms' | 'SendBatchSms' | 'QuerySendDetails' | 'QueryTokenForMnsQueue';

/**
 * Delivery state of one recipient: QuerySendDetails' SendStatus 1 / 3 / 2.
 * @publicApi
 */
export type EmulatedDeliveryStatus = 'waiting' | 'delivered' | 'failed';

/**
 * One recipient of an accepted send. Its status fields change when the outcome becomes final.
 * @publicApi
 */
export interface EmulatedRecipient {
  /** The number exactly as sent. */
  readonly phoneNumber: string;
  /** The number without `+86`/`0086`/`86`/`+`/`00` prefixes (what receipts and QuerySendDetails show). */
  readonly normalizedNumber: string;
  /** Signature for this recipient (SendBatchSms may use one per number). */
  readonly signName: string;
  /** Parsed template variables for this recipient, when given. */
  readonly templateParam?: Readonly<Record<string, string>>;
  /** Upstream extension code for this recipient, when given. */
  readonly smsUpExtendCode?: string;
  /** The text the handset shows: `【sign】` + rendered template. */
  readonly content: string;
  /** Billed segments: 1 up to 70 characters, then one per 67. */
  readonly smsSize: number;
  /** Current delivery state. */
  readonly status: EmulatedDeliveryStatus;
  /** Carrier status code once final (`DELIVERED` on success). */
  readonly errCode?: string;
  /** Carrier status text once final. */
  readonly errMsg?: string;
  /** When the carrier receipt arrived (set with the final status). */
  readonly receiveDate?: Date;
  /** `true` when the SmsReport for this outcome was lost on purpose (report faults / `report: false`). */
  readonly reportDropped?: boolean;
}

/**
 * One accepted SendSms / SendBatchSms call.
 * @publicApi
 */
export interface EmulatedSend {
  /** Which action accepted it. */
  readonly action: 'SendSms' | 'SendBatchSms';
  /** `RequestId` of the answer. */
  readonly requestId: string;
  /** `BizId` of the answer; receipts and QuerySendDetails refer to it. */
  readonly bizId: string;
  /** Template of the whole call. */
  readonly templateCode: string;
  /** The caller's `OutId`, when given. */
  readonly outId?: string;
  /** When the emulator accepted the call. */
  readonly acceptedAt: Date;
  /** One entry per number, in request order. */
  readonly recipients: readonly EmulatedRecipient[];
}

/**
 * One RPC request as it reached the emulator, whatever became of it.
 * @publicApi
 */
export interface EmulatedRpcRequest {
  /** Whose endpoint received it: `Dysmsapi` (`endpoints.sms`) or `Dybaseapi` (`endpoints.token`). */
  readonly product: 'Dysmsapi' | 'Dybaseapi';
  /** The `Action` parameter (empty when absent). */
  readonly action: string;
  /** HTTP method. */
  readonly method: string;
  /** Decoded parameters (query and form body), `Signature` included. */
  readonly parameters: Readonly<Record<string, string>>;
  /** Arrival time by the emulator's clock. */
  readonly receivedAt: Date;
  /** HTTP status answered, or `undefined` when the connection was dropped. */
  readonly httpStatus?: number;
  /** `Code` answered (`OK` on success), or `undefined` when the connection was dropped. */
  readonly code?: string;
  /** `RequestId` answered, or `undefined` when the connection was dropped. */
  readonly requestId?: string;
  /**
   * High-resolution ms (`performance.now()`) from the emulator's HTTP server receiving the request
   * (headers parsed) to the answer being handed to the socket by `res.end()`, injected latency
   * included; `undefined` when the connection was dropped (or the client left before the answer).
   * Subtracting it from the time a client observed leaves the client's own share (and the wire).
   */
  readonly answeredAfterMs?: number;
  /** Whether the emulator destroyed the connection instead of answering. */
  readonly dropped: boolean;
}

/**
 * Filter of {@link AlicomEmulator.findSends}; every given field must match.
 * @publicApi
 */
export interface EmulatedSendFilter {
  /** Matches a recipient by its normalized number (`+8613912345678` matches `13912345678`). */
  readonly phoneNumber?: string;
  /** Matches the accepting action. */
  readonly action?: 'SendSms' | 'SendBatchSms';
  /** Matches the template of the send. */
  readonly templateCode?: string;
  /** Matches a recipient's signature. */
  readonly signName?: string;
  /** Matches the caller's `OutId`. */
  readonly outId?: string;
  /** Matches the `BizId` answered. */
  readonly bizId?: string;
}

/**
 * Parameters of {@link AlicomEmulator.reply}: a text message from a handset.
 * @publicApi
 */
export interface EmulatedReply {
  /** The end user's number. */
  readonly phoneNumber: string;
  /** The message text. */
  readonly content: string;
  /** Extension number. @default the `SmsUpExtendCode` of the latest send to that number, else '' */
  readonly destCode?: string;
  /** Signature the reply matched. @default that of the latest send to that number, else omitted */
  readonly signName?: string;
}

/** Makes every property of a record type writable again (the emulator's own view of its records). */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };
