import { formatBeijingDateTime } from '../beijing-time.js';
import type { RecordedRecipient, RecordedSend } from './send-ledger.js';

// JSON bodies of the messages Alibaba puts on the Alicom queues (PROTOCOL.md §5.3, §5.4).

/** SmsReport (delivery receipt) of a recipient whose outcome is final. */
export interface SmsReportMessage {
  phone_number: string;
  send_time: string;
  report_time: string;
  success: boolean;
  err_code: string;
  err_msg: string;
  /** Billed segments, as a string like Alibaba sends it. */
  sms_size: string;
  biz_id: string;
  out_id: string;
}

/** SmsUp (mobile-originated message). */
export interface SmsUpMessage {
  dest_code: string;
  send_time: string;
  /** A JSON number, as in Alibaba's MNS documentation. */
  sequence_id: number;
  phone_number: string;
  content: string;
  sign_name?: string;
}

/** Builds the SmsReport body for one recipient of a send. */
export function buildSmsReportMessage(send: RecordedSend, recipient: RecordedRecipient): SmsReportMessage {
  return {
    phone_number: recipient.normalizedNumber,
    send_time: formatBeijingDateTime(send.acceptedAt),
    report_time: formatBeijingDateTime(recipient.receiveDate ?? send.acceptedAt),
    success: recipient.status === 'delivered',
    err_code: recipient.errCode ?? '',
    err_msg: recipient.errMsg ?? '',
    sms_size: String(recipient.smsSize),
    biz_id: send.bizId,
    out_id: send.outId ?? '',
  };
}

/** Builds an SmsUp body. */
export function buildSmsUpMessage(reply: {
  phoneNumber: string;
  content: string;
  destCode: string;
  signName?: string;
  sequenceId: number;
  sentAt: Date;
}): SmsUpMessage {
  return {
    dest_code: reply.destCode,
    send_time: formatBeijingDateTime(reply.sentAt),
    sequence_id: reply.sequenceId,
    phone_number: reply.phoneNumber,
    content: reply.content,
    ...(reply.signName === undefined ? {} : { sign_name: reply.signName }),
  };
}
