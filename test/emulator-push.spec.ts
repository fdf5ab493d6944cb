import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { AlicomEmulator, type EmulatedPushAttempt, type EmulatedPushSettings } from '../lib/testing/index.js';
import { callEmulatorRpc } from './support/emulator-rpc-client.js';
import { RECEIVED, startPushReceiver, type PushAnswerPlan, type TestPushReceiver } from './support/push-receiver.js';

const SECRET = 's3cr3t-Push-Token';
const SEND = { SignName: '示例签名', TemplateCode: 'SMS_100000001', TemplateParam: '{"code":"9527"}' };
const REPORT_KEYS = ['phone_number', 'send_time', 'report_time', 'success', 'err_code', 'err_msg', 'sms_size', 'biz_id', 'out_id'];
const BEIJING_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
/**
 * Fast enough for tests, slow enough that every retry is a separate, later request; the timeout is
 * generous so a loaded machine never turns a local answer into a timeout.
 */
const QUICK: EmulatedPushSettings = { batchWindowMs: 20, timeoutMs: 2_000, retryDelaysMs: [50, 100] };

interface PushContext {
  readonly emulator: AlicomEmulator;
  readonly receiver: TestPushReceiver;
  /** The receiving URL, secret in its query. */
  readonly url: string;
  send(phoneNumbers: string, extra?: Record<string, string>): Promise<string>;
}

/** A fresh emulator pushing to a fresh receiver; both closed afterwards. */
async function withPush(settings: (url: string) => EmulatedPushSettings | undefined, body: (context: PushContext) => Promise<void>): Promise<void> {
  const receiver = await startPushReceiver();
  const url = `${receiver.origin}/alicom/receipts?secret=${SECRET}`;
  const emulator = await AlicomEmulator.start({ push: settings(url) });
  const send = async (phoneNumbers: string, extra: Record<string, string> = {}) => {
    const result = await callEmulatorRpc(emulator, 'SendSms', { ...SEND, PhoneNumbers: phoneNumbers, ...extra });
    assert.equal(result.body.Code, 'OK');
    return result.body.BizId as string;
  };
  try {
    await body({ emulator, receiver, url, send });
  } finally {
    await emulator.close();
    await receiver.close();
  }
}

describe('AlicomEmulator HTTP batch push (PROTOCOL.md §5.6)', () => {
  describe('delivery instead of the queue', () => {
    it('POSTs a final report as a JSON array with the documented fields, unsigned, and keeps it off the queue', async () => {
      await withPush((url) => ({ ...QUICK, url, types: ['SmsReport'] }), async ({ emulator, receiver, send }) => {
        const bizId = await send('13912345678', { OutId: 'order-42' });
        await emulator.push.whenSettled();

        assert.equal(receiver.received.length, 1);
        const [push] = receiver.received;
        assert.equal(push.method, 'POST');
        assert.equal(push.target, `/alicom/receipts?secret=${SECRET}`);
        assert.equal(push.headers['content-type'], 'application/json');
        assert.equal(push.headers.authorization, undefined);
        const [item] = JSON.parse(push.body) as Record<string, unknown>[];
        assert.deepEqual(Object.keys(item), REPORT_KEYS);
        assert.deepEqual({ ...item, send_time: undefined, report_time: undefined }, {
          phone_number: '13912345678',
          send_time: undefined,
          report_time: undefined,
          success: true,
          err_code: 'DELIVERED',
          err_msg: '用户接收成功',
          sms_size: '1',
          biz_id: bizId,
          out_id: 'order-42',
        });
        assert.match(item.send_time as string, BEIJING_TIME);
        assert.match(item.report_time as string, BEIJING_TIME);

        assert.equal(emulator.mns.stats(emulator.queues.SmsReport).enqueued, 0);
        const [attempt] = emulator.push.attempts;
        assert.equal(attempt.kind, 'receipts');
        assert.equal(attempt.type, 'SmsReport');
        assert.equal(attempt.requestNumber, 1);
        assert.equal(attempt.attempt, 1);
        assert.equal(attempt.body, push.body);
        assert.equal(attempt.bodyBytes, Buffer.byteLength(push.body));
        assert.deepEqual(attempt.receiptIds, ['SmsReport-1']);
        assert.equal(attempt.status, 200);
        assert.equal(attempt.responseBody, '{"code":0,"msg":"接收成功"}');
        assert.deepEqual([attempt.settled, attempt.received, attempt.dropped, attempt.timedOut], [true, true, false, false]);
        assert.ok(attempt.sentAt instanceof Date && attempt.durationMs !== undefined && attempt.durationMs >= 0);
        assert.deepEqual(emulator.push.stats(), { queued: 1, received: 1, dropped: 0, pending: 0, requests: 1, attempts: 1 });
      });
    });

    it('pushes a failed outcome with its carrier code', async () => {
      await withPush((url) => ({ ...QUICK, url }), async ({ emulator, receiver, send }) => {
        emulator.delivery = () => ({ success: false, errCode: 'MK:0001', errMsg: '空号' });
        await send('13800138000');
        await emulator.push.whenSettled();
        const [item] = receiver.bodies()[0] as Record<string, unknown>[];
        assert.deepEqual([item.success, item.err_code, item.err_msg], [false, 'MK:0001', '空号']);
      });
    });

    it('pushes each type to its own URL and leaves an unpushed type on its queue', async () => {
      await withPush((url) => ({ ...QUICK, urls: { SmsUp: `${url}&type=up` } }), async ({ emulator, receiver, send }) => {
        await send('13912345678', { SmsUpExtendCode: '4321' });
        const receiptId = emulator.reply({ phoneNumber: '13912345678', content: '收到，谢谢' });
        await emulator.push.whenSettled();

        assert.equal(emulator.mns.stats(emulator.queues.SmsReport).enqueued, 1, 'SmsReport is not pushed: it stays on its queue');
        assert.equal(emulator.mns.stats(emulator.queues.SmsUp).enqueued, 0);
        assert.equal(receiver.received.length, 1);
        assert.equal(receiver.received[0].target, `/alicom/receipts?secret=${SECRET}&type=up`);
        const [item] = receiver.bodies()[0] as Record<string, unknown>[];
        assert.deepEqual(Object.keys(item), ['phone_number', 'send_time', 'content', 'dest_code', 'sequence_id']);
        assert.equal(item.content, '收到，谢谢');
        assert.equal(item.dest_code, '4321');
        assert.equal(typeof item.sequence_id, 'number');
        assert.match(item.send_time as string, BEIJING_TIME);
        assert.deepEqual(emulator.push.attempts[0].receiptIds, [receiptId]);
      });
    });

    it('switches at run time: configure() pushes from then on, disable() goes back to the queues', async () => {
      await withPush(() => undefined, async ({ emulator, receiver, url, send }) => {
        assert.equal(emulator.push.isEnabled('SmsReport'), false);
        await send('13912345678');
        emulator.push.configure({ ...QUICK, url });
        assert.deepEqual([emulator.push.isEnabled('SmsReport'), emulator.push.isEnabled('SmsUp')], [true, true]);
        await send('13912345678');
        emulator.reply({ phoneNumber: '13912345678', content: 'hi' });
        await emulator.push.whenSettled();
        emulator.push.disable();
        await send('13912345678');
        emulator.reply({ phoneNumber: '13912345678', content: 'again' });

        assert.equal(emulator.mns.stats(emulator.queues.SmsReport).enqueued, 2);
        assert.equal(emulator.mns.stats(emulator.queues.SmsUp).enqueued, 1);
        assert.deepEqual(emulator.push.attempts.map((a) => a.type).sort(), ['SmsReport', 'SmsUp']);
        assert.equal(receiver.received.length, 2);
      });
    });

    it('shapes SmsUp and report items as the variants ask', async () => {
      await withPush(
        (url) => ({ ...QUICK, url, smsUp: { signName: true, sequenceId: 'string' } }),
        async ({ emulator, receiver, send }) => {
          await send('13912345678');
          emulator.reply({ phoneNumber: '13912345678', content: 'yes' });
          await emulator.push.whenSettled();
          const up = emulator.push.attempts.find((a) => a.type === 'SmsUp')!;
          const [item] = JSON.parse(up.body) as Record<string, unknown>[];
          assert.deepEqual(Object.keys(item), ['phone_number', 'send_time', 'content', 'sign_name', 'dest_code', 'sequence_id']);
          assert.equal(item.sign_name, '示例签名');
          assert.equal(typeof item.sequence_id, 'string');
          assert.equal(receiver.received.length, 2);
        },
      );
      await withPush((url) => ({ ...QUICK, url, extendedFields: true }), async ({ emulator, send }) => {
        const bizId = await send('13912345678');
        emulator.reply({ phoneNumber: '13912345678', content: 'yes' });
        await emulator.push.whenSettled();
        const itemOf = (type: string) => (JSON.parse(emulator.push.attempts.find((a) => a.type === type)!.body) as Record<string, unknown>[])[0];
        const report = itemOf('SmsReport');
        assert.deepEqual(Object.keys(report), [...REPORT_KEYS, 'sign_name', 'template_code', 'message_id', 'request_id']);
        assert.equal(report.biz_id, bizId);
        assert.equal(report.sign_name, '示例签名');
        assert.equal(report.template_code, 'SMS_100000001');
        assert.equal(report.request_id, emulator.findSends({ bizId })[0].requestId);
        const up = itemOf('SmsUp');
        assert.deepEqual(Object.keys(up), ['phone_number', 'send_time', 'content', 'sign_name', 'dest_code', 'sequence_id', 'template_code', 'message_id', 'request_id']);
        assert.equal(up.template_code, 'SMS_100000001');
        assert.notEqual(up.message_id, report.message_id);
      });
    });
  });

  describe('batching', () => {
    it('puts up to maxBatchSize receipts in one request and sends a full batch at once', async () => {
      await withPush((url) => ({ ...QUICK, url, maxBatchSize: 3, batchWindowMs: 10_000 }), async ({ emulator, receiver, send }) => {
        const numbers = Array.from({ length: 6 }, (_, i) => `1391234567${i}`);
        await send(numbers.join(','));
        // Two full batches went at once, long before the 10 s window.
        await emulator.push.whenSettled(5_000);
        const sizes = receiver.bodies().map((body) => (body as unknown[]).length);
        assert.deepEqual(sizes, [3, 3]);
        const pushed = receiver.bodies().flatMap((body) => (body as { phone_number: string }[]).map((item) => item.phone_number));
        assert.deepEqual(pushed.sort(), numbers);
        assert.deepEqual(emulator.push.attempts.map((a) => a.receiptIds.length), [3, 3]);
      });
    });

    it('gathers receipts that arrive within the window into one request, and a later one into the next', async () => {
      await withPush((url) => ({ ...QUICK, url, batchWindowMs: 750 }), async ({ emulator, receiver, send }) => {
        await send('13912345678');
        await send('13800138000');
        emulator.reply({ phoneNumber: '13912345678', content: 'ok' });
        await emulator.push.whenSettled();
        await send('13700000000');
        await emulator.push.whenSettled();
        const reports = emulator.push.attempts.filter((a) => a.type === 'SmsReport').map((a) => a.receiptIds.length);
        assert.deepEqual(reports, [2, 1]);
        assert.equal(receiver.received.length, 3, 'SmsUp travels in a request of its own');
      });
    });
  });

  describe("Alibaba's answer rule", () => {
    const cases: { name: string; plan: PushAnswerPlan; check: (attempt: EmulatedPushAttempt) => void }[] = [
      { name: 'code "0" as a string', plan: { status: 200, body: '{"code":"0","msg":"ok"}' }, check: (a) => assert.equal(a.status, 200) },
      { name: 'HTTP 500 with code 0', plan: { status: 500, body: '{"code":0}' }, check: (a) => assert.equal(a.status, 500) },
      { name: 'HTTP 200 with a text body', plan: { status: 200, body: 'OK' }, check: (a) => assert.equal(a.status, 200) },
      { name: 'HTTP 204 with no body', plan: { status: 204, body: '' }, check: (a) => assert.equal(a.status, 204) },
      { name: 'code 1', plan: { status: 200, body: '{"code":1,"msg":"busy"}' }, check: (a) => assert.equal(a.status, 200) },
      { name: 'a right answer after the timeout', plan: { status: 200, body: '{"code":0}', delayMs: 2_000 }, check: (a) => assert.equal(a.timedOut, true) },
      { name: 'a reset connection', plan: 'destroy', check: (a) => assert.ok(a.error !== undefined && a.status === undefined, `error ${a.error}`) },
    ];
    for (const { name, plan, check } of cases) {
      it(`does not count ${name} as received: the receipt is dropped when no retry is left`, async () => {
        await withPush((url) => ({ ...QUICK, url, timeoutMs: 1_000, retryDelaysMs: [] }), async ({ emulator, receiver, send }) => {
          receiver.answer = () => plan;
          await send('13912345678');
          await emulator.push.whenSettled();
          const [attempt] = emulator.push.attempts;
          assert.equal(emulator.push.attempts.length, 1);
          assert.deepEqual([attempt.received, attempt.dropped, attempt.retryInMs], [false, true, undefined]);
          check(attempt);
          assert.equal(emulator.push.stats().dropped, 1);
          // A report lost to push is still known to QuerySendDetails, as at Alibaba.
          assert.equal(emulator.sends[0].recipients[0].status, 'delivered');
        });
      });
    }

    it('counts HTTP 200 {"code":0} as received, whatever else the body holds', async () => {
      await withPush((url) => ({ ...QUICK, url, retryDelaysMs: [] }), async ({ emulator, receiver, send }) => {
        receiver.answer = () => ({ status: 200, body: '{"msg":"fine","code":0,"extra":[1]}' });
        await send('13912345678');
        await emulator.push.whenSettled();
        assert.equal(emulator.push.attempts[0].received, true);
      });
    });

    it('counts a refused connection as not received', async () => {
      await withPush((url) => ({ ...QUICK, url, retryDelaysMs: [] }), async ({ emulator, receiver, send }) => {
        await receiver.close();
        await send('13912345678');
        await emulator.push.whenSettled();
        assert.equal(emulator.push.attempts[0].error, 'ECONNREFUSED');
        assert.equal(emulator.push.attempts[0].dropped, true);
      });
    });
  });

  describe('retries', () => {
    it('retries the same request on the schedule until it is received', async () => {
      await withPush((url) => ({ ...QUICK, url }), async ({ emulator, receiver, send }) => {
        receiver.answer = (_push, index) => (index < 2 ? { status: 503, body: 'busy' } : RECEIVED);
        await send('13912345678');
        await emulator.push.whenSettled();
        const attempts = emulator.push.attempts;
        assert.deepEqual(attempts.map((a) => [a.requestNumber, a.attempt, a.status, a.received, a.retryInMs]), [
          [1, 1, 503, false, 50],
          [1, 2, 503, false, 100],
          [1, 3, 200, true, undefined],
        ]);
        assert.equal(new Set(receiver.received.map((push) => push.body)).size, 1, 'every retry carries the same body');
        const [first, second, third] = receiver.received.map((push) => push.arrivedAt);
        assert.ok(second - first >= 45, `first retry after ${second - first} ms`);
        assert.ok(third - second >= 95, `second retry after ${third - second} ms`);
        assert.deepEqual(emulator.push.stats(), { queued: 1, received: 1, dropped: 0, pending: 0, requests: 1, attempts: 3 });
      });
    });

    it('drops the receipts after the last retry fails', async () => {
      await withPush((url) => ({ ...QUICK, url }), async ({ emulator, receiver, send }) => {
        receiver.answer = () => ({ status: 500, body: '{"code":500}' });
        await send('13912345678,13800138000');
        await emulator.push.whenSettled();
        assert.deepEqual(emulator.push.attempts.map((a) => [a.attempt, a.received, a.dropped]), [
          [1, false, false],
          [2, false, false],
          [3, false, true],
        ]);
        assert.deepEqual(emulator.push.stats(), { queued: 2, received: 0, dropped: 2, pending: 0, requests: 1, attempts: 3 });
      });
    });

    it('resends a request whose answer came too late, so the receiver sees it twice', async () => {
      await withPush((url) => ({ ...QUICK, url, timeoutMs: 400 }), async ({ emulator, receiver, send }) => {
        receiver.answer = (_push, index) => (index === 0 ? { ...RECEIVED, delayMs: 1_500 } : RECEIVED);
        await send('13912345678');
        await emulator.push.whenSettled();
        assert.deepEqual(emulator.push.attempts.map((a) => [a.attempt, a.timedOut, a.received]), [
          [1, true, false],
          [2, false, true],
        ]);
        assert.equal(receiver.received.length, 2);
        assert.equal(receiver.received[0].body, receiver.received[1].body);
      });
    });

    it('whenSettled rejects with the counters while a retry is still due', async () => {
      await withPush((url) => ({ ...QUICK, url, retryDelaysMs: [60_000] }), async ({ emulator, receiver, send }) => {
        receiver.answer = () => ({ status: 500, body: '' });
        await send('13912345678');
        await assert.rejects(emulator.push.whenSettled(300), /not settled within 300 ms: .*"pending":1.*"retriesScheduled":1/);
      });
    });
  });

  describe('malformed and duplicate pushes on demand', () => {
    it('sends each malformed kind once, recorded, never retried', async () => {
      await withPush((url) => ({ ...QUICK, url }), async ({ emulator, receiver }) => {
        receiver.answer = () => ({ status: 400, body: '{"code":400}' });
        const notJson = await emulator.push.sendMalformed('SmsReport', 'not-json');
        assert.throws(() => JSON.parse(receiver.received[0].body), SyntaxError);
        const notArray = await emulator.push.sendMalformed('SmsUp', 'not-array');
        const object = JSON.parse(receiver.received[1].body);
        assert.equal(Array.isArray(object), false);
        assert.equal(typeof object.phone_number, 'string');
        const good = { phone_number: '13912345678', content: 'fine', send_time: '2024-06-01 12:00:00', dest_code: '1', sequence_id: 7 };
        await emulator.push.sendMalformed('SmsUp', 'bad-items', { alongside: [good] });
        const items = JSON.parse(receiver.received[2].body) as unknown[];
        assert.ok(items.length >= 5);
        assert.deepEqual(items.at(-1), good);
        assert.ok(items.slice(0, -1).every((item) => item === null || typeof item !== 'object' || Object.keys(item).length === 0 || typeof (item as { phone_number: unknown }).phone_number !== 'string'));
        const oversized = await emulator.push.sendMalformed('SmsReport', 'oversized', { sizeBytes: 200_000 });
        assert.ok(oversized.bodyBytes >= 200_000 && oversized.bodyBytes < 201_000, `bodyBytes ${oversized.bodyBytes}`);
        assert.equal(Buffer.byteLength(receiver.received[3].body), oversized.bodyBytes);
        assert.ok((JSON.parse(receiver.received[3].body) as unknown[]).length > 100);

        await emulator.push.whenSettled();
        assert.equal(receiver.received.length, 4);
        assert.deepEqual(emulator.push.attempts.map((a) => [a.kind, a.status, a.received, a.dropped, a.retryInMs]), [
          ['malformed', 400, false, false, undefined],
          ['malformed', 400, false, false, undefined],
          ['malformed', 400, false, false, undefined],
          ['malformed', 400, false, false, undefined],
        ]);
        assert.equal(notJson.requestNumber, 1);
        assert.equal(notArray.type, 'SmsUp');
        assert.deepEqual(emulator.push.stats(), { queued: 0, received: 0, dropped: 0, pending: 0, requests: 4, attempts: 4 });
      });
    });

    it('sends any body with sendRaw', async () => {
      await withPush((url) => ({ ...QUICK, url }), async ({ emulator, receiver }) => {
        const attempt = await emulator.push.sendRaw('SmsReport', '<xml/>', { contentType: 'text/xml' });
        assert.equal(receiver.received[0].headers['content-type'], 'text/xml');
        assert.equal(receiver.received[0].body, '<xml/>');
        assert.deepEqual([attempt.kind, attempt.received], ['raw', true]);
      });
    });

    it('refuses on-demand pushes for a type that is not pushed, naming the fix', async () => {
      await withPush((url) => ({ ...QUICK, url, types: ['SmsUp'] }), async ({ emulator }) => {
        assert.throws(() => emulator.push.sendMalformed('SmsReport', 'not-json'), /SmsReport is not pushed; call emulator\.push\.configure/);
      });
    });

    it('resends a request as it was, and pushes a receipt again in a later request', async () => {
      await withPush((url) => ({ ...QUICK, url }), async ({ emulator, receiver, send }) => {
        await send('13912345678');
        await emulator.push.whenSettled();
        const duplicate = await emulator.push.resendRequest(1);
        assert.deepEqual([duplicate.kind, duplicate.duplicateOf, duplicate.requestNumber, duplicate.received], ['duplicate', 1, 2, true]);
        assert.equal(receiver.received[1].body, receiver.received[0].body);

        await send('13800138000');
        emulator.push.repushReceipt('SmsReport-1');
        await emulator.push.whenSettled();
        const third = emulator.push.attempts[2];
        assert.deepEqual(third.receiptIds, ['SmsReport-2', 'SmsReport-1']);
        const items = JSON.parse(third.body) as Record<string, unknown>[];
        assert.deepEqual(items[1], (JSON.parse(receiver.received[0].body) as unknown[])[0]);
        assert.throws(() => emulator.push.repushReceipt('SmsReport-99'), /no receipt "SmsReport-99"/);
        assert.throws(() => emulator.push.resendRequest(42), /no request number 42/);
      });
    });

    it('duplicateRate 1 sends every received request once more, and never a duplicate of a duplicate', async () => {
      await withPush((url) => ({ ...QUICK, url, duplicateRate: 1 }), async ({ emulator, receiver, send }) => {
        await send('13912345678');
        await emulator.push.whenSettled();
        assert.deepEqual(emulator.push.attempts.map((a) => [a.requestNumber, a.kind, a.duplicateOf]), [
          [1, 'receipts', undefined],
          [2, 'duplicate', 1],
        ]);
        assert.equal(receiver.received[0].body, receiver.received[1].body);
        assert.equal(emulator.push.stats().received, 1);
      });
    });

    it('reportDuplicateRate 1 pushes each report twice, in two requests', async () => {
      await withPush((url) => ({ ...QUICK, url }), async ({ emulator, receiver, send }) => {
        emulator.reportDuplicateRate = 1;
        await send('13912345678');
        await emulator.push.whenSettled();
        assert.deepEqual(emulator.push.attempts.map((a) => a.receiptIds), [['SmsReport-1'], ['SmsReport-1']]);
        assert.equal(receiver.received[0].body, receiver.received[1].body);
        assert.equal(emulator.push.stats().queued, 2);
      });
    });

    it('reportDropRate 1 pushes nothing', async () => {
      await withPush((url) => ({ ...QUICK, url }), async ({ emulator, receiver, send }) => {
        emulator.reportDropRate = 1;
        await send('13912345678');
        await emulator.push.whenSettled();
        assert.equal(receiver.received.length, 0);
        assert.equal(emulator.sends[0].recipients[0].reportDropped, true);
      });
    });
  });

  describe('settings and secrets', () => {
    it('refuses bad settings naming every field, without repeating any URL', async () => {
      const emulator = await AlicomEmulator.start();
      try {
        const secretUrl = `ftp://127.0.0.1/x?secret=${SECRET}`;
        assert.throws(
          () =>
            emulator.push.configure({
              url: secretUrl,
              urls: { SmsUp: `not a url ${SECRET}`, Other: 'http://x' } as never,
              maxBatchSize: 0,
              batchWindowMs: -1,
              timeoutMs: 0,
              retryDelaysMs: [60, -1],
              duplicateRate: 2,
              smsUp: { sequenceId: 'bigint' as never },
            }),
          (error: Error) => {
            assert.ok(error instanceof TypeError);
            for (const field of ['push.url ', 'push.urls.SmsUp', 'push.urls.Other', 'push.maxBatchSize', 'push.batchWindowMs', 'push.timeoutMs', 'push.retryDelaysMs', 'push.duplicateRate', 'push.smsUp.sequenceId']) {
              assert.ok(error.message.includes(field), `names ${field}: ${error.message}`);
            }
            assert.ok(!error.message.includes(SECRET), error.message);
            return true;
          },
        );
        assert.throws(() => emulator.push.configure({}), /push needs a receiving URL/);
        assert.throws(() => emulator.push.configure({ url: 'http://127.0.0.1/x', types: [] }), /push\.types must be a non-empty list/);
        assert.equal(emulator.push.isEnabled('SmsReport'), false, 'refused settings change nothing');
      } finally {
        await emulator.close();
      }
      await assert.rejects(AlicomEmulator.start({ push: { url: 'nope', timeoutMs: -5 } }), /push\.url .*push\.timeoutMs/);
    });

    it('keeps the URL and its secret out of the record, inspection and errors', async () => {
      await withPush((url) => ({ ...QUICK, url, retryDelaysMs: [60_000] }), async ({ emulator, receiver, send }) => {
        receiver.answer = () => ({ status: 500, body: '' });
        await send('13912345678');
        const rejection = await emulator.push.whenSettled(200).then(() => undefined, (error: Error) => error);
        await waitUntil(() => emulator.push.attempts[0]?.settled === true);
        assert.ok(rejection instanceof Error);
        for (const text of [JSON.stringify(emulator.push.attempts), inspect(emulator, { depth: 10 }), inspect(emulator.push, { depth: 10 }), rejection.message]) {
          assert.ok(!text.includes(SECRET), text.slice(0, 200));
        }
      });
    });
  });

  describe('reset and close', () => {
    it('reset() forgets the record and pending pushes but keeps the settings', async () => {
      await withPush((url) => ({ ...QUICK, url, retryDelaysMs: [60_000] }), async ({ emulator, receiver, send }) => {
        receiver.answer = () => ({ status: 500, body: '' });
        await send('13912345678');
        await waitUntil(() => emulator.push.attempts[0]?.settled === true);
        emulator.reset();
        await emulator.push.whenSettled(100);
        assert.deepEqual(emulator.push.stats(), { queued: 0, received: 0, dropped: 0, pending: 0, requests: 0, attempts: 0 });
        receiver.answer = () => RECEIVED;
        await send('13912345678');
        await emulator.push.whenSettled();
        assert.deepEqual(emulator.push.attempts.map((a) => [a.requestNumber, a.received]), [[1, true]]);
      });
    });

    it('close() aborts a push in flight and settles', async () => {
      await withPush((url) => ({ ...QUICK, url, timeoutMs: 30_000 }), async ({ emulator, receiver, send }) => {
        receiver.answer = () => ({ ...RECEIVED, delayMs: 20_000 });
        await send('13912345678');
        await waitUntil(() => receiver.received.length === 1);
        const settled = emulator.push.whenSettled(5_000);
        await emulator.close();
        await settled;
        assert.deepEqual([emulator.push.attempts[0].error, emulator.push.attempts[0].received, emulator.push.attempts[0].dropped], ['aborted', false, false]);
      });
    });
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
