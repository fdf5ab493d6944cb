import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Test, type TestingModule } from '@nestjs/testing';
import { AlicomSmsModule, SmsService } from 'nestjs-alicom-sms';
import { AlicomEmulator } from 'nestjs-alicom-sms/testing';

let emulator: AlicomEmulator;
let moduleRef: TestingModule;

before(async () => {
  emulator = await AlicomEmulator.start();
  moduleRef = await Test.createTestingModule({
    imports: [
      AlicomSmsModule.forRoot({
        ...emulator.credentials,
        endpoints: emulator.endpoints,
        receipts: { queuePrefix: emulator.queuePrefix },
      }),
      // ...plus the modules of your app that send SMS or handle receipts
    ],
  }).compile();
  await moduleRef.init();
});

after(async () => {
  await moduleRef.close();
  await emulator.close();
});

it('sends an SMS and receives its delivery report', async () => {
  const sms = moduleRef.get(SmsService);
  const { bizId } = await sms.sendSms({
    phoneNumbers: '13800138000',
    signName: '阿里云短信测试',
    templateCode: 'SMS_154950909',
    templateParam: { code: '1234' },
  });
  assert.equal(emulator.findSends({ bizId }).length, 1); // what reached "Alibaba"
  const report = await sms.waitForReport(bizId, '13800138000', { timeoutMs: 10_000 });
  assert.equal(report.success, true);
});

it("surfaces Alibaba's refusals as AlicomSmsError", async () => {
  emulator.failNext('SendSms', { code: 'isv.BUSINESS_LIMIT_CONTROL' });
  await assert.rejects(
    moduleRef.get(SmsService).sendSms({ phoneNumbers: '13800138000', signName: '阿里云短信测试', templateCode: 'SMS_154950909' }),
    { code: 'isv.BUSINESS_LIMIT_CONTROL', resendSafe: true },
  );
});
