import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { ReceiptDecodeError, type ReceiptDecodeFailure } from '../lib/errors/receipt-decode.error.js';
import type { MnsMessage } from '../lib/mns/mns.types.js';
import type { SmsReport, SmsUp } from '../lib/interfaces/sms-receipt.interface.js';
import { decodeMnsReceipt } from '../lib/receipts/mns/mns-receipt.decoder.js';

const decodeSmsReport = (message: MnsMessage): SmsReport => decodeMnsReceipt('SmsReport', message);
const decodeSmsUp = (message: MnsMessage): SmsUp => decodeMnsReceipt('SmsUp', message);

// Vectors of PROTOCOL.md §5.3 / §5.4.

const REPORT_BODY =
  'eyJwaG9uZV9udW1iZXIiOiIxMzkxMjM0NTY3OCIsInNlbmRfdGltZSI6IjIwMjMtMDMtMTUgMTQ6MDc6MDgiLCJyZXBvcnRfdGltZSI6IjIwMjMtMDMtMTUgMTQ6MDc6MTEiLCJzdWNjZXNzIjpmYWxzZSwiZXJyX2NvZGUiOiJNSzowMDAxIiwiZXJyX21zZyI6IuepuuWPtyIsInNtc19zaXplIjoiMiIsImJpel9pZCI6IjI0ODcxNTE3ODg0MjM4MjczOF4wIiwib3V0X2lkIjoiIn0=';
const REPORT_MD5 = '72C473DB04E9C4EE879AADD8FCEFF6C8';
const UP_BODY =
  'eyJkZXN0X2NvZGUiOiIxMjM0NSIsInNlbmRfdGltZSI6IjIwMjMtMDMtMTUgMTQ6MTA6MDAiLCJzZXF1ZW5jZV9pZCI6OTg3NjU0MzIxLCJwaG9uZV9udW1iZXIiOiIxMzkxMjM0NTY3OCIsImNvbnRlbnQiOiLmlLbliLDvvIzosKLosKIifQ==';
const UP_MD5 = 'D7EB29819DBEB82B5C23B1F649829665';

function mnsMessage(body: string, bodyMd5: string, messageId = '5F2C8A1B3D4E5F60-1-18FD1E2B3C4-200000001'): MnsMessage {
  return {
    messageId,
    receiptHandle: '1-ODU4OTkzNDU5My0xNjc4ODYwNDc4LTEtOA==',
    body,
    bodyMd5,
    enqueueTime: 1678860431000,
    firstDequeueTime: 1678860448000,
    nextVisibleTime: 1678860478000,
    dequeueCount: 1,
    priority: 8,
  };
}

/** A message whose body is the given bytes, Base64-encoded, with a correct MD5. */
function messageOfBytes(bytes: Buffer): MnsMessage {
  const body = bytes.toString('base64');
  return messageOfBody(body);
}

/** A message with this exact body text and a correct MD5 (so later checks are reached). */
function messageOfBody(body: string): MnsMessage {
  return mnsMessage(body, createHash('md5').update(body).digest('hex').toUpperCase());
}

function messageOfJson(jsonText: string): MnsMessage {
  return messageOfBytes(Buffer.from(jsonText, 'utf8'));
}

const REPORT_FIELDS = {
  phone_number: '13912345678',
  send_time: '2023-03-15 14:07:08',
  report_time: '2023-03-15 14:07:11',
  success: true,
  err_code: 'DELIVERED',
  err_msg: '用户接收成功',
  sms_size: '1',
  biz_id: '248715178842382738^0',
  out_id: 'order-42',
};

function reportWith(changes: Record<string, unknown>): MnsMessage {
  return messageOfJson(JSON.stringify({ ...REPORT_FIELDS, ...changes }));
}

function assertDecodeError(
  decode: () => unknown,
  reason: ReceiptDecodeFailure,
  messageIncludes: string,
): ReceiptDecodeError {
  let caught: unknown;
  try {
    decode();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ReceiptDecodeError, `expected a ReceiptDecodeError, got ${String(caught)}`);
  assert.equal(caught.name, 'ReceiptDecodeError');
  assert.equal(caught.reason, reason);
  assert.ok(caught.message.includes(messageIncludes), caught.message);
  return caught;
}

describe('decodeSmsReport', () => {
  it('decodes the §5.3 failure receipt vector', () => {
    const report = decodeSmsReport(mnsMessage(REPORT_BODY, REPORT_MD5));
    assert.deepEqual(
      { ...report, raw: undefined },
      {
        type: 'SmsReport',
        phoneNumber: '13912345678',
        bizId: '248715178842382738^0',
        outId: undefined,
        success: false,
        errCode: 'MK:0001',
        errMsg: '空号',
        smsSize: 2,
        sendTime: new Date('2023-03-15T06:07:08.000Z'),
        reportTime: new Date('2023-03-15T06:07:11.000Z'),
        source: 'mns',
        messageId: '5F2C8A1B3D4E5F60-1-18FD1E2B3C4-200000001',
        raw: undefined,
      },
    );
    assert.equal(report.sendTime.toISOString(), '2023-03-15T06:07:08.000Z');
    assert.deepEqual(report.raw, {
      phone_number: '13912345678',
      send_time: '2023-03-15 14:07:08',
      report_time: '2023-03-15 14:07:11',
      success: false,
      err_code: 'MK:0001',
      err_msg: '空号',
      sms_size: '2',
      biz_id: '248715178842382738^0',
      out_id: '',
    });
  });

  it('accepts a lower-case MessageBodyMD5, and decodes unchecked when the server sent none', () => {
    assert.equal(decodeSmsReport(mnsMessage(REPORT_BODY, REPORT_MD5.toLowerCase())).errCode, 'MK:0001');
    assert.equal(decodeSmsReport(mnsMessage(REPORT_BODY, '')).errCode, 'MK:0001');
  });

  it('keeps a non-empty out_id, accepts "true"/"false" strings and a numeric sms_size, ignores unknown fields', () => {
    const report = decodeSmsReport(reportWith({ success: 'true', sms_size: 3, sign_name: '示例签名', template_code: 'SMS_1' }));
    assert.equal(report.outId, 'order-42');
    assert.equal(report.success, true);
    assert.equal(report.smsSize, 3);
    assert.equal(decodeSmsReport(reportWith({ success: 'false' })).success, false);
    assert.equal((report.raw as Record<string, unknown>).template_code, 'SMS_1');
  });

  it('converts Beijing times across the UTC day boundary', () => {
    const report = decodeSmsReport(reportWith({ send_time: '2024-01-01 07:59:59', report_time: '2024-01-01 08:00:00' }));
    assert.equal(report.sendTime.toISOString(), '2023-12-31T23:59:59.000Z');
    assert.equal(report.reportTime.toISOString(), '2024-01-01T00:00:00.000Z');
  });
});

describe('decodeSmsUp', () => {
  it('decodes the §5.4 vector', () => {
    const up = decodeSmsUp(mnsMessage(UP_BODY, UP_MD5, 'UP-1'));
    assert.deepEqual(
      { ...up, raw: undefined },
      {
        type: 'SmsUp',
        phoneNumber: '13912345678',
        content: '收到，谢谢',
        destCode: '12345',
        signName: undefined,
        sequenceId: '987654321',
        sendTime: new Date('2023-03-15T06:10:00.000Z'),
        source: 'mns',
        messageId: 'UP-1',
        raw: undefined,
      },
    );
    assert.deepEqual(up.raw, {
      dest_code: '12345',
      send_time: '2023-03-15 14:10:00',
      sequence_id: 987654321,
      phone_number: '13912345678',
      content: '收到，谢谢',
    });
  });

  const UP_PREFIX = '{"phone_number":"13912345678","send_time":"2023-03-15 14:10:00","content":"hi",';

  it('keeps every digit of a sequence_id above 2^53', () => {
    assert.equal(decodeSmsUp(messageOfJson(`${UP_PREFIX}"sequence_id":12345678901234567890123}`)).sequenceId, '12345678901234567890123');
    assert.equal(decodeSmsUp(messageOfJson(`${UP_PREFIX}"sequence_id" : 9007199254740993 }`)).sequenceId, '9007199254740993');
  });

  it('takes the top-level sequence_id digits, not a look-alike elsewhere in the text', () => {
    const text =
      '{"phone_number":"13912345678","send_time":"2023-03-15 14:10:00",' +
      '"content":"\\"sequence_id\\":1","x":{"sequence_id":5},"sequence_id":9007199254740993}';
    assert.equal(decodeSmsUp(messageOfJson(text)).sequenceId, '9007199254740993');
  });

  it('accepts sequence_id as a string, and sign_name when present', () => {
    const up = decodeSmsUp(messageOfJson(`${UP_PREFIX}"sequence_id":"000987654321","sign_name":"示例签名","dest_code":""}`));
    assert.equal(up.sequenceId, '000987654321');
    assert.equal(up.signName, '示例签名');
    assert.equal(up.destCode, undefined);
  });

  it('rejects a fractional or missing sequence_id', () => {
    assertDecodeError(() => decodeSmsUp(messageOfJson(`${UP_PREFIX}"sequence_id":1.5}`)), 'shape', 'sequence_id');
    assertDecodeError(() => decodeSmsUp(messageOfJson(`${UP_PREFIX}"x":1}`)), 'shape', 'sequence_id');
  });
});

describe('decodeMnsReceipt', () => {
  it('dispatches on the queue type', () => {
    assert.equal(decodeMnsReceipt('SmsReport', mnsMessage(REPORT_BODY, REPORT_MD5)).type, 'SmsReport');
    assert.equal(decodeMnsReceipt('SmsUp', mnsMessage(UP_BODY, UP_MD5)).type, 'SmsUp');
  });
});

describe('receipt decode failures', () => {
  it('md5-mismatch: MessageBodyMD5 is checked against the Base64 text', () => {
    const error = assertDecodeError(
      () => decodeSmsReport(mnsMessage(REPORT_BODY, UP_MD5, 'MSG-7')),
      'md5-mismatch',
      'MessageBodyMD5',
    );
    assert.equal(error.messageId, 'MSG-7');
    assert.equal(error.messageType, 'SmsReport');
    assert.ok(error.message.includes('MSG-7'));
    // An SmsReport body in the SmsUp queue still fails on its own MD5 first.
    assertDecodeError(() => decodeSmsUp(mnsMessage(UP_BODY, REPORT_MD5)), 'md5-mismatch', 'MessageBodyMD5');
  });

  it('md5-mismatch: compares hex digits in any case, and nothing else', () => {
    const mixedCase = REPORT_MD5.split('').map((c, i) => (i % 2 ? c.toLowerCase() : c)).join('');
    assert.equal(decodeSmsReport(mnsMessage(REPORT_BODY, mixedCase)).errCode, 'MK:0001');
    for (const wrong of [REPORT_MD5.slice(1), `${REPORT_MD5}0`, REPORT_MD5.replace(/C/g, 'G'), REPORT_MD5.replace(/0/g, '\u0010')]) {
      assertDecodeError(() => decodeSmsReport(mnsMessage(REPORT_BODY, wrong)), 'md5-mismatch', 'MessageBodyMD5');
    }
  });

  it('base64: garbage Buffer.from() would silently skip is rejected', () => {
    assertDecodeError(() => decodeSmsReport(messageOfBody(REPORT_BODY.replace('eyJw', 'ey*w'))), 'base64', 'offset 2');
    assertDecodeError(() => decodeSmsReport(messageOfBody(REPORT_BODY.slice(0, -1))), 'base64', 'multiple of 4');
    assertDecodeError(() => decodeSmsReport(messageOfBody('eyJ9eyJ9'.replace('9e', '-_'))), 'base64', 'Base64');
    assertDecodeError(() => decodeSmsReport(messageOfBody('QQ==QQ==')), 'base64', 'offset 2');
    assertDecodeError(() => decodeSmsReport(messageOfBody('Q===')), 'base64', 'offset 1');
  });

  it('utf8: invalid UTF-8 bytes are not replaced silently', () => {
    assertDecodeError(() => decodeSmsReport(messageOfBytes(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))), 'utf8', 'UTF-8');
  });

  it('json: the message does not quote the body', () => {
    const error = assertDecodeError(
      () => decodeSmsReport(messageOfJson('{"phone_number":"13912345678","send_time":')),
      'json',
      'not valid JSON',
    );
    assert.ok(!error.message.includes('13912345678'), error.message);
    assertDecodeError(() => decodeSmsReport(messageOfBody('')), 'json', 'not valid JSON');
  });

  it('shape: wrong JSON type or a bad field, named in the message', () => {
    assertDecodeError(() => decodeSmsReport(messageOfJson('[{"phone_number":"1"}]')), 'shape', 'an array, expected an object');
    assertDecodeError(() => decodeSmsReport(messageOfJson('null')), 'shape', 'null');
    const { phone_number: _omit, ...withoutPhone } = REPORT_FIELDS;
    assertDecodeError(() => decodeSmsReport(messageOfJson(JSON.stringify(withoutPhone))), 'shape', '"phone_number"');
    assertDecodeError(() => decodeSmsReport(reportWith({ biz_id: 42 })), 'shape', '"biz_id" must be a string, got a number');
    assertDecodeError(() => decodeSmsReport(reportWith({ success: 'yes' })), 'shape', '"success"');
    assertDecodeError(() => decodeSmsReport(reportWith({ send_time: '2023/03/15 14:07:08' })), 'shape', '"send_time"');
    assertDecodeError(() => decodeSmsReport(reportWith({ report_time: '2023-02-30 14:07:08' })), 'shape', '"report_time"');
    assertDecodeError(() => decodeSmsReport(reportWith({ sms_size: 'two' })), 'shape', '"sms_size"');
    assertDecodeError(() => decodeSmsReport(reportWith({ out_id: 7 })), 'shape', '"out_id"');
    // An SmsReport body decoded as SmsUp names the first missing SmsUp field.
    assertDecodeError(() => decodeSmsUp(mnsMessage(REPORT_BODY, REPORT_MD5)), 'shape', '"content"');
  });

  it('never puts field values into the message', () => {
    const error = assertDecodeError(() => decodeSmsReport(reportWith({ sms_size: '13912345678x' })), 'shape', '"sms_size"');
    assert.ok(!error.message.includes('13912345678'), error.message);
  });
});
