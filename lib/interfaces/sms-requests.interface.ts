/** Parameters of {@link SmsService.sendSms}. @publicApi */
export interface SendSmsRequest {
  /** One number or several (at most 1000). Mainland numbers may carry `+86`, `0086` or `86`; international numbers need their country code. */
  phoneNumbers: string | string[];
  /** Approved signature name, e.g. `阿里云短信测试`. */
  signName: string;
  /** Approved template code, e.g. `SMS_154950909`. */
  templateCode: string;
  /** Template variables. Numbers are converted to strings (Alibaba rejects JSON numbers); a string must be a JSON object text. */
  templateParam?: Record<string, string | number> | string;
  /** Your correlation id, echoed back in receipts and QuerySendDetails. */
  outId?: string;
  /** Upstream extension code (digits). */
  smsUpExtendCode?: string;
}

/** Parameters of {@link SmsService.sendBatchSms}: a different signature / variables per number. @publicApi */
export interface SendBatchSmsRequest {
  /** The numbers (1-100). */
  phoneNumbers: string[];
  /** One signature for all numbers, or one per number (same length and order). */
  signNames: string | string[];
  /** One template for the whole batch. */
  templateCode: string;
  /** Variables per number (same length and order as `phoneNumbers`). */
  templateParams?: Record<string, string | number>[];
  /** Upstream extension codes per number (same length and order). */
  smsUpExtendCodes?: string[];
  /** Your correlation id. */
  outId?: string;
}

/** Result of an accepted send. @publicApi */
export interface SendSmsResult {
  /** Alibaba's receipt id for this send; receipts and QuerySendDetails refer to it. */
  bizId: string;
  /** Alibaba's request id (quote it to support). */
  requestId: string;
}

/** Parameters of {@link SmsService.querySendDetails}. @publicApi */
export interface QuerySendDetailsRequest {
  /** Exactly one number. */
  phoneNumber: string;
  /** The (Beijing) day of the send, within the last 30 days: a Date, or `yyyyMMdd` text. */
  sendDate: Date | string;
  /** Narrow to one send. */
  bizId?: string;
  /** Page size, 1-50. @default 50 */
  pageSize?: number;
  /** Page number starting at 1. @default 1 */
  currentPage?: number;
}

/** Delivery state of a sent SMS as QuerySendDetails reports it. @publicApi */
export type SmsSendStatus = 'waiting' | 'failed' | 'delivered';

/** One record of QuerySendDetails. @publicApi */
export interface SmsSendDetail {
  phoneNumber: string;
  status: SmsSendStatus;
  /** Carrier status code (`DELIVERED` on success; empty while waiting). */
  errCode: string;
  /** The SMS text as sent. */
  content: string;
  templateCode: string;
  outId?: string;
  /** When the SMS was sent (Alibaba's Beijing time, converted). */
  sendDate: Date;
  /** When the carrier receipt arrived; absent while waiting. */
  receiveDate?: Date;
}

/** One page of QuerySendDetails. @publicApi */
export interface QuerySendDetailsResult {
  /** Records matching the query across all pages. */
  totalCount: number;
  requestId: string;
  details: SmsSendDetail[];
}
