import type { SmsReport } from '../interfaces/sms-receipt.interface.js';
import type { SmsSendDetail } from '../interfaces/sms-requests.interface.js';
import type { PendingReceipt } from '../receipts/store/receipt-store.interface.js';

/**
 * `errCode` of the report that ends a send whose final status never became known (give-up age
 * passed, or evicted from a full store). `success` is false: treat it as "not confirmed".
 *
 * @publicApi
 */
export const NO_FINAL_STATUS_ERR_CODE = 'ALICOM_SMS_NO_FINAL_STATUS';

function sentContext(entry: PendingReceipt): SmsReport['sent'] {
  return {
    bizId: entry.bizId,
    phoneNumber: entry.phoneNumber,
    templateCode: entry.templateCode,
    signName: entry.signName,
    outId: entry.outId,
    sentAt: new Date(entry.sentAt),
  };
}

/** Billed segments as Alibaba counts them: 70 characters in one SMS, 67 per part when longer. */
function estimateSegments(content: string): number {
  const length = [...content].length;
  if (length === 0) return 0;
  return length <= 70 ? 1 : Math.ceil(length / 67);
}

/** The SmsReport a final QuerySendDetails record stands for (`source: 'query'`). */
export function reportFromQuery(entry: PendingReceipt, detail: SmsSendDetail, now: number): SmsReport {
  return {
    type: 'SmsReport',
    phoneNumber: entry.phoneNumber,
    bizId: entry.bizId,
    outId: entry.outId ?? detail.outId,
    success: detail.status === 'delivered',
    errCode: detail.errCode,
    errMsg: detail.status === 'delivered' ? 'DELIVERED' : detail.errCode,
    smsSize: estimateSegments(detail.content),
    sendTime: detail.sendDate,
    reportTime: detail.receiveDate ?? new Date(now),
    source: 'query',
    sent: sentContext(entry),
    raw: detail,
  };
}

/** The report that ends a send without a known final status. */
export function noFinalStatusReport(entry: PendingReceipt, why: string, now: number, lastDetail?: SmsSendDetail): SmsReport {
  return {
    type: 'SmsReport',
    phoneNumber: entry.phoneNumber,
    bizId: entry.bizId,
    outId: entry.outId,
    success: false,
    errCode: NO_FINAL_STATUS_ERR_CODE,
    errMsg: why,
    smsSize: 0,
    sendTime: new Date(entry.sentAt),
    reportTime: new Date(now),
    source: 'query',
    sent: sentContext(entry),
    raw: lastDetail ?? null,
  };
}
