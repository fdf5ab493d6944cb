import { Injectable, Logger } from '@nestjs/common';
import { AlicomApiError, SmsService } from 'nestjs-alicom-sms';

@Injectable()
export class OtpSender {
  private readonly logger = new Logger(OtpSender.name);

  constructor(private readonly sms: SmsService) {}

  async send(phoneNumber: string, code: string, orderId: string): Promise<string> {
    try {
      const { bizId } = await this.sms.sendSms({
        phoneNumbers: phoneNumber, // or an array (up to 1000); +86 / 0086 / 86 prefixes accepted
        signName: '阿里云短信测试',
        templateCode: 'SMS_154950909',
        templateParam: { code }, // numbers are converted to strings for you
        outId: orderId, // echoed back in receipts and QuerySendDetails
      });
      return bizId; // receipts and QuerySendDetails refer to it
    } catch (error) {
      if (error instanceof AlicomApiError && !error.resendSafe) {
        // The request may have reached Alibaba: check querySendDetails before sending again.
        this.logger.warn(`${error.code} (RequestId ${error.requestId}): not resending blindly`);
      }
      throw error;
    }
  }
}
