import { randomUUID } from 'node:crypto';
import type { SmsReportMessage, SmsUpMessage } from '../rpc/receipt-messages.js';
import type { PushItemShape } from './push-settings.js';

// The JSON items of a push body (PROTOCOL.md §5.6): the same receipt the MNS queue would carry,
// in the field order and variant Alibaba's push docs show.

/** A receipt handed to push delivery, with what the variants need beyond the MNS body. */
export type PushReceipt =
  | {
      readonly type: 'SmsReport';
      readonly message: SmsReportMessage;
      /** Signature, template and `RequestId` of the send, for the extended fields. */
      readonly signName: string;
      readonly templateCode: string;
      readonly requestId: string;
    }
  | {
      readonly type: 'SmsUp';
      readonly message: SmsUpMessage;
      /** Template of the latest send to the number, for the extended fields. */
      readonly templateCode?: string;
    };

/** The push item of a receipt; `messageId` fills the extended `message_id`. */
export function pushItemOf(receipt: PushReceipt, shape: PushItemShape, messageId: string): Record<string, unknown> {
  return receipt.type === 'SmsReport' ? reportItem(receipt, shape, messageId) : upItem(receipt, shape, messageId);
}

function reportItem(receipt: Extract<PushReceipt, { type: 'SmsReport' }>, shape: PushItemShape, messageId: string): Record<string, unknown> {
  const m = receipt.message;
  const item: Record<string, unknown> = {
    phone_number: m.phone_number,
    send_time: m.send_time,
    report_time: m.report_time,
    success: m.success,
    err_code: m.err_code,
    err_msg: m.err_msg,
    sms_size: m.sms_size,
    biz_id: m.biz_id,
    out_id: m.out_id,
  };
  if (shape.extendedFields) {
    Object.assign(item, { sign_name: receipt.signName, template_code: receipt.templateCode, message_id: messageId, request_id: receipt.requestId });
  }
  return item;
}

function upItem(receipt: Extract<PushReceipt, { type: 'SmsUp' }>, shape: PushItemShape, messageId: string): Record<string, unknown> {
  const m = receipt.message;
  const item: Record<string, unknown> = { phone_number: m.phone_number, send_time: m.send_time, content: m.content };
  // Optional in every doc that lists it: present only when the reply matched a signature.
  if ((shape.smsUpSignName || shape.extendedFields) && m.sign_name !== undefined) item.sign_name = m.sign_name;
  item.dest_code = m.dest_code;
  item.sequence_id = shape.smsUpSequenceId === 'string' ? String(m.sequence_id) : m.sequence_id;
  if (shape.extendedFields) {
    Object.assign(item, { template_code: receipt.templateCode ?? '', message_id: messageId, request_id: randomUUID().toUpperCase() });
  }
  return item;
}
