import { Test } from '@nestjs/testing';
import { SmsService, type SmsReport } from 'nestjs-alicom-sms';
import { VerificationService } from './verification.service';

describe('VerificationService', () => {
  it('sends a six-digit code through SmsService and keeps the report of that send', async () => {
    const sendSms = jest.fn().mockResolvedValue({ bizId: '900619746936498440^0', requestId: 'F655A8D5-B967-440B-8683-DAD6FF8DE990' });
    const moduleRef = await Test.createTestingModule({
      providers: [VerificationService, { provide: SmsService, useValue: { sendSms } }],
    }).compile();
    const verification = moduleRef.get(VerificationService);

    await expect(verification.sendCode('13800138000')).resolves.toEqual({ bizId: '900619746936498440^0' });
    expect(sendSms).toHaveBeenCalledWith(
      expect.objectContaining({ phoneNumbers: '13800138000', templateParam: { code: expect.stringMatching(/^\d{6}$/) } }),
    );

    verification.onReport({ bizId: '900619746936498440^0', success: true } as SmsReport);
    expect(verification.reportFor('900619746936498440^0')?.success).toBe(true);
  });
});
