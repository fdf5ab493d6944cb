import type { SmsReport, SmsUp } from '../../interfaces/sms-receipt.interface.js';

/** De-duplication key of the final report of one SMS to one number. */
export function reportKey(bizId: string, phoneNumber: string): string {
  return `report:${bizId}:${phoneNumber}`;
}

/** De-duplication key of a receipt: the (bizId, phone) of a report, the (phone, sequence) of a reply. */
export function receiptKey(receipt: SmsReport | SmsUp): string {
  return receipt.type === 'SmsReport'
    ? reportKey(receipt.bizId, receipt.phoneNumber)
    : `up:${receipt.phoneNumber}:${receipt.sequenceId}`;
}
