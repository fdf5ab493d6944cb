// Pushed bodies and items (PROTOCOL.md §5.6) → typed receipts, strictly; the secret and the
// source-address checks of the push receiver.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { PushBodyError } from '../lib/errors/push-body.error.js';
import { ReceiptDecodeError } from '../lib/errors/receipt-decode.error.js';
import type { SmsReport, SmsUp } from '../lib/interfaces/sms-receipt.interface.js';
import { answerFor } from '../lib/receipts/push/push-answers.js';
import { arrayItemTexts, pushItemsOf } from '../lib/receipts/push/push-body.js';
import { pushItemType, receiptFromPushItem, type PushItemContext } from '../lib/receipts/push/push-items.js';
import { PushSecret } from '../lib/receipts/push/push-secret.js';
import { allowEntryProblem, sourceAddress, SourceAllowList } from '../lib/receipts/push/source-address.js';

const BOTH = ['SmsReport', 'SmsUp'] as const;
const REPORT_ITEM = {
  phone_number: '13912345678',
  send_time: '2023-03-15 14:07:08',
  report_time: '2023-03-15 14:07:11',
  success: false,
  err_code: 'MK:0001',
  err_msg: '空号',
  sms_size: '2',
  biz_id: '248715178842382738^0',
  out_id: '',
};
const UP_ITEM = { phone_number: '13912345678', content: '收到，谢谢', send_time: '2023-03-15 14:10:00', dest_code: '12345', sequence_id: 987654321 };

function parse(item: unknown, ctx: Partial<PushItemContext> = {}): SmsReport | SmsUp {
  return receiptFromPushItem(item, { index: 0, types: BOTH, ...ctx });
}

function failure(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('push items → receipts', () => {
  it('reads a report item of the documented shape, with source push', () => {
    const report = parse(REPORT_ITEM) as SmsReport;
    assert.equal(report.type, 'SmsReport');
    assert.equal(report.source, 'push');
    assert.equal(report.messageId, undefined);
    assert.equal(report.bizId, '248715178842382738^0');
    assert.equal(report.phoneNumber, '13912345678');
    assert.equal(report.success, false);
    assert.equal(report.errCode, 'MK:0001');
    assert.equal(report.smsSize, 2);
    assert.equal(report.outId, undefined, '"" is no OutId');
    // Beijing time (UTC+8) → the right instant.
    assert.equal(report.sendTime.toISOString(), '2023-03-15T06:07:08.000Z');
    assert.equal(report.reportTime.toISOString(), '2023-03-15T06:07:11.000Z');
    assert.deepEqual(report.raw, REPORT_ITEM);
  });

  it('reads every SmsUp variant: sequence_id as a number or a string, sign_name, the newer fields', () => {
    const basic = parse(UP_ITEM) as SmsUp;
    assert.deepEqual([basic.type, basic.source, basic.sequenceId, basic.destCode, basic.signName, basic.content], ['SmsUp', 'push', '987654321', '12345', undefined, '收到，谢谢']);
    assert.equal(basic.sendTime.toISOString(), '2023-03-15T06:10:00.000Z');

    const older = parse({ ...UP_ITEM, sign_name: '示例签名' }) as SmsUp;
    assert.equal(older.signName, '示例签名');

    const stringId = parse({ ...UP_ITEM, sequence_id: '987654321' }) as SmsUp;
    assert.equal(stringId.sequenceId, '987654321');

    const newer = parse({ ...UP_ITEM, sign_name: '示例签名', template_code: 'SMS_1', message_id: '1001', request_id: 'F655A8D5-B967-440B-8683-DAD6FF8DE990' }) as SmsUp;
    assert.deepEqual([newer.sequenceId, newer.signName], ['987654321', '示例签名']);
    assert.equal(Object.hasOwn(newer, 'templateCode'), false);
  });

  it('ignores unknown fields of reports too (the newer variant adds sign_name, template_code, message_id, request_id)', () => {
    const report = parse({ ...REPORT_ITEM, sign_name: 'S', template_code: 'SMS_1', message_id: '7', request_id: 'R', something_new: { nested: [1] } }) as SmsReport;
    assert.equal(report.bizId, REPORT_ITEM.biz_id);
    assert.deepEqual(Object.keys(report).sort(), ['bizId', 'errCode', 'errMsg', 'messageId', 'outId', 'phoneNumber', 'raw', 'reportTime', 'sendTime', 'smsSize', 'source', 'success', 'type']);
  });

  it('keeps a sequence_id beyond 2^53 exact, read from the item\'s own text', () => {
    const text = '[{"phone_number":"1","content":"a","send_time":"2023-03-15 14:10:00","sequence_id":9007199254740993},{"phone_number":"2","content":"b","send_time":"2023-03-15 14:10:00","sequence_id":9007199254740995}]';
    const { items } = pushItemsOf(text);
    const texts = arrayItemTexts(text);
    const ids = items.map((item, index) => (parse(item, { index, text: () => texts[index] }) as SmsUp).sequenceId);
    assert.deepEqual(ids, ['9007199254740993', '9007199254740995']);
  });

  it('tells the type of an item on a path for both types by its fields', () => {
    assert.equal(pushItemType(REPORT_ITEM), 'SmsReport');
    assert.equal(pushItemType(UP_ITEM), 'SmsUp');
    assert.equal(pushItemType({ phone_number: '1' }), undefined);
    assert.equal(pushItemType({ ...REPORT_ITEM, content: 'x' }), undefined, 'both: ambiguous');
    assert.equal(pushItemType(null), undefined);
  });

  it('refuses items that are not receipts, naming the item and never its content', () => {
    for (const item of [null, 42, 'SmsReport', [REPORT_ITEM], {}]) {
      const error = failure(() => parse(item, { index: 3 }));
      assert.ok(error instanceof PushBodyError, inspect(item));
      assert.equal(error.reason, 'item');
      assert.equal(error.itemIndex, 3);
      assert.match(error.message, /^Cannot read pushed receipts: item 3: /);
    }
    const wrongTypes = failure(() => parse({ ...REPORT_ITEM, biz_id: 42 }));
    assert.ok(wrongTypes instanceof ReceiptDecodeError);
    assert.equal(wrongTypes.messageType, 'SmsReport');
    assert.match(wrongTypes.message, /biz_id/);
    assert.doesNotMatch(wrongTypes.message, /13912345678/);
  });

  it('on a path of one type, refuses an item of the other with a hint at the console setting', () => {
    const error = failure(() => parse(UP_ITEM, { routeType: 'SmsReport' }));
    assert.ok(error instanceof PushBodyError);
    assert.equal(error.messageType, 'SmsUp');
    assert.match(error.message, /it is an SmsUp, but this path receives SmsReport: check the URL/);
    // An object of no recognisable type is read as the path's type, and its missing fields named.
    const bare = failure(() => parse({ phone_number: '1' }, { routeType: 'SmsUp' }));
    assert.ok(bare instanceof ReceiptDecodeError);
    assert.match(bare.message, /content/);
  });

  it('refuses a type that push.types does not take', () => {
    const error = failure(() => parse(UP_ITEM, { types: ['SmsReport'] }));
    assert.ok(error instanceof PushBodyError);
    assert.match(error.message, /SmsUp is not received by push \(push\.types\)/);
  });
});

describe('push bodies', () => {
  it('takes bytes, text or an already parsed array', () => {
    const text = JSON.stringify([REPORT_ITEM, UP_ITEM]);
    assert.equal(pushItemsOf(Buffer.from(text)).items.length, 2);
    assert.equal(pushItemsOf(Buffer.from(text)).text, text);
    assert.equal(pushItemsOf(text).items.length, 2);
    assert.deepEqual(pushItemsOf([REPORT_ITEM]), { items: [REPORT_ITEM], text: undefined });
    assert.deepEqual(pushItemsOf(Buffer.from('[]')).items, []);
    // RFC 8259 lets a parser ignore a byte order mark.
    assert.deepEqual(pushItemsOf(Buffer.from('\uFEFF[]')).items, []);
  });

  it('refuses invalid UTF-8, invalid JSON and anything but an array, without quoting the body', () => {
    const cases: Array<[unknown, string]> = [
      [Buffer.from([0x5b, 0xff, 0x5d]), 'utf8'],
      [Buffer.from('phone_number=13800000000&success=true'), 'json'],
      [Buffer.from(''), 'json'],
      [Buffer.from(JSON.stringify(REPORT_ITEM)), 'not-array'],
      [Buffer.from('null'), 'not-array'],
      [{ ...REPORT_ITEM }, 'not-array'],
      [undefined, 'not-array'],
    ];
    for (const [body, reason] of cases) {
      const error = failure(() => pushItemsOf(body));
      assert.ok(error instanceof PushBodyError, inspect(body));
      assert.equal(error.reason, reason, inspect(body));
      assert.equal(error.code, 'InvalidPushBody');
      assert.doesNotMatch(error.message, /13800000000|13912345678/);
    }
  });

  it('splits an array text into the texts of its elements, strings and nesting included', () => {
    const items = [{ a: 'x,]}[{', b: [1, { c: '"\\' }] }, 'str,"', 12.5e3, null, [], { 'k"]': {} }];
    const text = ` [ ${items.map((item) => JSON.stringify(item, null, 1)).join(' ,\n ')} ] `;
    const texts = arrayItemTexts(text);
    assert.deepEqual(texts.map((t) => JSON.parse(t) as unknown), items);
    assert.deepEqual(arrayItemTexts('[]'), []);
    assert.deepEqual(arrayItemTexts('[ ]'), []);
  });
});

describe('push answers', () => {
  const tally = { handled: 0, duplicates: 0, invalid: 0, failed: 0, busy: 0, unfinished: 0 };

  it('answers code 0 only when every valid receipt was handled or a duplicate', () => {
    assert.deepEqual(answerFor({ ...tally, handled: 2, duplicates: 1, invalid: 1 }, 500), {
      status: 200,
      body: { code: 0, msg: 'OK: 2 handled, 1 duplicate(s), 1 invalid item(s) ignored' },
    });
    assert.equal(answerFor(tally, 500).body.code, 0, 'an empty array is received');
  });

  it('asks for a retry on a failed handler (500), then an unfinished or busy receipt (503)', () => {
    assert.deepEqual(answerFor({ ...tally, handled: 1, failed: 1, unfinished: 1, busy: 1 }, 500), {
      status: 500,
      body: { code: 500, msg: '1 receipt(s) failed in their handlers; push again' },
    });
    assert.deepEqual(answerFor({ ...tally, unfinished: 2, busy: 1 }, 450).body, { code: 503, msg: '2 receipt(s) not handled within 450 ms; push again' });
    assert.deepEqual(answerFor({ ...tally, busy: 1 }, 500).body, { code: 503, msg: '1 receipt(s) being handled by another delivery; push again later' });
  });
});

describe('push secret', () => {
  const secret = new PushSecret('Push-s3cr3t_0123456789abcdef');

  it('matches the secret only', () => {
    assert.equal(secret.matches('Push-s3cr3t_0123456789abcdef'), true);
    for (const candidate of ['Push-s3cr3t_0123456789abcdeF', 'Push-s3cr3t_0123456789abcde', 'Push-s3cr3t_0123456789abcdefg', '', undefined, null, 42, ['Push-s3cr3t_0123456789abcdef']]) {
      assert.equal(secret.matches(candidate), false, inspect(candidate));
    }
  });

  it('stays out of inspect and JSON output', () => {
    const holder = { secret };
    assert.doesNotMatch(inspect(holder, { depth: 10, showHidden: true }), /s3cr3t/);
    assert.doesNotMatch(JSON.stringify(holder), /s3cr3t/);
    assert.doesNotMatch(String(secret), /s3cr3t/);
  });
});

describe('push source address', () => {
  it('is the peer without trusted proxies, whatever X-Forwarded-For says', () => {
    assert.equal(sourceAddress('::ffff:198.51.100.7', '203.0.113.5', 0), '198.51.100.7');
    assert.equal(sourceAddress('2001:db8::1', undefined, 0), '2001:db8::1');
  });

  it('with n trusted proxies is the address n hops back, never a client-written entry beyond them', () => {
    // client → proxy A (appends client) → app; the client wrote a fake first entry itself.
    assert.equal(sourceAddress('10.0.0.2', '203.0.113.66, 198.51.100.7', 1), '198.51.100.7');
    assert.equal(sourceAddress('10.0.0.2', '203.0.113.66, 198.51.100.7, 10.0.0.1', 2), '198.51.100.7');
    assert.equal(sourceAddress('10.0.0.2', ['198.51.100.7', '10.0.0.1'], 2), '198.51.100.7');
    // Fewer hops than proxies: the farthest address.
    assert.equal(sourceAddress('10.0.0.2', '198.51.100.7', 3), '198.51.100.7');
    assert.equal(sourceAddress('10.0.0.2', undefined, 1), '10.0.0.2');
    assert.equal(sourceAddress('10.0.0.2', 'unknown', 1), undefined);
  });

  it('allows listed addresses and CIDR blocks, IPv4 peers on dual-stack sockets included', () => {
    const list = new SourceAllowList(['203.0.113.0/24', '198.51.100.7', '2001:db8::/32']);
    assert.equal(list.allows('203.0.113.250'), true);
    assert.equal(list.allows('::ffff:203.0.113.1'), true);
    assert.equal(list.allows('198.51.100.7'), true);
    assert.equal(list.allows('2001:db8:1::5'), true);
    assert.equal(list.allows('198.51.100.8'), false);
    assert.equal(list.allows('2001:db9::1'), false);
    assert.equal(list.allows(undefined), false);
    assert.equal(list.allows('not-an-ip'), false);
  });

  it('checks allowFrom entries', () => {
    assert.equal(allowEntryProblem('203.0.113.0/24'), undefined);
    assert.equal(allowEntryProblem('::1'), undefined);
    assert.match(allowEntryProblem('203.0.113.0/33') ?? '', /prefix length must be 0-32/);
    assert.match(allowEntryProblem('example.com') ?? '', /not an IP address or CIDR block/);
    assert.match(allowEntryProblem('10.0.0.0/8/1') ?? '', /not an IP address/);
    assert.equal(allowEntryProblem(42), 'is not a string');
  });
});
