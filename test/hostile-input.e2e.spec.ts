// Hostile and careless input through SmsService against the emulator: oversized template
// variables, values that throw when read (getters, Proxies, toJSON), cycles, BigInt, unknown or
// misspelt fields and options. Each is an SmsInputError naming the field, and nothing reaches the
// emulator.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Test, type TestingModule } from '@nestjs/testing';
import { AlicomSmsConfigError, AlicomSmsModule, InMemoryReceiptStore, SmsInputError, SmsService } from '../lib/index.js';
import { AlicomEmulator } from '../lib/testing/index.js';

const VALID = { phoneNumbers: '13800138000', signName: '阿里云短信测试', templateCode: 'SMS_154950909' } as const;

const throwing = (message: string) => () => {
  throw new Error(message);
};

describe('SmsService against hostile input (emulator over HTTP)', () => {
  let emulator: AlicomEmulator;
  let moduleRef: TestingModule;
  let sms: SmsService;

  before(async () => {
    emulator = await AlicomEmulator.start();
    moduleRef = await Test.createTestingModule({
      imports: [AlicomSmsModule.forRoot({ ...emulator.credentials, endpoints: emulator.endpoints, compensation: {} })],
    }).compile();
    await moduleRef.init();
    sms = moduleRef.get(SmsService);
  });
  after(async () => {
    await moduleRef.close();
    await emulator.close();
  });

  /** The call fails with an SmsInputError naming `field` (and matching `problem`), and nothing was sent. */
  async function rejected(call: () => Promise<unknown>, field: string, problem?: RegExp): Promise<SmsInputError> {
    const before = emulator.rpcRequests.length;
    const error = await call().then(
      () => assert.fail('expected an SmsInputError'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof SmsInputError, `expected an SmsInputError, got ${String(error)}`);
    const entry = error.problems.find((p) => p.field === field);
    assert.ok(entry, `no problem named ${field}: ${JSON.stringify(error.problems)}`);
    if (problem) assert.match(entry.problem, problem);
    assert.equal(error.resendSafe, true);
    assert.equal(emulator.rpcRequests.length, before, 'nothing reached the emulator');
    return error;
  }

  const cyclic: Record<string, unknown> = { code: '1' };
  cyclic.self = cyclic;
  const revoked = Proxy.revocable({ code: '1' }, {});
  revoked.revoke();

  const templateParams: Array<[string, () => unknown, string, RegExp]> = [
    ['a 1 MB value', () => ({ code: 'x'.repeat(1024 * 1024) }), 'templateParam.code', /1048576 characters long; at most 500/],
    ['20,000 variables', () => Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`v${i}`, '1'])), 'templateParam', /20000 variables; at most 100/],
    ['10 MB of JSON text', () => `{"code":"${'x'.repeat(10 * 1024 * 1024)}"}`, 'templateParam', /characters of JSON text; at most 4096/],
    ['many long values together', () => Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`v${i}`, '长'.repeat(400)])), 'templateParam', /characters of JSON; at most 4096/],
    ['a throwing getter', () => Object.defineProperty({}, 'code', { enumerable: true, get: throwing('getter exploded') }), 'templateParam.code', /getter threw \(getter exploded\)/],
    ['a Proxy whose ownKeys throws', () => new Proxy({}, { ownKeys: throwing('ownKeys exploded') }), 'templateParam', /listing its keys threw \(ownKeys exploded\)/],
    ['a Proxy whose get throws', () => new Proxy({ code: '1' }, { get: throwing('get exploded') }), 'templateParam.code', /get exploded/],
    ['a Proxy whose getPrototypeOf throws', () => new Proxy({ code: '1' }, { getPrototypeOf: throwing('proto exploded') }), 'templateParam', /must be an object of template variables, got an object that cannot be inspected/],
    ['a revoked Proxy', () => revoked.proxy, 'templateParam', /must be an object of template variables/],
    ['a toJSON that throws', () => ({ code: '1', toJSON: throwing('toJSON exploded') }), 'templateParam.toJSON', /must be a string or a finite number, got function/],
    ['a class instance with toJSON', () => new (class Params { toJSON() { throw new Error('no'); } })(), 'templateParam', /got a Params/],
    ['a cyclic object', () => cyclic, 'templateParam.self', /got an object/],
    ['a BigInt', () => ({ code: 10n }), 'templateParam.code', /got bigint 10; pass its text/],
    ['a lone surrogate', () => ({ code: 'ab\ud800' }), 'templateParam.code', /lone UTF-16 surrogate/],
  ];
  for (const [what, make, field, problem] of templateParams) {
    it(`rejects a templateParam with ${what}`, async () => {
      await rejected(() => sms.sendSms({ ...VALID, templateParam: make() as Record<string, string> }), field, problem);
    });
  }

  it('rejects batch templateParams past the request bound, and a throwing entry', async () => {
    const phoneNumbers = Array.from({ length: 100 }, (_, i) => String(13800000000 + i));
    const big = phoneNumbers.map(() => ({ a: '长'.repeat(400), b: '长'.repeat(400) }));
    await rejected(() => sms.sendBatchSms({ phoneNumbers, signNames: 'S', templateCode: 'SMS_1', templateParams: big }), 'templateParams', /characters of JSON in all; at most 65536/);
    const entries = [{ code: '1' }, Object.defineProperty({}, 'code', { enumerable: true, get: throwing('boom') })];
    await rejected(() => sms.sendBatchSms({ phoneNumbers: phoneNumbers.slice(0, 2), signNames: 'S', templateCode: 'SMS_1', templateParams: entries }), 'templateParams[1].code', /boom/);
    const array = new Proxy([{ code: '1' }, { code: '2' }], { get: (target, key) => (key === '1' ? throwing('index exploded')() : Reflect.get(target, key)) });
    await rejected(() => sms.sendBatchSms({ phoneNumbers: phoneNumbers.slice(0, 2), signNames: 'S', templateCode: 'SMS_1', templateParams: array }), 'templateParams', /entry 1 could not be read.*index exploded/);
  });

  it('bounds every other free-form field', async () => {
    await rejected(() => sms.sendSms({ ...VALID, outId: 'o'.repeat(300) }), 'outId', /at most 256/);
    await rejected(() => sms.sendSms({ ...VALID, outId: 'o'.repeat(10 * 1024 * 1024) }), 'outId', /characters long; at most 512/);
    await rejected(() => sms.sendSms({ ...VALID, signName: '签'.repeat(101) }), 'signName', /at most 100/);
    await rejected(() => sms.sendSms({ ...VALID, signName: 'ok\udc00' }), 'signName', /lone UTF-16 surrogate/);
    await rejected(() => sms.sendSms({ ...VALID, templateCode: `SMS_${'1'.repeat(200)}` }), 'templateCode', /at most 100 characters/);
    await rejected(() => sms.sendSms({ ...VALID, smsUpExtendCode: '1'.repeat(21) }), 'smsUpExtendCode', /at most 20/);
    await rejected(() => sms.sendSms({ ...VALID, phoneNumbers: `138${' '.repeat(1024 * 1024)}00138000` }), 'phoneNumbers', /characters long; a phone number has at most 15 digits/);
    await rejected(() => sms.sendSms({ ...VALID, phoneNumbers: Array.from({ length: 1_000_000 }, () => '13800138000') }), 'phoneNumbers', /1000000 numbers but SendSms takes at most 1000/);
    await rejected(() => sms.querySendDetails({ phoneNumber: '13800138000', sendDate: new Date(), bizId: 'b'.repeat(101) }), 'bizId', /at most 100/);
    await rejected(() => sms.waitForReport('b'.repeat(101), '13800138000'), 'bizId');
  });

  it('turns a request whose own fields throw into an SmsInputError naming them', async () => {
    const request = Object.defineProperty({ ...VALID }, 'signName', { enumerable: true, get: throwing('signName getter') });
    await rejected(() => sms.sendSms(request), 'signName', /could not be read: its getter threw \(signName getter\)/);
    await rejected(() => sms.sendSms(new Proxy({ ...VALID }, { ownKeys: throwing('keys') })), 'request', /listing its keys threw/);
    await rejected(() => sms.sendSms(revoked.proxy as never), 'request', /must be an object/);
    const query = Object.defineProperty({ phoneNumber: '13800138000', sendDate: new Date() }, 'pageSize', { enumerable: true, get: throwing('page') });
    const iterate = async () => {
      for await (const detail of sms.iterateSendDetails(query)) void detail;
    };
    await rejected(iterate, 'pageSize', /could not be read/);
  });

  it('rejects unknown and misspelt fields, naming the known ones', async () => {
    const error = await rejected(() => sms.sendSms({ ...VALID, templateParams: { code: '1' } } as never), 'templateParams', /not a known field of SendSms \(known: phoneNumbers, signName, templateCode, templateParam, outId, smsUpExtendCode\); did you mean "templateParam"\?/);
    assert.match(error.message, /templateParams: is not a known field/);
    await rejected(() => sms.sendBatchSms({ phoneNumbers: ['13800138000'], signNames: 'S', templateCode: 'SMS_1', templateParam: { a: '1' } } as never), 'templateParam', /did you mean "templateParams"/);
    await rejected(() => sms.querySendDetails({ phoneNumber: '13800138000', sendDate: new Date(), page: 2 } as never), 'page', /known: phoneNumber, sendDate, bizId, pageSize, currentPage/);
    await rejected(async () => {
      for await (const detail of sms.iterateSendDetails({ phoneNumber: '13800138000', sendDate: new Date(), currentPage: 2 } as never)) void detail;
    }, 'currentPage', /set by iterateSendDetails\(\) itself/);
  });

  it('rejects misspelt and mistyped per-call options instead of ignoring them', async () => {
    const { bizId } = await sms.sendSms(VALID);
    const started = Date.now();
    await rejected(() => sms.waitForReport(bizId, '13800138000', { timeout: 300 } as never), 'options.timeout', /not a known option of waitForReport\(\) \(known: timeoutMs, signal\); did you mean "timeoutMs"\?/);
    assert.ok(Date.now() - started < 1_000, 'rejected at once, not after the 60 s default');
    await rejected(() => sms.waitForReport(bizId, '13800138000', { timeoutMs: '300' } as never), 'options.timeoutMs', /integer from 1 to 2147483647, got the string "300"/);
    await rejected(() => sms.waitForReport(bizId, '13800138000', { timeoutMs: 2 ** 31 }), 'options.timeoutMs', /2147483647/);
    await rejected(() => sms.sendSms(VALID, { signal: 'abort' } as never), 'options.signal', /must be an AbortSignal/);
    await rejected(() => sms.sendSms(VALID, { singal: AbortSignal.timeout(1000) } as never), 'options.singal', /did you mean "signal"/);
    await rejected(() => sms.querySendDetails({ phoneNumber: '13800138000', sendDate: new Date() }, 5 as never), 'options', /must be an object with any of signal/);
    await rejected(() => sms.sendBatchSms({ phoneNumbers: ['13800138000'], signNames: 'S', templateCode: 'SMS_1' }, { timeoutMs: 5 } as never), 'options.timeoutMs', /known: signal/);
    // Absent and empty options are fine.
    await sms.sendSms(VALID, undefined);
    await sms.sendSms(VALID, {});
  });
});

describe('InMemoryReceiptStore limits', () => {
  it('rejects a misspelt, missing or out-of-range limit that would leave the store unbounded', () => {
    const error = (() => {
      try {
        new InMemoryReceiptStore({ maxPendng: 10, dedupeWindowSize: 10, dedupeWindowMs: 60_000 } as never);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(error instanceof AlicomSmsConfigError, String(error));
    assert.deepEqual(error.problems.map((p) => p.field).sort(), ['limits.maxPending', 'limits.maxPendng']);
    assert.match(error.message, /Invalid InMemoryReceiptStore limits/);
    assert.match(error.message, /limits.maxPendng: is not a known option .*did you mean "maxPending"/);
    assert.throws(() => new InMemoryReceiptStore({ maxPending: '10', dedupeWindowSize: 10, dedupeWindowMs: 60_000 } as never), /limits.maxPending: must be an integer from 1 to 10000000, got the string "10"/);
    assert.throws(() => new InMemoryReceiptStore(undefined as never), AlicomSmsConfigError);
  });
});
