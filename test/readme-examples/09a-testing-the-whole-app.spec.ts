import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Test, type TestingModule } from '@nestjs/testing';
import { ALICOM_SMS_MODULE_OPTIONS, SmsService } from 'nestjs-alicom-sms';
import { AlicomEmulator, emulatorModuleOptions } from 'nestjs-alicom-sms/testing';
import { AppModule } from '../src/app.module.js';
import { SignupService } from '../src/signup.service.js';

let emulator: AlicomEmulator;
let moduleRef: TestingModule;

before(async () => {
  emulator = await AlicomEmulator.start();
  // Your whole app, its own AlicomSmsModule pointed at the emulator (forRoot or forRootAsync).
  moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(ALICOM_SMS_MODULE_OPTIONS)
    .useValue(emulatorModuleOptions(emulator))
    .compile();
  await moduleRef.init();
});

after(async () => {
  await moduleRef.close();
  await emulator.close();
});

it('sends the sign-up code through the emulator', async () => {
  const bizId = await moduleRef.get(SignupService).sendCode('13800138000');
  assert.match(emulator.lastMessageTo('13800138000')?.recipient.content ?? '', /\d{6}/);
  const report = await moduleRef.get(SmsService).waitForReport(bizId, '13800138000', { timeoutMs: 10_000 });
  assert.equal(report.success, true);
});
