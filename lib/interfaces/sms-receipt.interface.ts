/**
 * What was sent, attached to a report that correlates with a send made by this application
 * (tracked when receipts or compensation are enabled).
 *
 * @publicApi
 */
export interface SentSmsContext {
  bizId: string;
  /** The recipient, normalized (mainland numbers as 11 digits). */
  phoneNumber: string;
  templateCode: string;
  signName: string;
  outId?: string;
  /** When `sendSms()` / `sendBatchSms()` was accepted. */
  sentAt: Date;
}

/**
 * A delivery receipt: the carrier's final word on one SMS to one number.
 *
 * Alibaba's timestamps carry no zone; they are Beijing time (UTC+8) and converted accordingly.
 *
 * @publicApi
 */
export interface SmsReport {
  type: 'SmsReport';
  /** Recipient number as Alibaba reports it (mainland numbers without country code). */
  phoneNumber: string;
  /** `BizId` returned by SendSms / SendBatchSms. */
  bizId: string;
  /** `OutId` given at send time, when there was one. */
  outId?: string;
  /** `true` when the SMS was delivered. */
  success: boolean;
  /** Carrier status code: `DELIVERED` on success, a carrier code such as `MK:0001` otherwise. */
  errCode: string;
  /** Carrier status text (often Chinese). */
  errMsg: string;
  /** Number of billed segments. */
  smsSize: number;
  /** When Alibaba handed the SMS to the carrier. */
  sendTime: Date;
  /** When the carrier receipt arrived. */
  reportTime: Date;
  /** Where this report came from: the MNS queue, a QuerySendDetails back-fill, or HTTP push. */
  source: 'mns' | 'query' | 'push';
  /** MNS `MessageId`, for reports that came from the queue. */
  messageId?: string;
  /** The send this report belongs to, when this application made it and still tracks it. */
  sent?: SentSmsContext;
  /** The decoded JSON (or query record) exactly as received. */
  raw: unknown;
}

/**
 * A reply (mobile-originated SMS) sent by an end user.
 *
 * @publicApi
 */
export interface SmsUp {
  type: 'SmsUp';
  /** The end user's number. */
  phoneNumber: string;
  /** The reply text. */
  content: string;
  /** Extension number the reply was addressed to. */
  destCode?: string;
  /** Signature the reply was matched to (not always present). */
  signName?: string;
  /** Alibaba's sequence number, as a string (it can exceed 2^53). */
  sequenceId: string;
  /** When the carrier pushed the reply. */
  sendTime: Date;
  /** Where this reply came from. */
  source: 'mns' | 'push';
  /** MNS `MessageId`, for replies that came from the queue. */
  messageId?: string;
  /** The decoded JSON exactly as received. */
  raw: unknown;
}
