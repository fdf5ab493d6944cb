// forRootAsync (useFactory, useClass, useExisting) stores its options with the secrets redacted
// (util.inspect at depth 50 with showHidden of the options token and the app shows none), and an
// app's options provider overridden with plain emulator options still works (the recipe for
// testing an app against the emulator). See test/support/secret-inspection.ts.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ALICOM_SMS_MODULE_OPTIONS, AlicomSmsModule, RedactedSecret, SmsService } from '../lib/index.js';
import { AlicomEmulator } from '../lib/testing/index.js';
import { closeHarness, inspectTargets, optionsFactoryFor, startEmulator, type Harness } from './support/secret-inspection.js';

const open: Harness[] = [];

afterEach(async () => {
  for (const h of open.splice(0)) await closeHarness(h);
});

describe('secrets and util.inspect: forRootAsync', () => {
  for (const kind of ['useFactory', 'useClass', 'useExisting'] as const) {
    it(`forRootAsync with ${kind}: the stored options hold the secrets redacted too`, async () => {
      const { emulator, queueTokens } = await startEmulator();
      const EnvOptionsFactory = optionsFactoryFor(emulator);
      @Module({ providers: [EnvOptionsFactory], exports: [EnvOptionsFactory] })
      class ConfigModule {}
      const async =
        kind === 'useFactory'
          ? { imports: [ConfigModule], inject: [EnvOptionsFactory], useFactory: (config: InstanceType<typeof EnvOptionsFactory>) => config.create() }
          : kind === 'useClass'
            ? { useClass: EnvOptionsFactory }
            : { imports: [ConfigModule], useExisting: EnvOptionsFactory };
      const moduleRef = await Test.createTestingModule({ imports: [AlicomSmsModule.forRootAsync(async)] }).compile();
      const h: Harness = { emulator, moduleRef, queueTokens };
      open.push(h);
      await moduleRef.init();
      // The kinds differ from forRoot only in the options provider (the whole container is
      // inspected once, in secrets-inspect-app: it costs seconds).
      await inspectTargets(h, ['ALICOM_SMS_MODULE_OPTIONS', 'SmsService', 'SmsReceiptListener']);
      assert.ok(moduleRef.get<Record<string, unknown>>(ALICOM_SMS_MODULE_OPTIONS).accessKeySecret instanceof RedactedSecret);
    });
  }

  it('an app whose options provider is overridden with plain emulator options still works', async () => {
    const emulator = await AlicomEmulator.start();
    @Module({
      imports: [
        AlicomSmsModule.forRootAsync({
          useFactory: () => ({ accessKeyId: 'LTAI-real-id', accessKeySecret: 'real-secret-never-used', receipts: { queuePrefix: 'Alicom-Queue-1-' } }),
        }),
      ],
    })
    class AppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(ALICOM_SMS_MODULE_OPTIONS)
      .useValue({ ...emulator.credentials, endpoints: emulator.endpoints, receipts: { queuePrefix: emulator.queuePrefix, waitSeconds: 1 } })
      .compile();
    open.push({ emulator, moduleRef, queueTokens: [] });
    await moduleRef.init();
    const { bizId } = await moduleRef.get(SmsService).sendSms({ phoneNumbers: '13800138000', signName: 'S', templateCode: 'SMS_1' });
    assert.equal(emulator.findSends({ bizId }).length, 1, 'the send reached the emulator');
    const report = await moduleRef.get(SmsService).waitForReport(bizId, '13800138000', { timeoutMs: 10_000 });
    assert.equal(report.bizId, bizId);
  });
});
