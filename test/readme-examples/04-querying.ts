import { Injectable } from '@nestjs/common';
import { SmsService, type SmsSendDetail } from 'nestjs-alicom-sms';

@Injectable()
export class DeliveryAudit {
  constructor(private readonly sms: SmsService) {}

  /** Every record of one number on one (Beijing) day, fetching page after page. */
  async recordsOfToday(phoneNumber: string): Promise<SmsSendDetail[]> {
    const records: SmsSendDetail[] = [];
    for await (const detail of this.sms.iterateSendDetails({ phoneNumber, sendDate: new Date() })) {
      records.push(detail); // detail.status: 'waiting' | 'failed' | 'delivered'
    }
    return records;
  }
}
