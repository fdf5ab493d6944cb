// SmsService end to end: Nest testing module -> SmsService -> real HTTP on 127.0.0.1 -> the
// emulator, which verifies every signature the way Alibaba does. Each test has its own emulator
// and module on one ManualClock; retry backoffs pass when the test moves it.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Injectable, Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  AlicomSmsClock,
  AlicomSmsConfigError,
  AlicomApiError,
  AlicomSmsModule,
  type AlicomSmsModuleOptions,
  SmsInputError,
  SmsService,
} from '../lib/index.js';
import { AlicomEmulator, ManualClock } from '../lib/testing/index.js';
import { settleOnClock } from './support/until.js';

async function moduleFor(options: AlicomSmsModuleOptions, clock: AlicomSmsClock = new AlicomSmsClock()): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({ imports: [AlicomSmsModule.forRoot(options)] })
    .overrideProvider(AlicomSmsClock)
    .useValue(clock)
    .compile();
  await moduleRef.init();
  return moduleRef;
}


/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('SmsService against the emulator', () => {
  let clock: ManualClock;
  let emulator: AlicomEmulator;
  let moduleRef: TestingModule;
  let sms: SmsService;

  beforeEach(async () => {
    clock = new ManualClock();
    emulator = await AlicomEmulator.start({ clock });
    moduleRef = await moduleFor({ ...emulator.credentials, endpoints: emulator.endpoints }, clock);
    sms = moduleRef.get(SmsService);
  });

  afterEach(async () => {
    await moduleRef?.close();
    await emulator?.close();
  });

  it('sends an SMS and the emulator records exactly what was sent', async () => {
    const result = await sms.sendSms({
      phoneNumbers: ['+86 139 1234 5678', '13800138000'],
      signName: '示例签名',
      templateCode: 'SMS_100000001',
      templateParam: { code: 9527, product: '云通信 *~' },
      outId: 'order-1',
    });
    assert.match(result.bizId, /^\d+\^0$/);
    assert.match(result.requestId, /^[0-9A-F-]{36}$/);
    const record = emulator.sends.find((s) => s.bizId === result.bizId);
    assert.ok(record, 'the emulator recorded the send');
    assert.equal(record.action, 'SendSms');
    assert.equal(record.templateCode, 'SMS_100000001');
    assert.equal(record.outId, 'order-1');
    assert.deepEqual(record.recipients[0].templateParam, { code: '9527', product: '云通信 *~' });
    assert.deepEqual(
      record.recipients.map((r) => r.normalizedNumber),
      ['13912345678', '13800138000'],
    );
  });

  it('sends a batch with a signature and variables per number', async () => {
    const result = await sms.sendBatchSms({
      phoneNumbers: ['13900000001', '13900000002'],
      signNames: ['签名甲', '签名乙'],
      templateCode: 'SMS_100000002',
      templateParams: [{ name: '张三' }, { name: 'Li', n: 2 }],
    });
    const record = emulator.sends.find((s) => s.bizId === result.bizId);
    assert.ok(record);
    assert.equal(record.action, 'SendBatchSms');
    assert.deepEqual(
      record.recipients.map((r) => [r.normalizedNumber, r.signName]),
      [
        ['13900000001', '签名甲'],
        ['13900000002', '签名乙'],
      ],
    );
  });

  it('queries every page of the delivery records of a number', async () => {
    const phone = '13700000007';
    const bizIds: string[] = [];
    for (let i = 0; i < 7; i++) {
      bizIds.push((await sms.sendSms({ phoneNumbers: phone, signName: '示例签名', templateCode: 'SMS_1', templateParam: { i } })).bizId);
    }
    const firstPage = await sms.querySendDetails({ phoneNumber: phone, sendDate: new Date(), pageSize: 3 });
    assert.equal(firstPage.totalCount, 7);
    assert.equal(firstPage.details.length, 3);

    const all = [];
    for await (const detail of sms.iterateSendDetails({ phoneNumber: phone, sendDate: new Date(), pageSize: 3 })) all.push(detail);
    assert.equal(all.length, 7);
    for (const detail of all) {
      assert.equal(detail.phoneNumber, phone);
      assert.equal(detail.templateCode, 'SMS_1');
      assert.ok(['waiting', 'delivered'].includes(detail.status));
      // Beijing time converted to the right instant: within a minute of now.
      assert.ok(Math.abs(detail.sendDate.getTime() - Date.now()) < 60_000, `sendDate ${detail.sendDate.toISOString()}`);
    }
    const one = await sms.querySendDetails({ phoneNumber: phone, sendDate: new Date(), bizId: bizIds[3] });
    assert.equal(one.totalCount, 1);
  });

  it('turns a business error (HTTP 200, Code != OK) into an AlicomApiError', async () => {
    emulator.failNext('SendSms', { code: 'isv.BUSINESS_LIMIT_CONTROL', message: '触发分钟级流控Permits:1' });
    const before = emulator.sends.length;
    await assert.rejects(
      sms.sendSms({ phoneNumbers: '13912345678', signName: '示例签名', templateCode: 'SMS_1' }),
      (error: unknown) => {
        assert.ok(error instanceof AlicomApiError);
        assert.equal(error.code, 'isv.BUSINESS_LIMIT_CONTROL');
        assert.equal(error.action, 'SendSms');
        assert.equal(error.httpStatus, 200);
        assert.match(error.requestId ?? '', /^[0-9A-F-]{36}$/);
        assert.equal(error.resendSafe, true);
        assert.match(error.message, /触发分钟级流控/);
        return true;
      },
    );
    assert.equal(emulator.sends.length, before, 'nothing was recorded as sent');
  });

  it('rejects bad input before any request is made', async () => {
    const requestsBefore = emulator.requestCount('SendSms');
    await assert.rejects(
      sms.sendSms({ phoneNumbers: ['13912345678', 'not-a-number'], signName: '', templateCode: 'SMS_1', templateParam: { ok: true as unknown as string } }),
      (error: unknown) => {
        assert.ok(error instanceof SmsInputError);
        const fields = error.problems.map((p) => p.field);
        assert.ok(fields.includes('phoneNumbers[1]'), fields.join());
        assert.ok(fields.includes('signName'), fields.join());
        assert.ok(fields.some((f) => f.startsWith('templateParam')), fields.join());
        assert.equal(error.resendSafe, true);
        return true;
      },
    );
    await assert.rejects(sms.querySendDetails({ phoneNumber: '13912345678', sendDate: new Date(Date.now() - 40 * 86_400_000) }), SmsInputError);
    await assert.rejects(sms.querySendDetails({ phoneNumber: '13912345678', sendDate: new Date(), pageSize: 51 }), SmsInputError);
    assert.equal(emulator.requestCount('SendSms'), requestsBefore);
  });

  it('never retries a send whose request reached the server, and says a resend is unsafe', async () => {
    emulator.dropConnectionNext('SendSms');
    const requestsBefore = emulator.requestCount('SendSms');
    await assert.rejects(sms.sendSms({ phoneNumbers: '13912345678', signName: '示例签名', templateCode: 'SMS_1' }), (error: unknown) => {
      assert.ok(error instanceof AlicomApiError);
      assert.equal(error.resendSafe, false);
      assert.match(error.message, /do not resend blindly/);
      return true;
    });
    assert.equal(emulator.requestCount('SendSms'), requestsBefore + 1, 'exactly one attempt reached the server');
  });

  it('retries queries on throttling and server errors', async () => {
    emulator.failNext('QuerySendDetails', { code: 'Throttling.User', message: 'Request was denied due to user flow control.', httpStatus: 400 });
    emulator.failNext('QuerySendDetails', { code: 'InternalError', message: 'The request processing has failed due to some unknown error.', httpStatus: 500 });
    await sms.sendSms({ phoneNumbers: '13912345678', signName: '示例签名', templateCode: 'SMS_1' });
    const result = await settleOnClock(clock, sms.querySendDetails({ phoneNumber: '13912345678', sendDate: new Date() }));
    assert.equal(result.totalCount, 1);
    assert.equal(emulator.requestCount('QuerySendDetails'), 3);
  });

  it('keeps the AccessKey secret out of inspect output', () => {
    const dump = inspect(moduleRef.get(SmsService), { depth: 10, showHidden: true });
    assert.ok(!dump.includes(emulator.credentials.accessKeySecret), 'secret leaked into util.inspect');
  });
});

describe('SmsService error mapping against the emulator', () => {
  let emulator: AlicomEmulator;
  beforeEach(async () => {
    emulator = await AlicomEmulator.start();
  });
  afterEach(async () => emulator?.close());

  it('reports SignatureDoesNotMatch (HTTP 400) for a wrong secret, without leaking it', async () => {
    const wrongSecret = 'definitely-the-wrong-secret-1234';
    const moduleRef = await moduleFor({ accessKeyId: emulator.credentials.accessKeyId, accessKeySecret: wrongSecret, endpoints: emulator.endpoints });
    try {
      await assert.rejects(moduleRef.get(SmsService).sendSms({ phoneNumbers: '13912345678', signName: 'S', templateCode: 'SMS_1' }), (error: unknown) => {
        assert.ok(error instanceof AlicomApiError);
        assert.equal(error.code, 'SignatureDoesNotMatch');
        assert.equal(error.httpStatus, 400);
        assert.equal(error.resendSafe, true);
        assert.match(error.message, /accessKeySecret/);
        assert.ok(!error.message.includes(wrongSecret));
        assert.ok(!inspect(error).includes(wrongSecret));
        return true;
      });
    } finally {
      await moduleRef.close();
    }
  });

  it('reports InvalidAccessKeyId.NotFound (HTTP 404) for an unknown key', async () => {
    const moduleRef = await moduleFor({ accessKeyId: 'LTAIunknownKey', accessKeySecret: 'x', endpoints: emulator.endpoints });
    try {
      await assert.rejects(moduleRef.get(SmsService).querySendDetails({ phoneNumber: '13912345678', sendDate: new Date() }), (error: unknown) => {
        assert.ok(error instanceof AlicomApiError);
        assert.equal(error.code, 'InvalidAccessKeyId.NotFound');
        assert.equal(error.httpStatus, 404);
        return true;
      });
    } finally {
      await moduleRef.close();
    }
  });

  it('retries a send only when the connection was refused, and says a resend is safe', async () => {
    const port = await closedPort();
    const clock = new ManualClock();
    const moduleRef = await moduleFor({ ...emulator.credentials, endpoints: { sms: `http://127.0.0.1:${port}` }, maxQueryRetries: 1 }, clock);
    try {
      const sending = moduleRef.get(SmsService).sendSms({ phoneNumbers: '13912345678', signName: 'S', templateCode: 'SMS_1' });
      await assert.rejects(settleOnClock(clock, sending), (error: unknown) => {
        assert.ok(error instanceof AlicomApiError);
        assert.equal(error.code, 'ConnectionFailed');
        assert.equal(error.resendSafe, true);
        return true;
      });
    } finally {
      await moduleRef.close();
    }
  });

  it('serves two independent apps in one process', async () => {
    const other = await AlicomEmulator.start();
    const a = await moduleFor({ ...emulator.credentials, endpoints: emulator.endpoints });
    const b = await moduleFor({ ...other.credentials, endpoints: other.endpoints });
    try {
      const [ra, rb] = await Promise.all([
        a.get(SmsService).sendSms({ phoneNumbers: '13911111111', signName: 'A', templateCode: 'SMS_1' }),
        b.get(SmsService).sendSms({ phoneNumbers: '13922222222', signName: 'B', templateCode: 'SMS_1' }),
      ]);
      assert.ok(emulator.sends.some((s) => s.bizId === ra.bizId));
      assert.ok(other.sends.some((s) => s.bizId === rb.bizId));
      assert.ok(!other.sends.some((s) => s.bizId === ra.bizId));
    } finally {
      await a.close();
      await b.close();
      await other.close();
    }
  });
});

describe('module options', () => {
  it('forRootAsync takes options from an injected config provider', async () => {
    const emulator = await AlicomEmulator.start();
    @Injectable()
    class AppConfig {
      get() {
        return { ...emulator.credentials, endpoints: emulator.endpoints };
      }
    }
    @Module({ providers: [AppConfig], exports: [AppConfig] })
    class AppConfigModule {}

    const moduleRef = await Test.createTestingModule({
      imports: [
        AlicomSmsModule.forRootAsync({
          imports: [AppConfigModule],
          inject: [AppConfig],
          useFactory: async (config: AppConfig) => config.get(),
        }),
      ],
    }).compile();
    await moduleRef.init();
    try {
      const { bizId } = await moduleRef.get(SmsService).sendSms({ phoneNumbers: '13912345678', signName: 'S', templateCode: 'SMS_1' });
      assert.ok(emulator.sends.some((s) => s.bizId === bizId));
    } finally {
      await moduleRef.close();
      await emulator.close();
    }
  });

  it('fails bootstrap naming every bad field (forRoot)', async () => {
    await assert.rejects(
      Test.createTestingModule({
        imports: [AlicomSmsModule.forRoot({ accessKeyId: '', accessKeySecret: 'shh', regionId: 'mars-1', endpoints: { sms: 'not a url' } } as AlicomSmsModuleOptions)],
      }).compile(),
      (error: unknown) => {
        assert.ok(error instanceof AlicomSmsConfigError, String(error));
        const fields = error.problems.map((p) => p.field).sort();
        assert.deepEqual(fields, ['accessKeyId', 'endpoints.sms', 'regionId']);
        assert.ok(!error.message.includes('shh'));
        return true;
      },
    );
  });

  it('fails bootstrap naming every bad field (forRootAsync)', async () => {
    await assert.rejects(
      Test.createTestingModule({
        imports: [
          AlicomSmsModule.forRootAsync({
            useFactory: () => ({ accessKeyId: 'id', accessKeySecret: '', endpoints: { mns: 'ftp://x' }, receipts: { queuePrefix: 'nope' } }) as AlicomSmsModuleOptions,
          }),
        ],
      }).compile(),
      (error: unknown) => {
        assert.ok(error instanceof AlicomSmsConfigError, String(error));
        const fields = error.problems.map((p) => p.field).sort();
        assert.deepEqual(fields, ['accessKeySecret', 'endpoints.mns', 'receipts.queuePrefix']);
        return true;
      },
    );
  });
});
