import { AlicomEmulator } from 'nestjs-alicom-sms/testing';

/** An emulated account that misbehaves the way production sometimes does. */
export async function startUnreliableAlibaba(): Promise<AlicomEmulator> {
  const emulator = await AlicomEmulator.start({
    templates: { SMS_154950909: '您的验证码为：${code}' }, // other codes: isv.SMS_TEMPLATE_ILLEGAL
    signNames: ['阿里云短信测试'], // other signatures: isv.SMS_SIGNATURE_ILLEGAL
    businessLimit: { perMinute: 1 }, // a 2nd send to a number within 60 s: isv.BUSINESS_LIMIT_CONTROL
    reportDelayMs: 500, // outcome (status + SmsReport) half a second after the send
    delivery: (recipient) => (recipient.normalizedNumber.endsWith('4') ? { success: false, errCode: 'UNDELIV' } : { success: true }),
  });
  emulator.reportDropRate = 0.2; // reports lost before the queue: only QuerySendDetails knows
  emulator.reportDuplicateRate = 0.1; // reports enqueued twice
  emulator.mns.faults.errorRate = 0.05; // MNS answers 500 InternalError
  emulator.mns.faults.resetRate = 0.05; // MNS connections reset mid-request
  emulator.dropConnectionNext('SendSms', 1, { afterProcessing: true }); // accepted, but the answer is lost
  return emulator;
}
