import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AlicomApiError } from '../lib/errors/alicom-api.error.js';
import { SmsInputError } from '../lib/errors/sms-input.error.js';
import type {
  QuerySendDetailsRequest,
  SendBatchSmsRequest,
  SendSmsRequest,
} from '../lib/interfaces/sms-requests.interface.js';
import { ACCEPTED_PHONE_NUMBER_FORMS, normalizePhoneNumber } from '../lib/sms/phone-number.js';
import {
  validateQuerySendDetails,
  validateSendBatchSms,
  validateSendSms,
} from '../lib/sms/sms-request.validator.js';
import { templateParamListToJson, templateParamToJson } from '../lib/sms/template-param.js';

/** Runs `call`, asserts it throws one SmsInputError for `action` whose problems name exactly `fields`. */
function expectInputError(
  call: () => unknown,
  action: string,
  fields: string[],
  problemPatterns: Record<string, RegExp> = {},
): SmsInputError {
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  assert.ok(thrown instanceof SmsInputError, `expected SmsInputError, got ${String(thrown)}`);
  assert.ok(thrown instanceof AlicomApiError);
  assert.equal(thrown.action, action);
  assert.equal(thrown.code, 'InvalidInput');
  assert.equal(thrown.resendSafe, true);
  assert.deepEqual(
    thrown.problems.map((p) => p.field),
    fields,
    `problems were: ${JSON.stringify(thrown.problems, null, 1)}`,
  );
  for (const [field, pattern] of Object.entries(problemPatterns)) {
    const problem = thrown.problems.find((p) => p.field === field);
    assert.ok(problem, `no problem for ${field}`);
    assert.match(problem.problem, pattern, `problem of ${field}`);
  }
  // The message itself carries every problem, so logs are enough to fix the call.
  for (const { field, problem } of thrown.problems) assert.ok(thrown.message.includes(`${field}: ${problem}`));
  return thrown;
}

const VALID_SEND: SendSmsRequest = {
  phoneNumbers: '13800138000',
  signName: '阿里云短信测试',
  templateCode: 'SMS_154950909',
};

describe('normalizePhoneNumber', () => {
  const accepted: [raw: string, number: string, region: 'mainland' | 'international'][] = [
    ['13800138000', '13800138000', 'mainland'],
    ['19912345678', '19912345678', 'mainland'],
    ['  13800138000 ', '13800138000', 'mainland'],
    ['138-0013-8000', '13800138000', 'mainland'],
    ['138 0013 8000', '13800138000', 'mainland'],
    ['+8613800138000', '13800138000', 'mainland'],
    ['+86 138 0013 8000', '13800138000', 'mainland'],
    ['+86-138-0013-8000', '13800138000', 'mainland'],
    ['008613800138000', '13800138000', 'mainland'],
    ['0086 13800138000', '13800138000', 'mainland'],
    ['8613800138000', '13800138000', 'mainland'],
    ['+85291234567', '85291234567', 'international'],
    ['0085291234567', '85291234567', 'international'],
    ['85291234567', '85291234567', 'international'],
    ['+852 9123-4567', '85291234567', 'international'],
    ['+853 6612 3456', '85366123456', 'international'],
    ['+886 912 345 678', '886912345678', 'international'],
    ['+44 7911 123456', '447911123456', 'international'],
    ['+1 202 555 0123', '12025550123', 'international'],
    ['0012025550123', '12025550123', 'international'],
    ['12025550123', '12025550123', 'international'],
    ['+6581234567', '6581234567', 'international'],
    ['+68812345', '68812345', 'international'], // 8 digits: E.164 lower bound used here
    ['+491234567890123', '491234567890123', 'international'], // 15 digits: E.164 maximum
  ];
  for (const [raw, number, region] of accepted) {
    it(`accepts ${JSON.stringify(raw)} as ${region} ${number}`, () => {
      assert.deepEqual(normalizePhoneNumber(raw), { ok: true, number, region });
    });
  }

  const rejected: [raw: string, why: RegExp][] = [
    ['', /is empty/],
    ['   ', /is empty/],
    ['abc', /characters other than digits/],
    ['1380013800O', /characters other than digits/], // letter O instead of zero
    ['(+86) 13800138000', /characters other than digits/],
    ['++8613800138000', /characters other than digits/],
    ['+', /characters other than digits/],
    ['13800138000,13900139000', /more than one number/],
    ['13800138000，13900139000', /more than one number/], // full-width comma
    ['13800138000;13900139000', /more than one number/],
    ['138001380', /has 9 digits/],
    ['138001380001', /has 12 digits/],
    ['+86 12345678901', /not a mainland mobile/],
    ['+86 10 12345678', /not a mainland mobile/], // Beijing landline
    ['8612345', /not a mainland mobile/],
    ['013800138000', /country codes never start with 0/],
    ['+0086 13800138000', /country codes never start with 0/],
    ['000085291234567', /country codes never start with 0/],
    ['+13800138000', /same 11 digits as the mainland mobile 13800138000/],
    ['0013800138000', /same 11 digits as the mainland mobile 13800138000/],
    ['+1 202 555 012', /has 10 digits/],
    ['+852 1234', /has 7 digits/],
    ['+4912345678901234', /has 16 digits/],
  ];
  for (const [raw, why] of rejected) {
    it(`rejects ${JSON.stringify(raw)}`, () => {
      const result = normalizePhoneNumber(raw);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.match(result.problem, why);
      assert.ok(result.problem.includes(JSON.stringify(raw)), 'problem quotes the offending value');
    });
  }

  it('lists the accepted forms in problems about the format', () => {
    for (const raw of ['abc', '+86 123', '+852 1234', '013800138000', '']) {
      const result = normalizePhoneNumber(raw);
      assert.ok(!result.ok && result.problem.includes(ACCEPTED_PHONE_NUMBER_FORMS), raw);
    }
  });

  it('returns a problem instead of throwing for a non-string at runtime', () => {
    const result = normalizePhoneNumber(13800138000 as unknown as string);
    assert.equal(result.ok, false);
    assert.ok(!result.ok && /must be text.*"13800138000"/.test(result.problem));
  });
});

describe('templateParamToJson', () => {
  const converted: [name: string, input: unknown, json: string][] = [
    ['string values', { code: '1234', product: '云通信' }, '{"code":"1234","product":"云通信"}'],
    ['finite numbers become strings', { code: 1234, amount: 12.5, delta: -3, zero: 0 }, '{"code":"1234","amount":"12.5","delta":"-3","zero":"0"}'],
    ['JSON text', '{"code":"1234"}', '{"code":"1234"}'],
    ['JSON text with numbers is re-checked and converted', ' {"code":1234} ', '{"code":"1234"}'],
    ['an empty object', {}, '{}'],
    ['empty string values are kept', { note: '' }, '{"note":""}'],
    ['a "__proto__" key stays a plain key', '{"__proto__":"x"}', '{"__proto__":"x"}'],
    ['a null-prototype object', Object.assign(Object.create(null) as object, { code: '1' }), '{"code":"1"}'],
  ];
  for (const [name, input, json] of converted) {
    it(`converts ${name}`, () => {
      assert.deepEqual(templateParamToJson(input), { ok: true, json });
    });
  }

  const rejected: [name: string, input: unknown, fields: string[], why: RegExp][] = [
    ['a boolean', { ok: true }, ['templateParam.ok'], /got boolean true/],
    ['null', { a: null }, ['templateParam.a'], /got null/],
    ['undefined', { a: undefined }, ['templateParam.a'], /got undefined/],
    ['NaN', { a: Number.NaN }, ['templateParam.a'], /got number NaN/],
    ['Infinity', { a: Number.POSITIVE_INFINITY }, ['templateParam.a'], /got number Infinity/],
    ['a nested object', { a: { b: '1' } }, ['templateParam.a'], /got an object/],
    ['an array value', { a: ['1'] }, ['templateParam.a'], /got an array/],
    ['a bigint', { a: 5n }, ['templateParam.a'], /got bigint 5/],
    ['an empty key', { '': 'x' }, ['templateParam[""]'], /empty variable name/],
    ['a whitespace key', { ' ': 'x' }, ['templateParam[" "]'], /empty variable name/],
    ['a key that is not an identifier', { 'my key': true }, ['templateParam["my key"]'], /boolean/],
    ['several bad keys at once', { a: true, b: 'ok', c: Number.NaN }, ['templateParam.a', 'templateParam.c'], /./],
    ['text that is not JSON', 'code=1234', ['templateParam'], /not valid JSON/],
    ['JSON text of an array', '[{"code":"1"}]', ['templateParam'], /JSON text of an object, got JSON an array/],
    ['JSON text null', 'null', ['templateParam'], /JSON text of an object/],
    ['an empty string', '', ['templateParam'], /empty string/],
    ['JSON text with a boolean', '{"a":true}', ['templateParam.a'], /boolean true/],
    ['a number', 42, ['templateParam'], /got number 42/],
    ['an array', [{ code: '1' }], ['templateParam'], /got an array/],
    ['a Date', new Date(0), ['templateParam'], /got a Date/],
  ];
  for (const [name, input, fields, why] of rejected) {
    it(`rejects ${name}`, () => {
      const result = templateParamToJson(input);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.deepEqual(result.problems.map((p) => p.field), fields);
      assert.match(result.problems[0].problem, why);
    });
  }

  it('uses the given field name', () => {
    const result = templateParamToJson({ a: true }, 'custom');
    assert.ok(!result.ok && result.problems[0].field === 'custom.a');
  });
});

describe('templateParamListToJson', () => {
  it('converts one object (or JSON text) per number', () => {
    assert.deepEqual(templateParamListToJson([{ code: 1 }, '{"code":"2"}', {}]), {
      ok: true,
      json: '[{"code":"1"},{"code":"2"},{}]',
    });
  });

  it('names every bad entry and key with its index', () => {
    const result = templateParamListToJson([{ code: true }, { ok: 'x' }, null, 'nope']);
    assert.ok(!result.ok);
    assert.deepEqual(
      result.problems.map((p) => p.field),
      ['templateParams[0].code', 'templateParams[2]', 'templateParams[3]'],
    );
  });

  it('rejects a non-array', () => {
    const result = templateParamListToJson({ code: '1' });
    assert.ok(!result.ok);
    assert.deepEqual(result.problems.map((p) => p.field), ['templateParams']);
    assert.match(result.problems[0].problem, /must be an array/);
  });
});

describe('validateSendSms', () => {
  it('builds the required parameters and omits absent optional ones', () => {
    const { params, phoneNumbers } = validateSendSms(VALID_SEND);
    assert.deepEqual(params, { PhoneNumbers: '13800138000', SignName: '阿里云短信测试', TemplateCode: 'SMS_154950909' });
    assert.deepEqual(phoneNumbers, ['13800138000']);
  });

  it('normalizes and comma-joins numbers and maps every optional field', () => {
    const { params, phoneNumbers } = validateSendSms({
      phoneNumbers: ['+86 138 0013 8000', '0085291234567', '13900139000'],
      signName: ' 阿里云短信测试 ',
      templateCode: ' SMS_154950909 ',
      templateParam: { code: 1234, product: '云通信' },
      outId: 'order-42',
      smsUpExtendCode: '0901',
    });
    assert.deepEqual(params, {
      PhoneNumbers: '13800138000,85291234567,13900139000',
      SignName: '阿里云短信测试',
      TemplateCode: 'SMS_154950909',
      TemplateParam: '{"code":"1234","product":"云通信"}',
      OutId: 'order-42',
      SmsUpExtendCode: '0901',
    });
    assert.deepEqual(phoneNumbers, ['13800138000', '85291234567', '13900139000']);
  });

  it('accepts template variables as JSON text', () => {
    const { params } = validateSendSms({ ...VALID_SEND, templateParam: '{"code":9527}' });
    assert.equal(params.TemplateParam, '{"code":"9527"}');
  });

  it('treats null and empty optional values as absent (never the text "undefined")', () => {
    const { params } = validateSendSms({
      ...VALID_SEND,
      templateParam: undefined,
      outId: '',
      smsUpExtendCode: undefined,
      ...({ templateParam: null } as object),
    });
    assert.deepEqual(Object.keys(params).sort(), ['PhoneNumbers', 'SignName', 'TemplateCode']);
    assert.ok(!Object.values(params).some((v) => v === 'undefined' || v === 'null'));
  });

  it('keeps OutId exactly as given (receipts echo it back)', () => {
    assert.equal(validateSendSms({ ...VALID_SEND, outId: ' id 1 ' }).params.OutId, ' id 1 ');
  });

  it('accepts 1000 numbers and a 256-character OutId', () => {
    const numbers = Array.from({ length: 1000 }, (_, i) => String(13800000000 + i));
    const { params } = validateSendSms({ ...VALID_SEND, phoneNumbers: numbers, outId: 'x'.repeat(256) });
    assert.equal(params.PhoneNumbers.split(',').length, 1000);
  });

  const rejected: [name: string, request: unknown, fields: string[], patterns?: Record<string, RegExp>][] = [
    ['null', null, ['request'], { request: /must be an object.*got null/ }],
    ['undefined', undefined, ['request'], { request: /got undefined/ }],
    ['a string', '13800138000', ['request'], { request: /got the string/ }],
    ['an array', [VALID_SEND], ['request'], { request: /got an array/ }],
    ['an empty object', {}, ['phoneNumbers', 'signName', 'templateCode'], { phoneNumbers: /is required/ }],
    ['a near-miss key', { ...VALID_SEND, phoneNumbers: undefined, phoneNumber: '13800138000' }, ['phoneNumbers'], { phoneNumbers: /did you mean "phoneNumbers"/ }],
    ['phoneNumbers as a number', { ...VALID_SEND, phoneNumbers: 13800138000 }, ['phoneNumbers'], { phoneNumbers: /string or an array of strings, got number 13800138000/ }],
    ['an empty phone list', { ...VALID_SEND, phoneNumbers: [] }, ['phoneNumbers'], { phoneNumbers: /is empty/ }],
    ['an invalid single number', { ...VALID_SEND, phoneNumbers: '12345' }, ['phoneNumbers'], { phoneNumbers: /"12345"/ }],
    ['several numbers in one string', { ...VALID_SEND, phoneNumbers: '13800138000,13900139000' }, ['phoneNumbers'], { phoneNumbers: /as an array/ }],
    [
      'bad and duplicate entries',
      { ...VALID_SEND, phoneNumbers: ['13800138000', 'abc', 13900139000, '+86 138 0013 8000', '13900139000'] },
      ['phoneNumbers[1]', 'phoneNumbers[2]', 'phoneNumbers[3]'],
      {
        'phoneNumbers[1]': /"abc"/,
        'phoneNumbers[2]': /must be a string, got number 13900139000; write numbers as text/,
        'phoneNumbers[3]': /same number as phoneNumbers\[0\] \(13800138000\)/,
      },
    ],
    ['an empty signName', { ...VALID_SEND, signName: '  ' }, ['signName'], { signName: /is empty/ }],
    ['a non-string signName', { ...VALID_SEND, signName: 5 }, ['signName'], { signName: /got number 5/ }],
    ['a 101-character signName', { ...VALID_SEND, signName: '签'.repeat(101) }, ['signName'], { signName: /101 characters.*at most 100/ }],
    ['a templateCode with spaces', { ...VALID_SEND, templateCode: 'SMS 154950909' }, ['templateCode'], { templateCode: /no spaces/ }],
    ['an empty templateCode', { ...VALID_SEND, templateCode: '' }, ['templateCode'], { templateCode: /not a template code/ }],
    ['a numeric templateCode', { ...VALID_SEND, templateCode: 154950909 }, ['templateCode'], { templateCode: /got number/ }],
    ['a bad template variable', { ...VALID_SEND, templateParam: { code: true } }, ['templateParam.code'], {}],
    ['a 257-character outId', { ...VALID_SEND, outId: 'x'.repeat(257) }, ['outId'], { outId: /257 characters.*at most 256/ }],
    ['a numeric outId', { ...VALID_SEND, outId: 42 }, ['outId'], { outId: /must be a string/ }],
    ['a non-digit smsUpExtendCode', { ...VALID_SEND, smsUpExtendCode: '12a' }, ['smsUpExtendCode'], { smsUpExtendCode: /digits/ }],
    ['a numeric smsUpExtendCode', { ...VALID_SEND, smsUpExtendCode: 901 }, ['smsUpExtendCode'], { smsUpExtendCode: /leading zeros/ }],
  ];
  for (const [name, request, fields, patterns] of rejected) {
    it(`rejects ${name}`, () => {
      expectInputError(() => validateSendSms(request as SendSmsRequest), 'SendSms', fields, patterns);
    });
  }

  it('rejects 1001 numbers', () => {
    const numbers = Array.from({ length: 1001 }, (_, i) => String(13800000000 + i));
    expectInputError(() => validateSendSms({ ...VALID_SEND, phoneNumbers: numbers }), 'SendSms', ['phoneNumbers'], {
      phoneNumbers: /has 1001 numbers but SendSms takes at most 1000/,
    });
  });

  it('reports every problem of a request in one error', () => {
    expectInputError(
      () =>
        validateSendSms({
          phoneNumbers: ['1', '13800138000', '13800138000'],
          signName: '',
          templateCode: 'SMS 1',
          templateParam: { a: Number.NaN, b: null } as unknown as Record<string, string>,
          outId: 'x'.repeat(300),
          smsUpExtendCode: 'ext',
        }),
      'SendSms',
      ['phoneNumbers[0]', 'phoneNumbers[2]', 'signName', 'templateCode', 'templateParam.a', 'templateParam.b', 'outId', 'smsUpExtendCode'],
    );
  });
});

describe('validateSendBatchSms', () => {
  const base: SendBatchSmsRequest = {
    phoneNumbers: ['+86 138 0013 8000', '+85291234567'],
    signNames: '阿里云短信测试',
    templateCode: 'SMS_154950909',
  };

  it('expands a single signature to one per number and omits absent optional ones', () => {
    const { params, phoneNumbers } = validateSendBatchSms(base);
    assert.deepEqual(params, {
      PhoneNumberJson: '["13800138000","85291234567"]',
      SignNameJson: '["阿里云短信测试","阿里云短信测试"]',
      TemplateCode: 'SMS_154950909',
    });
    assert.deepEqual(phoneNumbers, ['13800138000', '85291234567']);
  });

  it('maps per-number arrays in order', () => {
    const { params } = validateSendBatchSms({
      ...base,
      signNames: ['签名甲', '签名乙'],
      templateParams: [{ code: 1 }, { code: '2' }],
      smsUpExtendCodes: ['90999', '01'],
      outId: 'batch-7',
    });
    assert.deepEqual(params, {
      PhoneNumberJson: '["13800138000","85291234567"]',
      SignNameJson: '["签名甲","签名乙"]',
      TemplateCode: 'SMS_154950909',
      TemplateParamJson: '[{"code":"1"},{"code":"2"}]',
      SmsUpExtendCodeJson: '["90999","01"]',
      OutId: 'batch-7',
    });
  });

  it('accepts 100 numbers', () => {
    const numbers = Array.from({ length: 100 }, (_, i) => String(13800000000 + i));
    assert.equal(JSON.parse(validateSendBatchSms({ ...base, phoneNumbers: numbers }).params.PhoneNumberJson).length, 100);
  });

  const rejected: [name: string, request: unknown, fields: string[], patterns?: Record<string, RegExp>][] = [
    ['a non-object', 7, ['request'], { request: /got number 7/ }],
    ['an empty object', {}, ['phoneNumbers', 'signNames', 'templateCode']],
    ['a near-miss signName key', { ...base, signNames: undefined, signName: 'x' }, ['signNames'], { signNames: /did you mean "signNames"/ }],
    ['phoneNumbers as one string', { ...base, phoneNumbers: '13800138000' }, ['phoneNumbers'], { phoneNumbers: /must be an array.*use sendSms/ }],
    ['101 numbers', { ...base, phoneNumbers: Array.from({ length: 101 }, (_, i) => String(13800000000 + i)) }, ['phoneNumbers'], { phoneNumbers: /101 numbers but SendBatchSms takes at most 100/ }],
    ['a duplicate number', { ...base, phoneNumbers: ['13800138000', '8613800138000'] }, ['phoneNumbers[1]'], { 'phoneNumbers[1]': /same number as phoneNumbers\[0\]/ }],
    [
      'signNames of the wrong length',
      { ...base, phoneNumbers: ['13800138000', '13900139000', '13700137000'], signNames: ['a'] },
      ['signNames'],
      { signNames: /has 1 entries but phoneNumbers has 3.*or give one string for all numbers/ },
    ],
    ['an empty sign name entry', { ...base, signNames: ['ok', ' '] }, ['signNames[1]'], { 'signNames[1]': /is empty/ }],
    ['signNames as a number', { ...base, signNames: 1 }, ['signNames'], { signNames: /got number 1/ }],
    ['templateParams of the wrong length', { ...base, templateParams: [{ code: '1' }] }, ['templateParams'], { templateParams: /has 1 entries but phoneNumbers has 2/ }],
    ['a bad template variable', { ...base, templateParams: [{ code: '1' }, { code: false }] }, ['templateParams[1].code'], { 'templateParams[1].code': /boolean false/ }],
    ['templateParams not an array', { ...base, templateParams: { code: '1' } }, ['templateParams'], { templateParams: /must be an array/ }],
    ['smsUpExtendCodes of the wrong length', { ...base, smsUpExtendCodes: ['1', '2', '3'] }, ['smsUpExtendCodes'], { smsUpExtendCodes: /has 3 entries but phoneNumbers has 2/ }],
    ['a bad extend code', { ...base, smsUpExtendCodes: ['1', 'x'] }, ['smsUpExtendCodes[1]'], { 'smsUpExtendCodes[1]': /digits/ }],
    ['smsUpExtendCodes not an array', { ...base, smsUpExtendCodes: '1' }, ['smsUpExtendCodes'], { smsUpExtendCodes: /must be an array/ }],
  ];
  for (const [name, request, fields, patterns] of rejected) {
    it(`rejects ${name}`, () => {
      expectInputError(() => validateSendBatchSms(request as SendBatchSmsRequest), 'SendBatchSms', fields, patterns);
    });
  }

  it('reports length mismatches even when some numbers are invalid, all in one error', () => {
    expectInputError(
      () =>
        validateSendBatchSms({
          phoneNumbers: ['13800138000', 'bad', '13900139000'],
          signNames: ['a', 'b'],
          templateCode: 'SMS_1',
          templateParams: [{}, {}, {}, {}],
          smsUpExtendCodes: ['1'],
        }),
      'SendBatchSms',
      ['phoneNumbers[1]', 'signNames', 'templateParams', 'smsUpExtendCodes'],
      {
        signNames: /has 2 entries but phoneNumbers has 3/,
        templateParams: /has 4 entries but phoneNumbers has 3/,
        smsUpExtendCodes: /has 1 entries but phoneNumbers has 3/,
      },
    );
  });
});

describe('validateQuerySendDetails', () => {
  // 17:30 UTC on the 27th is already 01:30 on the 28th in Beijing.
  const now = new Date('2026-11-27T17:30:00Z');
  const query = (overrides: Partial<Record<keyof QuerySendDetailsRequest, unknown>> = {}) =>
    ({ phoneNumber: '13800138000', sendDate: '20261128', ...overrides }) as QuerySendDetailsRequest;

  it('builds the parameters with default paging and no BizId', () => {
    const { params, phoneNumber } = validateQuerySendDetails(query({ phoneNumber: '+86 138 0013 8000' }), now);
    assert.deepEqual(params, { PhoneNumber: '13800138000', SendDate: '20261128', PageSize: '50', CurrentPage: '1' });
    assert.equal(phoneNumber, '13800138000');
  });

  it('passes paging and BizId through as text', () => {
    const { params } = validateQuerySendDetails(
      query({ pageSize: 10, currentPage: 3, bizId: '900619746936498440^0' }),
      now,
    );
    assert.deepEqual(params, {
      PhoneNumber: '13800138000',
      SendDate: '20261128',
      PageSize: '10',
      CurrentPage: '3',
      BizId: '900619746936498440^0',
    });
  });

  const days: [name: string, sendDate: Date | string, expected: string][] = [
    ['now itself is the Beijing day, not the UTC day', now, '20261128'],
    ['the last second of a Beijing day', new Date('2026-11-27T15:59:59Z'), '20261127'],
    ['the first second of a Beijing day', new Date('2026-11-27T16:00:00Z'), '20261128'],
    ['today in Beijing as text (still the 27th in UTC)', '20261128', '20261128'],
    ['yesterday in Beijing as text', '20261127', '20261127'],
    ['the oldest day in the window (29 days back)', '20261030', '20261030'],
    ['the oldest day as a Date at its Beijing midnight', new Date('2026-10-29T16:00:00Z'), '20261030'],
  ];
  for (const [name, sendDate, expected] of days) {
    it(`accepts ${name}`, () => {
      assert.equal(validateQuerySendDetails(query({ sendDate }), now).params.SendDate, expected);
    });
  }

  const rejected: [name: string, request: unknown, fields: string[], patterns?: Record<string, RegExp>][] = [
    ['a non-object', 'x', ['request'], { request: /must be an object with phoneNumber and sendDate/ }],
    ['an empty object', {}, ['phoneNumber', 'sendDate']],
    ['tomorrow in Beijing', query({ sendDate: '20261129' }), ['sendDate'], { sendDate: /20261129 is in the future \(today in Beijing is 20261128\)/ }],
    ['a Date in the future', query({ sendDate: new Date('2026-11-28T16:00:00Z') }), ['sendDate'], { sendDate: /in the future/ }],
    ['30 days back', query({ sendDate: '20261029' }), ['sendDate'], { sendDate: /30 days ago.*earliest day is 20261030/ }],
    ['a Date one second before the window', query({ sendDate: new Date('2026-10-29T15:59:59Z') }), ['sendDate'], { sendDate: /20261029 is 30 days ago/ }],
    ['a dashed date', query({ sendDate: '2026-11-28' }), ['sendDate'], { sendDate: /"2026-11-28" is not yyyyMMdd text/ }],
    ['an impossible day', query({ sendDate: '20260230' }), ['sendDate'], { sendDate: /not a real calendar day/ }],
    ['month 13', query({ sendDate: '20261301' }), ['sendDate'], { sendDate: /not a real calendar day/ }],
    ['an invalid Date', query({ sendDate: new Date('nope') }), ['sendDate'], { sendDate: /invalid Date/ }],
    ['a numeric date', query({ sendDate: 20261128 }), ['sendDate'], { sendDate: /must be a Date or yyyyMMdd text, got number/ }],
    ['an array of numbers', query({ phoneNumber: ['13800138000'] }), ['phoneNumber'], { phoneNumber: /exactly one number/ }],
    ['several numbers in one string', query({ phoneNumber: '13800138000,13900139000' }), ['phoneNumber'], { phoneNumber: /more than one number/ }],
    ['a numeric phone number', query({ phoneNumber: 13800138000 }), ['phoneNumber'], { phoneNumber: /write numbers as text/ }],
    ['a near-miss phone key', { phoneNumbers: '13800138000', sendDate: '20261128' }, ['phoneNumber'], { phoneNumber: /did you mean "phoneNumber"/ }],
    ['pageSize 0', query({ pageSize: 0 }), ['pageSize'], { pageSize: /integer from 1 to 50, got number 0/ }],
    ['pageSize 51', query({ pageSize: 51 }), ['pageSize'], { pageSize: /got number 51/ }],
    ['a fractional pageSize', query({ pageSize: 2.5 }), ['pageSize'], {}],
    ['pageSize as text', query({ pageSize: '10' }), ['pageSize'], { pageSize: /got the string "10"/ }],
    ['pageSize NaN', query({ pageSize: Number.NaN }), ['pageSize'], {}],
    ['currentPage 0', query({ currentPage: 0 }), ['currentPage'], { currentPage: /integer >= 1/ }],
    ['a fractional currentPage', query({ currentPage: 1.5 }), ['currentPage'], {}],
    ['a numeric bizId', query({ bizId: 9006 }), ['bizId'], { bizId: /must be a string/ }],
    [
      'everything at once',
      { phoneNumber: '+86 123', sendDate: '20261201', pageSize: 100, currentPage: -1, bizId: false },
      ['phoneNumber', 'sendDate', 'pageSize', 'currentPage', 'bizId'],
    ],
  ];
  for (const [name, request, fields, patterns] of rejected) {
    it(`rejects ${name}`, () => {
      expectInputError(
        () => validateQuerySendDetails(request as QuerySendDetailsRequest, now),
        'QuerySendDetails',
        fields,
        patterns,
      );
    });
  }

  it('defaults `now` to the current time', () => {
    assert.doesNotThrow(() => validateQuerySendDetails(query({ sendDate: new Date() })));
  });
});
