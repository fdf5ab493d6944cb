import { Injectable } from '@nestjs/common';
import { SmsService } from 'nestjs-alicom-sms';

@Injectable()
export class VerificationCodes {
  constructor(private readonly sms: SmsService) {}

  /** Sends a code and tells whether the handset got it within a minute. */
  async sendAndConfirm(phoneNumber: string, code: string): Promise<boolean> {
    const { bizId } = await this.sms.sendSms({
      phoneNumbers: phoneNumber,
      signName: '阿里云短信测试',
      templateCode: 'SMS_154950909',
      templateParam: { code },
    });
    // Resolves with the final report (from the queue, or back-filled by compensation);
    // rejects with a ReportTimeoutError (code 'ReportTimeout') after timeoutMs.
    const report = await this.sms.waitForReport(bizId, phoneNumber, { timeoutMs: 60_000 });
    return report.success;
  }
}
