// Part of the stand-in application of test/src/app.module.ts.
import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { SmsService } from 'nestjs-alicom-sms';

@Injectable()
export class SignupService {
  constructor(private readonly sms: SmsService) {}

  /** Sends a six-digit sign-up code; returns the send's BizId. */
  async sendCode(phoneNumber: string): Promise<string> {
    const { bizId } = await this.sms.sendSms({
      phoneNumbers: phoneNumber,
      signName: '阿里云短信测试',
      templateCode: 'SMS_154950909',
      templateParam: { code: String(randomInt(100_000, 1_000_000)) },
    });
    return bizId;
  }
}
