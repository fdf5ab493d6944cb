import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { after, afterEach, before, describe, it, mock } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { formatBeijingDay } from '../lib/testing/beijing-time.js';
import { AlicomEmulator, type EmulatedMnsToken } from '../lib/testing/index.js';
import { hmacSha1Base64 } from '../lib/testing/rpc/hmac-sha1.js';
import { NONCE_WINDOW_MS, NonceRegistry } from '../lib/testing/rpc/nonce-registry.js';
import { normalizePhoneNumber } from '../lib/testing/rpc/phone-numbers.js';
import { decodeFormParameters, popEncode } from '../lib/testing/rpc/pop-encoding.js';
import { buildRpcStringToSign, computeRpcSignature, rpcSignaturesMatch } from '../lib/testing/rpc/rpc-signature.js';
import { callEmulatorRpc } from './support/emulator-rpc-client.js';
import { POP_SEND_SMS, POP_WALKTHROUGH } from './support/pop-signature-vectors.js';

const UPPER_CASE_UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;
const BIZ_ID = /^\d+\^0$/;
const TEMPLATES = { SMS_100000001: '您的验证码为${code}。', SMS_100000002: '${name}，欢迎使用${product}。' };
const SIGN_NAMES = ['示例签名', '另一个签名'];
const VERIFICATION_CODE = { SignName: '示例签名', TemplateCode: 'SMS_100000001', TemplateParam: '{"code":"9527"}' };

describe('emulator POP verifier (PROTOCOL.md §2.4 worked examples)', () => {
  it('reproduces Alibaba RPC walk-through string-to-sign and signature', () => {
    const stringToSign = buildRpcStringToSign('GET', POP_WALKTHROUGH.parameters);
    assert.equal(stringToSign, POP_WALKTHROUGH.stringToSign);
    assert.equal(computeRpcSignature(stringToSign, POP_WALKTHROUGH.secret), POP_WALKTHROUGH.signature);
  });

  it('reproduces the pop-core SendSms example with a Chinese signature, ignoring Signature itself', () => {
    // Given in reverse order and with Signature included: the verifier must sort and skip it.
    const parameters = Object.fromEntries([...Object.entries(POP_SEND_SMS.parameters), ['Signature', POP_SEND_SMS.signature]].reverse());
    const stringToSign = buildRpcStringToSign('GET', parameters);
    assert.equal(stringToSign, POP_SEND_SMS.stringToSign);
    assert.equal(computeRpcSignature(stringToSign, POP_SEND_SMS.secret), POP_SEND_SMS.signature);
    assert.match(buildRpcStringToSign('POST', parameters), /^POST&%2F&AccessKeyId%3D/);
  });

  it('computes HMAC-SHA1 as node:crypto does, for short, block-sized, long and multi-byte keys', () => {
    const keys = ['', 'emulator-secret&', 'k'.repeat(64), 'k'.repeat(65), '密钥&'.repeat(30)];
    const messages = ['', 'GET&%2F&AccessKeyId%3Dtestid', '阿😀\n'.repeat(50)];
    for (const key of keys) {
      for (const message of messages) {
        assert.equal(hmacSha1Base64(key, message), createHmac('sha1', key).update(message, 'utf8').digest('base64'), `key ${key}`);
      }
    }
  });

  it('POP-encodes reserved characters, multi-byte text and newlines per §2.2', () => {
    assert.equal(popEncode("a b*~+/:=&'()!^,"), 'a%20b%2A~%2B%2F%3A%3D%26%27%28%29%21%5E%2C');
    assert.equal(popEncode('阿😀\n'), '%E9%98%BF%F0%9F%98%80%0A');
    assert.equal(popEncode('Az09-_.~'), 'Az09-_.~');
  });

  it('decodes wire parameters with form semantics', () => {
    assert.deepEqual(decodeFormParameters('A=x+y&B=%2B%E9%98%BF&A=last'), { A: 'last', B: '+阿' });
  });

  it('compares signatures exactly, whatever their length', () => {
    assert.equal(rpcSignaturesMatch('h5Rny7tjpIDosMcZzv4oy9Hb0Jc=', 'h5Rny7tjpIDosMcZzv4oy9Hb0Jc='), true);
    assert.equal(rpcSignaturesMatch('h5Rny7tjpIDosMcZzv4oy9Hb0Jd=', 'h5Rny7tjpIDosMcZzv4oy9Hb0Jc='), false);
    assert.equal(rpcSignaturesMatch('h5Rny7tjpIDosMcZzv4oy9Hb0Jc', 'h5Rny7tjpIDosMcZzv4oy9Hb0Jc='), false);
  });
});

describe('emulator phone number rules', () => {
  it('accepts mainland numbers with every documented prefix and normalizes them', () => {
    for (const text of ['13912345678', '+8613912345678', '008613912345678', '8613912345678', '+13912345678']) {
      assert.equal(normalizePhoneNumber(text), '13912345678', text);
    }
  });

  it('accepts international numbers with a country code', () => {
    assert.equal(normalizePhoneNumber('85291234567'), '85291234567');
    assert.equal(normalizePhoneNumber('+12025550123'), '12025550123');
    assert.equal(normalizePhoneNumber('12025550123'), '12025550123');
    assert.equal(normalizePhoneNumber('0044201234567'), '44201234567');
  });

  it('rejects malformed numbers', () => {
    for (const text of ['', '1391234567', '139123456789', '10012345678', '+86139123456', 'abc', '139 1234 5678', '+']) {
      assert.equal(normalizePhoneNumber(text), undefined, text);
    }
  });
});

describe('emulator nonce registry', () => {
  const WINDOW = NONCE_WINDOW_MS;

  it('refuses a nonce replayed by the same key within the window only', () => {
    const nonces = new NonceRegistry();
    assert.equal(nonces.claim('K1', 'n-1', 1_000), true);
    assert.equal(nonces.claim('K1', 'n-1', 1_000 + WINDOW - 1), false);
    assert.equal(nonces.claim('K2', 'n-1', 1_000 + WINDOW - 1), true);
    // Claimed at 1000: forgotten once the window has passed it.
    assert.equal(nonces.claim('K1', 'n-1', 1_000 + WINDOW + 1), true);
    assert.equal(nonces.claim('K1', 'n-1', 1_000 + WINDOW + 2), false);
  });

  it('forgets expired nonces of every key, keeping the recent ones', () => {
    const nonces = new NonceRegistry();
    nonces.claim('K1', 'old', 0);
    nonces.claim('K2', 'old', 10);
    nonces.claim('K1', 'recent', WINDOW);
    nonces.claim('K3', 'trigger', WINDOW + 20);
    assert.equal(nonces.claim('K1', 'old', WINDOW + 21), true);
    assert.equal(nonces.claim('K2', 'old', WINDOW + 21), true);
    assert.equal(nonces.claim('K1', 'recent', WINDOW + 21), false);
    assert.equal(nonces.claim('K3', 'trigger', WINDOW + 21), false);
  });
});

describe('AlicomEmulator RPC over HTTP', () => {
  let emulator: AlicomEmulator;

  before(async () => {
    emulator = await AlicomEmulator.start({ templates: TEMPLATES, signNames: SIGN_NAMES });
  });
  afterEach(() => {
    mock.restoreAll();
    emulator.reset();
    emulator.delivery = () => ({ success: true });
    emulator.reportDelayMs = 0;
    emulator.latencyMs = 0;
  });
  after(() => emulator.close());

  it('exposes one origin per product, a working key pair and the account queues', () => {
    const { sms, token, mns } = emulator.endpoints;
    for (const origin of [sms, token, mns]) assert.match(origin, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(new Set([sms, token, mns]).size, 3);
    assert.equal(emulator.url, sms);
    assert.equal(emulator.credentials.accessKeyId, 'LTAIEmulatorKeyId');
    assert.equal(emulator.accountUid, '1092397003988387');
    assert.equal(emulator.queuePrefix, 'Alicom-Queue-1092397003988387-');
    assert.deepEqual(emulator.queues, {
      SmsReport: 'Alicom-Queue-1092397003988387-SmsReport',
      SmsUp: 'Alicom-Queue-1092397003988387-SmsUp',
    });
  });

  it('accepts a signed GET SendSms, records it and queues its SmsReport', async () => {
    const enqueue = mock.method(emulator.mns, 'enqueueJson');
    const result = await callEmulatorRpc(emulator, 'SendSms', {
      ...VERIFICATION_CODE,
      PhoneNumbers: '13912345678',
      OutId: 'order-42',
      SmsUpExtendCode: '123',
    });

    assert.equal(result.status, 200);
    assert.equal(result.contentType, 'application/json;charset=utf-8');
    assert.match(result.body.RequestId, UPPER_CASE_UUID);
    assert.equal(result.body.Code, 'OK');
    assert.equal(result.body.Message, 'OK');
    assert.match(result.body.BizId, BIZ_ID);

    assert.equal(emulator.sends.length, 1);
    const send = emulator.sends[0];
    assert.equal(send.action, 'SendSms');
    assert.equal(send.requestId, result.body.RequestId);
    assert.equal(send.bizId, result.body.BizId);
    assert.equal(send.templateCode, 'SMS_100000001');
    assert.equal(send.outId, 'order-42');
    assert.deepEqual(send.recipients[0], {
      phoneNumber: '13912345678',
      normalizedNumber: '13912345678',
      signName: '示例签名',
      templateParam: { code: '9527' },
      smsUpExtendCode: '123',
      content: '【示例签名】您的验证码为9527。',
      smsSize: 1,
      status: 'delivered',
      errCode: 'DELIVERED',
      errMsg: '用户接收成功',
      receiveDate: send.recipients[0].receiveDate,
    });
    assert.ok(send.recipients[0].receiveDate instanceof Date);

    assert.equal(enqueue.mock.callCount(), 1);
    const [queueName, report] = enqueue.mock.calls[0].arguments;
    assert.equal(queueName, emulator.queues.SmsReport);
    assert.deepEqual(Object.keys(report as object).sort(), [
      'biz_id', 'err_code', 'err_msg', 'out_id', 'phone_number', 'report_time', 'send_time', 'sms_size', 'success',
    ]);
    assert.deepEqual(
      { ...(report as Record<string, unknown>), send_time: undefined, report_time: undefined },
      {
        phone_number: '13912345678',
        send_time: undefined,
        report_time: undefined,
        success: true,
        err_code: 'DELIVERED',
        err_msg: '用户接收成功',
        sms_size: '1',
        biz_id: send.bizId,
        out_id: 'order-42',
      },
    );
    assert.match((report as { send_time: string }).send_time, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('accepts a signed POST form with prefixed numbers and keeps them as sent', async () => {
    const result = await callEmulatorRpc(
      emulator,
      'SendSms',
      {
        SignName: '另一个签名',
        TemplateCode: 'SMS_100000002',
        TemplateParam: '{"name":"张三 & 李四+","product":"云通信"}',
        PhoneNumbers: '+8613912345678,008613800138000',
      },
      { method: 'POST' },
    );
    assert.equal(result.status, 200);
    assert.equal(result.body.Code, 'OK');
    const [first, second] = emulator.sends[0].recipients;
    assert.equal(first.phoneNumber, '+8613912345678');
    assert.equal(first.normalizedNumber, '13912345678');
    assert.equal(second.normalizedNumber, '13800138000');
    assert.equal(first.content, '【另一个签名】张三 & 李四+，欢迎使用云通信。');
  });

  it('answers 400 SignatureDoesNotMatch echoing its string to sign when the secret is wrong', async () => {
    const result = await callEmulatorRpc(emulator, 'SendSms', { ...VERIFICATION_CODE, PhoneNumbers: '13912345678' }, {
      method: 'POST',
      accessKeySecret: 'not-the-secret',
    });
    assert.equal(result.status, 400);
    assert.equal(result.contentType, 'application/json;charset=utf-8');
    assert.equal(result.body.Code, 'SignatureDoesNotMatch');
    assert.equal(
      result.body.Message,
      `Specified signature is not matched with our calculation. server string to sign is:${result.stringToSign}`,
    );
    assert.match(result.body.Message, /string to sign is:POST&%2F&AccessKeyId%3D/);
    assert.doesNotMatch(result.body.Message, /not-the-secret|emulator-secret/);
    assert.match(result.body.RequestId, UPPER_CASE_UUID);
    assert.equal(result.body.HostId, new URL(emulator.url).host);
    assert.match(result.body.Recommend, /q=SignatureDoesNotMatch&product=Dysmsapi&requestId=/);
    assert.equal(emulator.sends.length, 0);
  });

  it('computes its own string to sign from what arrived when a parameter is altered after signing', async () => {
    const result = await callEmulatorRpc(emulator, 'SendSms', { ...VERIFICATION_CODE, PhoneNumbers: '13912345678' }, {
      tamper: (encoded) => encoded.replace('PhoneNumbers=13912345678', 'PhoneNumbers=13800138000'),
    });
    assert.equal(result.status, 400);
    assert.equal(result.body.Code, 'SignatureDoesNotMatch');
    assert.match(result.body.Message, /PhoneNumbers%3D13800138000/);
    assert.equal(emulator.sends.length, 0);
  });

  it('answers 404 InvalidAccessKeyId.NotFound for an unknown key', async () => {
    const result = await callEmulatorRpc(emulator, 'SendSms', { ...VERIFICATION_CODE, PhoneNumbers: '13912345678' }, {
      accessKeyId: 'LTAIUnknownKey',
    });
    assert.equal(result.status, 404);
    assert.equal(result.body.Code, 'InvalidAccessKeyId.NotFound');
    assert.equal(result.body.Message, 'Specified access key is not found.');
  });

  it('answers 400 InvalidTimeStamp.Expired outside ±15 minutes and accepts inside', async () => {
    const minutes = (n: number) => new Date(Date.now() + n * 60_000);
    for (const timestamp of [minutes(-16), minutes(16)]) {
      const result = await callEmulatorRpc(emulator, 'SendSms', { ...VERIFICATION_CODE, PhoneNumbers: '13912345678' }, {
        timestamp,
      });
      assert.equal(result.status, 400);
      assert.equal(result.body.Code, 'InvalidTimeStamp.Expired');
      assert.equal(result.body.Message, 'Specified time stamp or date value is expired.');
    }
    const inside = await callEmulatorRpc(emulator, 'SendSms', { ...VERIFICATION_CODE, PhoneNumbers: '13912345678' }, {
      timestamp: minutes(-14),
    });
    assert.equal(inside.body.Code, 'OK');
  });

  it('answers 400 InvalidTimeStamp.Format for a timestamp with milliseconds', async () => {
    const result = await callEmulatorRpc(emulator, 'SendSms', { ...VERIFICATION_CODE, PhoneNumbers: '13912345678' }, {
      override: { Timestamp: new Date().toISOString() },
    });
    assert.equal(result.status, 400);
    assert.equal(result.body.Code, 'InvalidTimeStamp.Format');
  });

  it('answers 400 SignatureNonceUsed when a signed request is replayed, sending only once', async () => {
    const options = { nonce: 'replayed-nonce-1', timestamp: new Date() };
    const request = { ...VERIFICATION_CODE, PhoneNumbers: '13912345678' };
    const first = await callEmulatorRpc(emulator, 'SendSms', request, options);
    const replay = await callEmulatorRpc(emulator, 'SendSms', request, options);
    assert.equal(first.body.Code, 'OK');
    assert.equal(replay.status, 400);
    assert.equal(replay.body.Code, 'SignatureNonceUsed');
    assert.equal(emulator.sends.length, 1);
  });

  it('answers 400 Missing<Name> naming a missing common or action parameter', async () => {
    const noNonce = await callEmulatorRpc(emulator, 'SendSms', { ...VERIFICATION_CODE, PhoneNumbers: '13912345678' }, {
      omit: ['SignatureNonce'],
    });
    assert.equal(noNonce.status, 400);
    assert.equal(noNonce.body.Code, 'MissingSignatureNonce');
    assert.match(noNonce.body.Message, /SignatureNonce/);

    const noSignName = await callEmulatorRpc(emulator, 'SendSms', {
      TemplateCode: 'SMS_100000001',
      PhoneNumbers: '13912345678',
    });
    assert.equal(noSignName.status, 400);
    assert.equal(noSignName.body.Code, 'MissingSignName');
    assert.equal(noSignName.body.Message, 'SignName is mandatory for this action.');
    assert.equal(emulator.sends.length, 0);
  });

  it('insists on HMAC-SHA1 and signature version 1.0', async () => {
    const request = { ...VERIFICATION_CODE, PhoneNumbers: '13912345678' };
    const sha256 = await callEmulatorRpc(emulator, 'SendSms', request, { override: { SignatureMethod: 'HMAC-SHA256' } });
    assert.equal(sha256.body.Code, 'InvalidSignatureMethod');
    const v2 = await callEmulatorRpc(emulator, 'SendSms', request, { override: { SignatureVersion: '2.0' } });
    assert.equal(v2.body.Code, 'InvalidSignatureVersion');
  });

  describe('XML answers (PROTOCOL.md §2.1, §9.1 item 10)', () => {
    const request = { ...VERIFICATION_CODE, PhoneNumbers: '13912345678' };
    const xml = new XMLParser({ parseTagValue: false, isArray: (name) => name === 'SmsSendDetailDTO' });

    it('answers a request without Format in XML, as Alibaba does, and sends the SMS', async () => {
      const result = await callEmulatorRpc(emulator, 'SendSms', request, { omit: ['Format'] });
      assert.equal(result.status, 200);
      assert.equal(result.contentType, 'text/xml;charset=utf-8');
      assert.equal(emulator.sends.length, 1);
      const [send] = emulator.sends;
      assert.equal(
        result.text,
        `<?xml version='1.0' encoding='UTF-8'?><SendSmsResponse><RequestId>${send.requestId}</RequestId>` +
          `<Code>OK</Code><Message>OK</Message><BizId>${send.bizId}</BizId></SendSmsResponse>`,
      );
    });

    it('answers Format=XML (any case) in XML and Format=json in JSON', async () => {
      const upper = await callEmulatorRpc(emulator, 'SendSms', request, { override: { Format: 'XML' } });
      assert.equal(xml.parse(upper.text).SendSmsResponse.Code, 'OK');
      const lower = await callEmulatorRpc(emulator, 'SendSms', request, { override: { Format: 'xml' } });
      assert.equal(lower.contentType, 'text/xml;charset=utf-8');
      const json = await callEmulatorRpc(emulator, 'SendSms', request, { override: { Format: 'json' } });
      assert.equal(json.body.Code, 'OK');
      assert.equal(emulator.sends.length, 3);
    });

    it('renders lists as repeated elements and nested objects as nested elements', async () => {
      for (const outId of ['a', 'b']) await callEmulatorRpc(emulator, 'SendSms', { ...request, OutId: outId });
      const sendDate = formatBeijingDay(emulator.sends[0].acceptedAt);
      const query = { PhoneNumber: '13912345678', SendDate: sendDate, PageSize: '10', CurrentPage: '1' };
      const found = await callEmulatorRpc(emulator, 'QuerySendDetails', query, { omit: ['Format'] });
      const answer = xml.parse(found.text).QuerySendDetailsResponse;
      assert.equal(answer.Code, 'OK');
      assert.equal(answer.TotalCount, '2');
      assert.deepEqual(answer.SmsSendDetailDTOs.SmsSendDetailDTO.map((d: { OutId: string; SendStatus: string }) => [d.OutId, d.SendStatus]), [['a', '3'], ['b', '3']]);
      const none = await callEmulatorRpc(emulator, 'QuerySendDetails', { ...query, PhoneNumber: '13800138000' }, { omit: ['Format'] });
      assert.match(none.text, /<TotalCount>0<\/TotalCount><SmsSendDetailDTOs><\/SmsSendDetailDTOs><\/QuerySendDetailsResponse>$/);

      const token = await callEmulatorRpc(emulator, 'QueryTokenForMnsQueue', { MessageType: 'SmsReport' }, { omit: ['Format'] });
      const dto = xml.parse(token.text).QueryTokenForMnsQueueResponse.MessageTokenDTO;
      assert.deepEqual(Object.keys(dto), ['AccessKeyId', 'AccessKeySecret', 'SecurityToken', 'CreateTime', 'ExpireTime']);
      assert.match(dto.AccessKeyId, /^STS\./);
    });

    it('answers business errors under the action root and gateway errors as <Error>, escaping text', async () => {
      const refused = await callEmulatorRpc(emulator, 'SendSms', { ...request, PhoneNumbers: '1391234567' }, { omit: ['Format'] });
      assert.equal(refused.status, 200);
      const business = xml.parse(refused.text).SendSmsResponse;
      assert.equal(business.Code, 'isv.MOBILE_NUMBER_ILLEGAL');
      assert.equal(business.BizId, undefined);

      const forged = await callEmulatorRpc(emulator, 'SendSms', request, { omit: ['Format'], accessKeySecret: 'not-the-secret' });
      assert.equal(forged.status, 400);
      assert.match(forged.text, /^<\?xml version='1\.0' encoding='UTF-8'\?><Error><RequestId>[0-9A-F-]{36}<\/RequestId><HostId>/);
      const gateway = xml.parse(forged.text).Error;
      assert.deepEqual(Object.keys(gateway), ['RequestId', 'HostId', 'Code', 'Message', 'Recommend']);
      assert.equal(gateway.Code, 'SignatureDoesNotMatch');
      // The echoed string to sign carries `&`, escaped on the wire and intact once parsed.
      assert.equal(gateway.Message, `Specified signature is not matched with our calculation. server string to sign is:${forged.stringToSign}`);
      assert.match(forged.text, /&amp;/);
      assert.equal(emulator.sends.length, 0);
    });
  });

  it('answers 404 for an unknown action and 400 for another API version', async () => {
    const unknown = await callEmulatorRpc(emulator, 'SendInterSms', {});
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.Code, 'InvalidAction.NotFound');
    const oldVersion = await callEmulatorRpc(emulator, 'SendSms', { ...VERIFICATION_CODE, PhoneNumbers: '13912345678' }, {
      override: { Version: '2016-09-27' },
    });
    assert.equal(oldVersion.status, 400);
    assert.equal(oldVersion.body.Code, 'InvalidVersion');
  });

  describe('business validation (HTTP 200, no BizId, nothing sent)', () => {
    const tooMany = (n: number) => Array.from({ length: n }, (_, i) => `139${String(i).padStart(8, '0')}`);
    const cases: { name: string; action: string; parameters: Record<string, string>; code: string; message?: RegExp }[] = [
      { name: 'malformed number', action: 'SendSms', parameters: { ...VERIFICATION_CODE, PhoneNumbers: '13912345678,1391234567' }, code: 'isv.MOBILE_NUMBER_ILLEGAL', message: /1391234567/ },
      { name: '1001 numbers', action: 'SendSms', parameters: { ...VERIFICATION_CODE, PhoneNumbers: tooMany(1001).join(',') }, code: 'isv.MOBILE_COUNT_OVER_LIMIT' },
      { name: 'numeric template value', action: 'SendSms', parameters: { ...VERIFICATION_CODE, TemplateParam: '{"code":9527}', PhoneNumbers: '13912345678' }, code: 'isv.INVALID_JSON_PARAM' },
      { name: 'TemplateParam not JSON', action: 'SendSms', parameters: { ...VERIFICATION_CODE, TemplateParam: 'code=9527', PhoneNumbers: '13912345678' }, code: 'isv.INVALID_JSON_PARAM' },
      { name: 'TemplateParam an array', action: 'SendSms', parameters: { ...VERIFICATION_CODE, TemplateParam: '["9527"]', PhoneNumbers: '13912345678' }, code: 'isv.INVALID_JSON_PARAM' },
      { name: 'unknown template', action: 'SendSms', parameters: { ...VERIFICATION_CODE, TemplateCode: 'SMS_999', PhoneNumbers: '13912345678' }, code: 'isv.SMS_TEMPLATE_ILLEGAL' },
      { name: 'missing variable', action: 'SendSms', parameters: { ...VERIFICATION_CODE, TemplateParam: '{"other":"x"}', PhoneNumbers: '13912345678' }, code: 'isv.TEMPLATE_MISSING_PARAMETERS', message: /code/ },
      { name: 'unknown signature', action: 'SendSms', parameters: { ...VERIFICATION_CODE, SignName: '陌生签名', PhoneNumbers: '13912345678' }, code: 'isv.SMS_SIGNATURE_ILLEGAL' },
      { name: 'batch arrays of different lengths', action: 'SendBatchSms', parameters: { PhoneNumberJson: '["13912345678","13800138000"]', SignNameJson: '["示例签名"]', TemplateCode: 'SMS_100000001', TemplateParamJson: '[{"code":"1"},{"code":"2"}]' }, code: 'isv.INVALID_PARAMETERS', message: /SignNameJson/ },
      { name: 'batch of 101 numbers', action: 'SendBatchSms', parameters: { PhoneNumberJson: JSON.stringify(tooMany(101)), SignNameJson: JSON.stringify(tooMany(101).map(() => '示例签名')), TemplateCode: 'SMS_100000001' }, code: 'isv.MOBILE_COUNT_OVER_LIMIT' },
      { name: 'batch numeric variable', action: 'SendBatchSms', parameters: { PhoneNumberJson: '["13912345678"]', SignNameJson: '["示例签名"]', TemplateCode: 'SMS_100000001', TemplateParamJson: '[{"code":1}]' }, code: 'isv.INVALID_JSON_PARAM' },
    ];
    for (const { name, action, parameters, code, message } of cases) {
      it(`${name} → ${code}`, async () => {
        const result = await callEmulatorRpc(emulator, action, parameters, { method: 'POST' });
        assert.equal(result.status, 200);
        assert.equal(result.body.Code, code);
        assert.equal(result.body.BizId, undefined);
        assert.match(result.body.RequestId, UPPER_CASE_UUID);
        if (message) assert.match(result.body.Message, message);
        assert.equal(emulator.sends.length, 0);
      });
    }
  });

  it('accepts SendBatchSms with a signature and variables per number under one BizId', async () => {
    const result = await callEmulatorRpc(
      emulator,
      'SendBatchSms',
      {
        PhoneNumberJson: '["13912345678","+85291234567"]',
        SignNameJson: '["示例签名","另一个签名"]',
        TemplateCode: 'SMS_100000001',
        TemplateParamJson: '[{"code":"1111"},{"code":"2222"}]',
        SmsUpExtendCodeJson: '["90","91"]',
      },
      { method: 'POST' },
    );
    assert.equal(result.body.Code, 'OK');
    const [send] = emulator.findSends({ action: 'SendBatchSms' });
    assert.equal(send.bizId, result.body.BizId);
    assert.deepEqual(
      send.recipients.map((r) => [r.normalizedNumber, r.signName, r.content, r.smsUpExtendCode]),
      [
        ['13912345678', '示例签名', '【示例签名】您的验证码为1111。', '90'],
        ['85291234567', '另一个签名', '【另一个签名】您的验证码为2222。', '91'],
      ],
    );
    assert.equal(emulator.findSends({ phoneNumber: '+8613912345678' }).length, 1);
    assert.equal(emulator.findSends({ phoneNumber: '13800138000' }).length, 0);
    assert.equal(emulator.lastMessageTo('0085291234567')?.recipient.signName, '另一个签名');
  });

  it('applies the delivery decision: a failed recipient and its failure receipt', async () => {
    const enqueue = mock.method(emulator.mns, 'enqueueJson');
    emulator.delivery = ({ normalizedNumber }) =>
      normalizedNumber === '13800138000' ? { success: false, errCode: 'MK:0001', errMsg: '空号' } : { success: true };
    await callEmulatorRpc(emulator, 'SendSms', { ...VERIFICATION_CODE, PhoneNumbers: '13912345678,13800138000' });
    const [delivered, failed] = emulator.sends[0].recipients;
    assert.equal(delivered.status, 'delivered');
    assert.equal(failed.status, 'failed');
    assert.equal(failed.errCode, 'MK:0001');
    const reports = enqueue.mock.calls.map((call) => call.arguments[1] as Record<string, unknown>);
    assert.deepEqual(
      reports.map((r) => [r.phone_number, r.success, r.err_code, r.err_msg]),
      [
        ['13912345678', true, 'DELIVERED', '用户接收成功'],
        ['13800138000', false, 'MK:0001', '空号'],
      ],
    );
  });

  it('keeps the outcome but queues no SmsReport when the decision says the receipt is lost', async () => {
    const enqueue = mock.method(emulator.mns, 'enqueueJson');
    emulator.delivery = () => ({ success: true, report: false });
    await callEmulatorRpc(emulator, 'SendSms', { ...VERIFICATION_CODE, PhoneNumbers: '13912345678' });
    assert.equal(emulator.sends[0].recipients[0].status, 'delivered');
    assert.equal(enqueue.mock.callCount(), 0);
  });

  it('answers 500 InternalError naming the cause when the delivery callback throws, recording nothing', async () => {
    emulator.delivery = () => {
      throw new Error('delivery callback broke');
    };
    const result = await callEmulatorRpc(emulator, 'SendSms', { ...VERIFICATION_CODE, PhoneNumbers: '13912345678' });
    assert.equal(result.status, 500);
    assert.equal(result.body.Code, 'InternalError');
    assert.match(result.body.Message, /delivery callback broke/);
    assert.equal(emulator.sends.length, 0);
  });

  it('keeps a recipient waiting until the report delay has passed', async () => {
    emulator.reportDelayMs = 3_600_000;
    await callEmulatorRpc(emulator, 'SendSms', { ...VERIFICATION_CODE, PhoneNumbers: '13912345678' });
    const recipient = emulator.sends[0].recipients[0];
    assert.equal(recipient.status, 'waiting');
    assert.equal(recipient.receiveDate, undefined);
  });

  it('issues a MessageTokenDTO from the MNS side for the account queue (POST, as the Java SDK does)', async () => {
    const issueToken = mock.method(emulator.mns, 'issueToken');
    const result = await callEmulatorRpc(
      emulator,
      'QueryTokenForMnsQueue',
      { MessageType: 'SmsReport', QueueName: emulator.queues.SmsReport },
      { method: 'POST' },
    );
    assert.equal(result.status, 200);
    assert.equal(result.body.Code, 'OK');
    assert.match(result.body.RequestId, UPPER_CASE_UUID);
    assert.deepEqual(issueToken.mock.calls[0].arguments, ['SmsReport', emulator.queues.SmsReport]);
    const token = result.body.MessageTokenDTO as EmulatedMnsToken;
    assert.deepEqual(token, issueToken.mock.calls[0].result);
    for (const field of ['AccessKeyId', 'AccessKeySecret', 'SecurityToken', 'CreateTime', 'ExpireTime'] as const) {
      assert.equal(typeof token[field], 'string', field);
    }

    const withoutQueueName = await callEmulatorRpc(emulator, 'QueryTokenForMnsQueue', { MessageType: 'SmsUp' });
    assert.equal(withoutQueueName.body.Code, 'OK');
    assert.deepEqual(issueToken.mock.calls[1].arguments, ['SmsUp', emulator.queues.SmsUp]);
  });

  it('refuses tokens for other message types or queues', async () => {
    const badType = await callEmulatorRpc(emulator, 'QueryTokenForMnsQueue', { MessageType: 'SmsFoo' });
    assert.equal(badType.status, 200);
    assert.equal(badType.body.Code, 'isv.INVALID_PARAMETERS');
    assert.match(badType.body.Message, /MessageType/);
    assert.equal(badType.body.MessageTokenDTO, undefined);
    const otherQueue = await callEmulatorRpc(emulator, 'QueryTokenForMnsQueue', {
      MessageType: 'SmsReport',
      QueueName: 'Alicom-Queue-1-SmsReport',
    });
    assert.equal(otherQueue.body.Code, 'isv.INVALID_PARAMETERS');
    assert.match(otherQueue.body.Message, /QueueName/);
    const missing = await callEmulatorRpc(emulator, 'QueryTokenForMnsQueue', {});
    assert.equal(missing.status, 400);
    assert.equal(missing.body.Code, 'MissingMessageType');
  });

  it('failNext answers business failures the given number of times, then recovers', async () => {
    emulator.failNext('SendSms', { code: 'isp.SYSTEM_ERROR', message: 'System error' }, 2);
    const request = { ...VERIFICATION_CODE, PhoneNumbers: '13912345678' };
    for (let i = 0; i < 2; i++) {
      const failed = await callEmulatorRpc(emulator, 'SendSms', request);
      assert.equal(failed.status, 200);
      assert.equal(failed.body.Code, 'isp.SYSTEM_ERROR');
      assert.equal(failed.body.Message, 'System error');
      assert.equal(failed.body.BizId, undefined);
    }
    const recovered = await callEmulatorRpc(emulator, 'SendSms', request);
    assert.equal(recovered.body.Code, 'OK');
    assert.equal(emulator.sends.length, 1);
    assert.equal(emulator.requestCount('SendSms'), 3);
  });

  it('failNext answers a gateway error when httpStatus >= 400, only for the named action', async () => {
    emulator.failNext('QueryTokenForMnsQueue', { code: 'Throttling.User', httpStatus: 503 });
    const sent = await callEmulatorRpc(emulator, 'SendSms', { ...VERIFICATION_CODE, PhoneNumbers: '13912345678' });
    assert.equal(sent.body.Code, 'OK');
    const throttled = await callEmulatorRpc(emulator, 'QueryTokenForMnsQueue', { MessageType: 'SmsUp' });
    assert.equal(throttled.status, 503);
    assert.equal(throttled.body.Code, 'Throttling.User');
    assert.match(throttled.body.Recommend, /product=Dybaseapi/);
    assert.equal(throttled.body.HostId, new URL(emulator.endpoints.token).host);
  });

  it('failNext does not hide authentication errors nor get used up by them', async () => {
    emulator.failNext('SendSms', { code: 'isp.SYSTEM_ERROR' });
    const request = { ...VERIFICATION_CODE, PhoneNumbers: '13912345678' };
    const badKey = await callEmulatorRpc(emulator, 'SendSms', request, { accessKeyId: 'LTAINobody' });
    assert.equal(badKey.body.Code, 'InvalidAccessKeyId.NotFound');
    const injected = await callEmulatorRpc(emulator, 'SendSms', request);
    assert.equal(injected.body.Code, 'isp.SYSTEM_ERROR');
  });

  it('dropConnectionNext reads and logs the request, then closes the connection unanswered', async () => {
    emulator.dropConnectionNext('SendSms');
    const request = { ...VERIFICATION_CODE, PhoneNumbers: '13912345678' };
    await assert.rejects(callEmulatorRpc(emulator, 'SendSms', request, { method: 'POST' }), TypeError);
    assert.equal(emulator.requestCount('SendSms'), 1);
    const [logged] = emulator.rpcRequests;
    assert.equal(logged.dropped, true);
    assert.equal(logged.method, 'POST');
    assert.equal(logged.parameters.PhoneNumbers, '13912345678');
    assert.equal(logged.httpStatus, undefined);
    assert.equal(emulator.sends.length, 0);

    const next = await callEmulatorRpc(emulator, 'SendSms', request, { method: 'POST' });
    assert.equal(next.body.Code, 'OK');
    assert.equal(emulator.rpcRequests[1].dropped, false);
    assert.equal(emulator.rpcRequests[1].httpStatus, 200);
  });

  it('dropConnectionNext with afterProcessing sends the SMS but loses the answer', async () => {
    emulator.dropConnectionNext('SendSms', 1, { afterProcessing: true });
    await assert.rejects(
      callEmulatorRpc(emulator, 'SendSms', { ...VERIFICATION_CODE, PhoneNumbers: '13912345678' }),
      TypeError,
    );
    assert.equal(emulator.sends.length, 1);
    assert.equal(emulator.requestCount('SendSms'), 1);
    assert.equal(emulator.rpcRequests[0].dropped, true);
  });

  it('counts every request per action, rejected ones included', async () => {
    await callEmulatorRpc(emulator, 'SendSms', { ...VERIFICATION_CODE, PhoneNumbers: '1' });
    await callEmulatorRpc(emulator, 'SendSms', { ...VERIFICATION_CODE, PhoneNumbers: '13912345678' }, { accessKeySecret: 'x' });
    await callEmulatorRpc(emulator, 'QueryTokenForMnsQueue', { MessageType: 'SmsUp' });
    assert.equal(emulator.requestCount('SendSms'), 2);
    assert.equal(emulator.requestCount('QueryTokenForMnsQueue'), 1);
    assert.equal(emulator.requestCount(), 3);
    assert.deepEqual(
      emulator.rpcRequests.map((r) => [r.action, r.httpStatus, r.code]),
      [
        ['SendSms', 200, 'isv.MOBILE_NUMBER_ILLEGAL'],
        ['SendSms', 400, 'SignatureDoesNotMatch'],
        ['QueryTokenForMnsQueue', 200, 'OK'],
      ],
    );
  });

  it('still answers with latency configured', async () => {
    emulator.latencyMs = 20;
    const result = await callEmulatorRpc(emulator, 'SendSms', { ...VERIFICATION_CODE, PhoneNumbers: '13912345678' });
    assert.equal(result.body.Code, 'OK');
  });

  it('logs the RequestId answered and the server time to answer, latency included; a dropped request has neither', async () => {
    emulator.latencyMs = 30;
    const request = { ...VERIFICATION_CODE, PhoneNumbers: '13912345678' };
    const sentAt = performance.now();
    const answered = await callEmulatorRpc(emulator, 'SendSms', request, { method: 'POST' });
    const observedMs = performance.now() - sentAt;
    const rejected = await callEmulatorRpc(emulator, 'SendSms', request, { accessKeySecret: 'wrong' });
    emulator.dropConnectionNext('SendSms');
    await assert.rejects(callEmulatorRpc(emulator, 'SendSms', request), TypeError);

    const [ok, refused, dropped] = emulator.rpcRequests;
    assert.equal(answered.body.Code, 'OK');
    assert.equal(ok.requestId, answered.body.RequestId);
    assert.ok(ok.answeredAfterMs !== undefined && ok.answeredAfterMs >= 30, `answeredAfterMs ${ok.answeredAfterMs}`);
    // The server's share sits inside what the client saw (which adds signing and the wire).
    assert.ok(ok.answeredAfterMs < observedMs, `answeredAfterMs ${ok.answeredAfterMs} vs observed ${observedMs}`);
    assert.equal(refused.code, 'SignatureDoesNotMatch');
    assert.equal(refused.requestId, rejected.body.RequestId);
    assert.ok(refused.answeredAfterMs !== undefined && refused.answeredAfterMs >= 30);
    assert.equal(dropped.dropped, true);
    assert.equal(dropped.requestId, undefined);
    assert.equal(dropped.answeredAfterMs, undefined);
  });

  it('reply() queues an SmsUp message defaulting to the latest send to that number', async () => {
    await callEmulatorRpc(emulator, 'SendSms', { ...VERIFICATION_CODE, PhoneNumbers: '13912345678', SmsUpExtendCode: '4321' });
    const enqueue = mock.method(emulator.mns, 'enqueueJson', () => 'MESSAGE-ID-1');
    const messageId = emulator.reply({ phoneNumber: '13912345678', content: '收到，谢谢' });
    assert.equal(messageId, 'MESSAGE-ID-1');
    const [queueName, body] = enqueue.mock.calls[0].arguments as [string, Record<string, unknown>];
    assert.equal(queueName, emulator.queues.SmsUp);
    assert.equal(body.phone_number, '13912345678');
    assert.equal(body.content, '收到，谢谢');
    assert.equal(body.dest_code, '4321');
    assert.equal(body.sign_name, '示例签名');
    assert.equal(typeof body.sequence_id, 'number');
    assert.match(body.send_time as string, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

    emulator.reply({ phoneNumber: '13700000000', content: 'hi', destCode: '7' });
    const second = enqueue.mock.calls[1].arguments[1] as Record<string, unknown>;
    assert.equal(second.dest_code, '7');
    assert.equal('sign_name' in second, false);
    assert.notEqual(second.sequence_id, body.sequence_id);
  });

  it('routes /queues/ paths of the MNS endpoint to the MNS side with the full raw body', async () => {
    const handle = mock.method(emulator.mns, 'handle', async (_req: unknown, res: ServerResponse, raw: Buffer) => {
      res.end(`got ${raw.length} bytes: ${raw.toString('utf8')}`);
    });
    const response = await fetch(`${emulator.endpoints.mns}/queues/${emulator.queues.SmsReport}/messages?waitseconds=1`, {
      method: 'POST',
      body: '<Message>阿</Message>',
    });
    assert.equal(await response.text(), 'got 22 bytes: <Message>阿</Message>');
    assert.equal(handle.mock.callCount(), 1);
    for (const url of [`${emulator.endpoints.mns}/`, `${emulator.endpoints.sms}/queues/${emulator.queues.SmsReport}/messages`, `${emulator.endpoints.token}/elsewhere`]) {
      const other = await fetch(url);
      assert.equal(other.status, 404, url);
      await other.arrayBuffer();
    }
    assert.equal(handle.mock.callCount(), 1);
  });

  describe('one product per host (PROTOCOL.md §1.1)', () => {
    const send = { ...VERIFICATION_CODE, PhoneNumbers: '13912345678' };
    const dysmsapiActions: [string, Record<string, string>][] = [
      ['SendSms', send],
      ['SendBatchSms', { PhoneNumberJson: '["13912345678"]', SignNameJson: '["示例签名"]', TemplateCode: 'SMS_100000001', TemplateParamJson: '[{"code":"1"}]' }],
      ['QuerySendDetails', { PhoneNumber: '13912345678', SendDate: '20230316', PageSize: '10', CurrentPage: '1' }],
    ];
    for (const [action, parameters] of dysmsapiActions) {
      it(`answers 404 InvalidAction.NotFound for ${action} on the Dybaseapi endpoint, sending nothing`, async () => {
        const result = await callEmulatorRpc(emulator, action, parameters, { endpoint: 'token', method: 'POST' });
        assert.equal(result.status, 404);
        assert.equal(result.body.Code, 'InvalidAction.NotFound');
        assert.equal(result.body.Message, 'Specified api is not found, please check your url and method.');
        assert.equal(result.body.HostId, new URL(emulator.endpoints.token).host);
        assert.match(result.body.Recommend, /product=Dybaseapi/);
        assert.equal(emulator.sends.length, 0);
        assert.deepEqual(
          emulator.rpcRequests.map((r) => [r.product, r.action, r.httpStatus, r.code]),
          [['Dybaseapi', action, 404, 'InvalidAction.NotFound']],
        );
      });
    }

    it('answers 404 InvalidAction.NotFound for QueryTokenForMnsQueue on the Dysmsapi endpoint, issuing no token', async () => {
      const issued = emulator.mns.tokensIssued;
      const result = await callEmulatorRpc(emulator, 'QueryTokenForMnsQueue', { MessageType: 'SmsReport' }, { endpoint: 'sms' });
      assert.equal(result.status, 404);
      assert.equal(result.body.Code, 'InvalidAction.NotFound');
      assert.match(result.body.Recommend, /product=Dysmsapi/);
      assert.equal(result.body.MessageTokenDTO, undefined);
      assert.equal(emulator.mns.tokensIssued, issued);
      assert.equal(emulator.rpcRequests[0].product, 'Dysmsapi');
    });

    it('keeps a fault queued for an action when that action arrives at the wrong endpoint', async () => {
      emulator.failNext('SendSms', { code: 'isp.SYSTEM_ERROR' });
      const misrouted = await callEmulatorRpc(emulator, 'SendSms', send, { endpoint: 'token' });
      assert.equal(misrouted.body.Code, 'InvalidAction.NotFound');
      const routed = await callEmulatorRpc(emulator, 'SendSms', send);
      assert.equal(routed.body.Code, 'isp.SYSTEM_ERROR');
    });

    it('serves each action on its own product endpoint', async () => {
      assert.equal((await callEmulatorRpc(emulator, 'SendSms', send)).body.Code, 'OK');
      assert.equal((await callEmulatorRpc(emulator, 'QueryTokenForMnsQueue', { MessageType: 'SmsUp' })).body.Code, 'OK');
      assert.deepEqual(
        emulator.rpcRequests.map((r) => [r.product, r.action, r.code]),
        [
          ['Dysmsapi', 'SendSms', 'OK'],
          ['Dybaseapi', 'QueryTokenForMnsQueue', 'OK'],
        ],
      );
    });
  });

  it('reset() forgets sends, requests and queued faults', async () => {
    await callEmulatorRpc(emulator, 'SendSms', { ...VERIFICATION_CODE, PhoneNumbers: '13912345678' });
    emulator.failNext('SendSms', { code: 'isp.SYSTEM_ERROR' });
    emulator.reset();
    assert.equal(emulator.sends.length, 0);
    assert.equal(emulator.requestCount(), 0);
    const result = await callEmulatorRpc(emulator, 'SendSms', { ...VERIFICATION_CODE, PhoneNumbers: '13912345678' });
    assert.equal(result.body.Code, 'OK');
  });
});

describe('AlicomEmulator QuerySendDetails on a pinned clock', () => {
  // 2023-03-15T16:30:05Z is already 2023-03-16 00:30:05 in Beijing: a host-local or UTC day would differ.
  const NOW = new Date('2023-03-15T16:30:05Z');
  let emulator: AlicomEmulator;
  const query = (parameters: Record<string, string>) =>
    callEmulatorRpc(emulator, 'QuerySendDetails', { PageSize: '10', CurrentPage: '1', ...parameters }, { timestamp: NOW });

  before(async () => {
    emulator = await AlicomEmulator.start({ templates: TEMPLATES, clock: () => NOW });
    const send = (parameters: Record<string, string>) =>
      callEmulatorRpc(emulator, 'SendSms', { ...VERIFICATION_CODE, ...parameters }, { timestamp: NOW });
    for (const outId of ['a', 'b', 'c']) await send({ PhoneNumbers: '+8613912345678', OutId: outId });
    await send({ PhoneNumbers: '13800138000' });
    emulator.delivery = () => ({ success: false, errCode: 'MK:0001', errMsg: '空号' });
    await send({ PhoneNumbers: '13700000000' });
    emulator.reportDelayMs = 3_600_000;
    await send({ PhoneNumbers: '13600000000' });
  });
  after(() => emulator.close());

  it('pages the sends to one number on its Beijing day, matching any prefix form', async () => {
    const page1 = await query({ PhoneNumber: '13912345678', SendDate: '20230316', PageSize: '2', CurrentPage: '1' });
    assert.equal(page1.status, 200);
    assert.equal(page1.body.Code, 'OK');
    assert.equal(page1.body.TotalCount, 3);
    assert.deepEqual(page1.body.SmsSendDetailDTOs.SmsSendDetailDTO[0], {
      PhoneNum: '13912345678',
      SendStatus: 3,
      ErrCode: 'DELIVERED',
      TemplateCode: 'SMS_100000001',
      Content: '【示例签名】您的验证码为9527。',
      SendDate: '2023-03-16 00:30:05',
      ReceiveDate: '2023-03-16 00:30:05',
      OutId: 'a',
    });
    assert.deepEqual(page1.body.SmsSendDetailDTOs.SmsSendDetailDTO.map((d: { OutId: string }) => d.OutId), ['a', 'b']);

    const page2 = await query({ PhoneNumber: '008613912345678', SendDate: '20230316', PageSize: '2', CurrentPage: '2' });
    assert.equal(page2.body.TotalCount, 3);
    assert.deepEqual(page2.body.SmsSendDetailDTOs.SmsSendDetailDTO.map((d: { OutId: string }) => d.OutId), ['c']);

    const page3 = await query({ PhoneNumber: '13912345678', SendDate: '20230316', PageSize: '2', CurrentPage: '3' });
    assert.deepEqual(page3.body.SmsSendDetailDTOs, { SmsSendDetailDTO: [] });
  });

  it('finds nothing on the UTC day of the same instant', async () => {
    const result = await query({ PhoneNumber: '13912345678', SendDate: '20230315' });
    assert.equal(result.body.Code, 'OK');
    assert.equal(result.body.TotalCount, 0);
    assert.deepEqual(result.body.SmsSendDetailDTOs, { SmsSendDetailDTO: [] });
  });

  it('narrows to one BizId', async () => {
    const bizId = emulator.findSends({ outId: 'b' })[0].bizId;
    const result = await query({ PhoneNumber: '13912345678', SendDate: '20230316', BizId: bizId });
    assert.equal(result.body.TotalCount, 1);
    assert.equal(result.body.SmsSendDetailDTOs.SmsSendDetailDTO[0].OutId, 'b');
  });

  it('reports failed (2) and waiting (1) recipients', async () => {
    const failed = await query({ PhoneNumber: '13700000000', SendDate: '20230316' });
    assert.equal(failed.body.SmsSendDetailDTOs.SmsSendDetailDTO[0].SendStatus, 2);
    assert.equal(failed.body.SmsSendDetailDTOs.SmsSendDetailDTO[0].ErrCode, 'MK:0001');
    const waiting = await query({ PhoneNumber: '13600000000', SendDate: '20230316' });
    const [detail] = waiting.body.SmsSendDetailDTOs.SmsSendDetailDTO;
    assert.equal(detail.SendStatus, 1);
    assert.equal(detail.ErrCode, '');
    assert.equal(detail.ReceiveDate, undefined);
    assert.equal(detail.OutId, '');
  });

  it('accepts the oldest of the last 30 Beijing days', async () => {
    const result = await query({ PhoneNumber: '13912345678', SendDate: '20230215' });
    assert.equal(result.body.Code, 'OK');
    assert.equal(result.body.TotalCount, 0);
  });

  const invalid: { name: string; parameters: Record<string, string>; message: RegExp }[] = [
    { name: 'a day 30 days back', parameters: { SendDate: '20230214' }, message: /SendDate/ },
    { name: 'a future day', parameters: { SendDate: '20230317' }, message: /SendDate/ },
    { name: 'a dashed date', parameters: { SendDate: '2023-03-16' }, message: /SendDate/ },
    { name: 'an impossible date', parameters: { SendDate: '20230230' }, message: /SendDate/ },
    { name: 'PageSize 51', parameters: { PageSize: '51' }, message: /PageSize/ },
    { name: 'PageSize 0', parameters: { PageSize: '0' }, message: /PageSize/ },
    { name: 'PageSize not a number', parameters: { PageSize: 'ten' }, message: /PageSize/ },
    { name: 'CurrentPage 0', parameters: { CurrentPage: '0' }, message: /CurrentPage/ },
    { name: 'two numbers', parameters: { PhoneNumber: '13912345678,13800138000' }, message: /PhoneNumber/ },
  ];
  for (const { name, parameters, message } of invalid) {
    it(`answers isv.INVALID_PARAMETERS for ${name}`, async () => {
      const result = await query({ PhoneNumber: '13912345678', SendDate: '20230316', ...parameters });
      assert.equal(result.status, 200);
      assert.equal(result.body.Code, 'isv.INVALID_PARAMETERS');
      assert.match(result.body.Message, message);
      assert.equal(result.body.SmsSendDetailDTOs, undefined);
    });
  }

  it('answers 400 MissingSendDate without SendDate', async () => {
    const result = await query({ PhoneNumber: '13912345678' });
    assert.equal(result.status, 400);
    assert.equal(result.body.Code, 'MissingSendDate');
  });
});

describe('AlicomEmulator options', () => {
  it('applies per-number minute frequency control', async () => {
    const emulator = await AlicomEmulator.start({ businessLimit: { perMinute: 1 } });
    try {
      const send = (PhoneNumbers: string) => callEmulatorRpc(emulator, 'SendSms', { ...VERIFICATION_CODE, PhoneNumbers });
      assert.equal((await send('13912345678')).body.Code, 'OK');
      const limited = await send('+8613912345678');
      assert.equal(limited.status, 200);
      assert.equal(limited.body.Code, 'isv.BUSINESS_LIMIT_CONTROL');
      assert.equal(limited.body.Message, '触发分钟级流控Permits:1');
      assert.equal((await send('13800138000')).body.Code, 'OK');
      assert.equal(emulator.sends.length, 2);
    } finally {
      await emulator.close();
    }
  });

  it('accepts any template and signature when none are configured, rendering a generic text', async () => {
    const emulator = await AlicomEmulator.start({ accountUid: '42' });
    try {
      const result = await callEmulatorRpc(emulator, 'SendSms', { ...VERIFICATION_CODE, SignName: '任意', PhoneNumbers: '13912345678' });
      assert.equal(result.body.Code, 'OK');
      assert.equal(emulator.sends[0].recipients[0].content, '【任意】[SMS_100000001] code=9527');
      assert.equal(emulator.queuePrefix, 'Alicom-Queue-42-');
    } finally {
      await emulator.close();
    }
  });

  it('accepts extra access keys and a replaced default secret', async () => {
    const emulator = await AlicomEmulator.start({
      accessKeys: { LTAIEmulatorKeyId: 'replaced-secret', LTAISecondKey: 'second-secret' },
    });
    try {
      assert.equal(emulator.credentials.accessKeySecret, 'replaced-secret');
      const request = { ...VERIFICATION_CODE, PhoneNumbers: '13912345678' };
      assert.equal((await callEmulatorRpc(emulator, 'SendSms', request)).body.Code, 'OK');
      const second = await callEmulatorRpc(emulator, 'SendSms', request, {
        accessKeyId: 'LTAISecondKey',
        accessKeySecret: 'second-secret',
      });
      assert.equal(second.body.Code, 'OK');
      const oldSecret = await callEmulatorRpc(emulator, 'SendSms', request, { accessKeySecret: 'emulator-secret' });
      assert.equal(oldSecret.body.Code, 'SignatureDoesNotMatch');
    } finally {
      await emulator.close();
    }
  });

  it('answers distinct BizIds from two emulators accepting in the same millisecond', async () => {
    const now = new Date();
    const [first, second] = await Promise.all([
      AlicomEmulator.start({ clock: () => now }),
      AlicomEmulator.start({ clock: () => now }),
    ]);
    try {
      const request = { ...VERIFICATION_CODE, PhoneNumbers: '13912345678' };
      const answers = await Promise.all([first, second].map((emulator) => callEmulatorRpc(emulator, 'SendSms', request, { timestamp: now })));
      const [a, b] = answers.map((answer) => answer.body.BizId as string);
      assert.match(a, BIZ_ID);
      assert.match(b, BIZ_ID);
      assert.notEqual(a, b);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('listens on the given ports, and on none of them when one is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as AddressInfo).port;
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const free = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    try {
      await assert.rejects(AlicomEmulator.start({ ports: { sms: free, mns: taken } }), { code: 'EADDRINUSE' });
      // The Dysmsapi port the failed start had opened is free again.
      const emulator = await AlicomEmulator.start({ ports: { sms: free } });
      assert.equal(emulator.endpoints.sms, `http://127.0.0.1:${free}`);
      await emulator.close();
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('close() shuts the server down despite keep-alive connections', async () => {
    const emulator = await AlicomEmulator.start();
    const result = await callEmulatorRpc(emulator, 'QueryTokenForMnsQueue', { MessageType: 'SmsUp' });
    assert.equal(result.body.Code, 'OK');
    await emulator.close();
    await emulator.close();
    for (const origin of Object.values(emulator.endpoints)) await assert.rejects(fetch(`${origin}/`), TypeError);
  });
});
