import { Injectable } from '@nestjs/common';
import { OnSmsReport, SmsService, type SmsReport } from 'nestjs-alicom-sms';

/** Sends verification codes and keeps the delivery reports that come back for them. */
@Injectable()
export class VerificationService {
  private readonly reports = new Map<string, SmsReport>();

  constructor(private readonly sms: SmsService) {}

  async sendCode(phoneNumber: string): Promise<{ bizId: string }> {
    const code = String(Math.floor(100000 + Math.random() * 900000));
    const { bizId } = await this.sms.sendSms({
      phoneNumbers: phoneNumber,
      signName: '阿里云短信测试',
      templateCode: 'SMS_154950909',
      templateParam: { code },
    });
    return { bizId };
  }

  @OnSmsReport()
  onReport(report: SmsReport): void {
    this.reports.set(report.bizId, report);
  }

  reportFor(bizId: string): SmsReport | undefined {
    return this.reports.get(bizId);
  }
}
