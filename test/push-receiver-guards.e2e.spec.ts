// What the push receiver refuses, on Express and on Fastify: wrong or missing secret, addresses not
// allowed, oversized bodies, bodies that are not a JSON array, items of the wrong shape, floods;
// each gets its documented answer, reaches no handler, and good receipts keep flowing. The secret
// appears in no log line, Nest's or Fastify's.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { request } from 'node:http';
import { inspect } from 'node:util';
import { PushBodyError, ReceiptDecodeError, SmsPushReceiver } from '../lib/index.js';
import { PLATFORMS, PUSH_PATH, PUSH_SECRET, QUICK_PUSH, startPushApp, type PushApp, type PushAppOptions, type Platform } from './support/push-app.js';
import { until } from './support/until.js';

const open: PushApp[] = [];
afterEach(async () => {
  for (const app of open.splice(0)) await app.close();
});

async function start(platform: Platform, options: PushAppOptions = {}): Promise<PushApp> {
  const app = await startPushApp(platform, options);
  open.push(app);
  return app;
}

const SEND = { signName: '示例签名', templateCode: 'SMS_100000001' };
const FORBIDDEN = { status: 403, body: '{"code":403,"msg":"forbidden"}' };
/** A valid report item: had any check let it through, a handler would have run. */
const GOOD_ITEM = {
  phone_number: '13800000000',
  send_time: '2024-06-01 12:00:00',
  report_time: '2024-06-01 12:00:03',
  success: true,
  err_code: 'DELIVERED',
  err_msg: '用户接收成功',
  sms_size: '1',
  biz_id: '900000000000042^0',
  out_id: '',
};
const GOOD_BODY = JSON.stringify([GOOD_ITEM]);

function answerOf(body: string | undefined): { code: number; msg: string } {
  return JSON.parse(body ?? '{}') as { code: number; msg: string };
}

/** Sends one SMS and waits until its pushed report was handled: receipts still flow. */
async function assertReceiptsFlow(h: PushApp): Promise<void> {
  const before = h.handlers.reports.length;
  const { bizId } = await h.sms.sendSms({ ...SEND, phoneNumbers: '13912345678' });
  await until(() => h.handlers.reports.some((r) => r.bizId === bizId), 'a good receipt after the bad requests');
  assert.equal(h.handlers.reports.length, before + 1);
}

/** POSTs the start of a body announced much larger, never finishing it; resolves with the answer. */
function postUnfinished(h: PushApp, target: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${h.origin}${target}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '10000000' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
    req.write('[{"phone_');
  });
}

/** Every log line, Nest's (with stacks and parameters) and the platform's. */
function allLogText(h: PushApp): string {
  const nest = h.logger.entries.map((entry) => inspect([entry.message, entry.args, entry.stack, entry.error], { depth: 10 }));
  return [...nest, ...h.platformLog].join('\n');
}

for (const platform of PLATFORMS) {
  describe(`push receiver guards on ${platform}`, () => {
    it('answers a missing or wrong secret with 403 before reading the body (secret in the path)', async () => {
      const h = await start(platform);
      h.pushTo();
      for (const target of [PUSH_PATH, `${PUSH_PATH}/`, `${PUSH_PATH}/${PUSH_SECRET.slice(0, -1)}`, `${PUSH_PATH}/${PUSH_SECRET}x`, `${PUSH_PATH}/wrong?secret=${PUSH_SECRET}`]) {
        assert.deepEqual(await h.post(target, GOOD_BODY), FORBIDDEN, target);
      }
      // A body announced as 10 MB, of which 10 bytes ever come: the answer does not wait for it.
      assert.deepEqual(await postUnfinished(h, `${PUSH_PATH}/not-the-secret-0123456789`), FORBIDDEN);
      assert.equal(h.handlers.reportCalls, 0);
      assert.equal(h.moduleRef.get(SmsPushReceiver).health()?.forbidden, 6);
      assert.equal(h.observed.errors.length, 0, 'refused requests are not receipts');
      await assertReceiptsFlow(h);
    });

    it('answers a missing or wrong secret with 403 (secret in the query)', async () => {
      const h = await start(platform, { push: { secretIn: 'query' } });
      h.pushTo();
      for (const target of [PUSH_PATH, `${PUSH_PATH}?secret=`, `${PUSH_PATH}?secret=nope`, `${PUSH_PATH}?token=${PUSH_SECRET}`, `${PUSH_PATH}?secret=${PUSH_SECRET.toUpperCase()}`]) {
        assert.deepEqual(await h.post(target, GOOD_BODY), FORBIDDEN, target);
      }
      assert.equal(h.handlers.reportCalls, 0);
      await assertReceiptsFlow(h);
      assert.ok(h.emulator.push.attempts.every((a) => a.received));
    });

    it('refuses a body larger than maxBodyBytes with 413, and takes a valid one larger than the platform\'s own JSON limit', async () => {
      const h = await start(platform, { push: { maxBodyBytes: 2 * 1024 * 1024 } });
      h.pushTo();
      const oversized = await h.emulator.push.sendMalformed('SmsReport', 'oversized', { sizeBytes: 2 * 1024 * 1024 + 1 });
      assert.deepEqual([oversized.status, answerOf(oversized.responseBody)], [413, { code: 413, msg: 'body larger than 2097152 bytes' }]);
      assert.equal(h.handlers.reportCalls, 0);
      const [failure] = h.observed.errors;
      assert.deepEqual([failure.source, failure.kind, failure.path, failure.itemIndex], ['push', 'decode', PUSH_PATH, undefined]);
      assert.ok(failure.error instanceof PushBodyError && failure.error.reason === 'too-large');

      // 1.1 MB: above Express's 100 kB and Fastify's 1 MiB defaults; valid receipts, all handled.
      const big = await h.emulator.push.sendMalformed('SmsReport', 'oversized', { sizeBytes: 1_100_000 });
      const items = (JSON.parse(big.body) as unknown[]).length;
      assert.deepEqual([big.status, answerOf(big.responseBody)], [200, { code: 0, msg: `OK: ${items} handled, 0 duplicate(s)` }]);
      assert.equal(h.handlers.reports.length, items);
      await assertReceiptsFlow(h);
    });

    it('refuses a body that is not UTF-8 JSON, or not an array, with 400 and reports it on errors$', async () => {
      const h = await start(platform);
      h.pushTo();
      const notJson = await h.emulator.push.sendMalformed('SmsReport', 'not-json');
      const notArray = await h.emulator.push.sendMalformed('SmsReport', 'not-array');
      const notUtf8 = await h.emulator.push.sendRaw('SmsReport', Buffer.from([0x5b, 0xc3, 0x28, 0x5d]));
      const empty = await h.emulator.push.sendRaw('SmsReport', '');
      const asText = await h.emulator.push.sendRaw('SmsReport', 'hello', { contentType: 'text/plain' });
      assert.deepEqual(
        [notJson, notArray, notUtf8, empty, asText].map((a) => [a.status, answerOf(a.responseBody).msg]),
        [
          [400, 'body is not valid JSON'],
          [400, 'body is not a JSON array of receipts'],
          [400, 'body is not valid UTF-8'],
          [400, 'body is not valid JSON'],
          [400, 'body is not valid JSON'],
        ],
      );
      assert.equal(h.handlers.reportCalls, 0);
      assert.deepEqual(
        h.observed.errors.map((f) => [f.source, f.kind, f.itemIndex, (f.error as PushBodyError).reason]),
        [
          ['push', 'decode', undefined, 'json'],
          ['push', 'decode', undefined, 'not-array'],
          ['push', 'decode', undefined, 'utf8'],
          ['push', 'decode', undefined, 'json'],
          ['push', 'decode', undefined, 'json'],
        ],
      );
      await assertReceiptsFlow(h);
    });

    it('acknowledges a request with items of the wrong shape, handles its good items and reports each bad one', async () => {
      const h = await start(platform);
      h.pushTo();
      const attempt = await h.emulator.push.sendMalformed('SmsReport', 'bad-items', { alongside: [GOOD_ITEM] });
      assert.deepEqual([attempt.status, answerOf(attempt.responseBody)], [200, { code: 0, msg: 'OK: 1 handled, 0 duplicate(s), 5 invalid item(s) ignored' }]);
      assert.deepEqual(h.handlers.reports.map((r) => [r.bizId, r.source]), [[GOOD_ITEM.biz_id, 'push']]);
      assert.deepEqual(
        h.observed.errors.map((f) => [f.source, f.kind, f.itemIndex, f.path, f.error instanceof ReceiptDecodeError ? 'fields' : 'item']),
        [0, 1, 2, 3, 4].map((index) => ['push', 'decode', index, PUSH_PATH, index === 4 ? 'fields' : 'item']),
      );
      const health = h.moduleRef.get(SmsPushReceiver).health();
      assert.deepEqual([health?.invalidItems, health?.acknowledged], [5, 1]);
    });

    it('with one path per type, refuses an item pushed to the other type\'s path with a hint', async () => {
      const h = await start(platform, { push: { path: undefined, paths: { SmsReport: '/alicom/sms-report', SmsUp: '/alicom/sms-up' } } });
      h.emulator.push.configure({
        ...QUICK_PUSH,
        urls: { SmsReport: `${h.origin}/alicom/sms-report/${PUSH_SECRET}`, SmsUp: `${h.origin}/alicom/sms-up/${PUSH_SECRET}` },
      });
      await h.sms.sendSms({ ...SEND, phoneNumbers: '13912345678' });
      h.emulator.reply({ phoneNumber: '13912345678', content: 'TD' });
      await until(() => h.handlers.reports.length === 1 && h.handlers.ups.length === 1, 'a report and a reply, each on its path');
      const upItem = JSON.parse(h.emulator.push.attempts.find((a) => a.type === 'SmsUp')?.body ?? '[]') as unknown[];
      const misrouted = await h.post(`/alicom/sms-report/${PUSH_SECRET}`, JSON.stringify(upItem));
      assert.deepEqual([misrouted.status, answerOf(misrouted.body).code], [200, 0]);
      const failure = h.observed.errors.at(-1);
      assert.deepEqual([failure?.type, failure?.path, failure?.itemIndex], ['SmsUp', '/alicom/sms-report', 0]);
      assert.match((failure?.error as Error).message, /it is an SmsUp, but this path receives SmsReport: check the URL/);
      assert.equal(h.handlers.upCalls, 1);
    });

    it('refuses source addresses outside allowFrom, and reads X-Forwarded-For only from trusted proxies', async () => {
      const direct = await start(platform, { push: { allowFrom: ['203.0.113.0/24'] } });
      assert.deepEqual(await direct.post(`${PUSH_PATH}/${PUSH_SECRET}`, GOOD_BODY, { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.5' }), FORBIDDEN);

      const proxied = await start(platform, { push: { allowFrom: ['203.0.113.0/24'], trustProxy: 1 } });
      const target = `${PUSH_PATH}/${PUSH_SECRET}`;
      const viaProxy = (forwardedFor: string) => proxied.post(target, GOOD_BODY, { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor });
      assert.deepEqual(await viaProxy('198.51.100.1'), FORBIDDEN);
      assert.deepEqual(await viaProxy('203.0.113.5, 198.51.100.1'), FORBIDDEN, 'a forged first entry does not count');
      assert.equal(proxied.handlers.reportCalls, 0);
      const allowed = await viaProxy('198.51.100.1, 203.0.113.5');
      assert.deepEqual([allowed.status, answerOf(allowed.body).code], [200, 0]);
      assert.equal(proxied.handlers.reports.length, 1);

      const local = await start(platform, { push: { allowFrom: ['127.0.0.1', '::1'] } });
      local.pushTo();
      await assertReceiptsFlow(local);
    });

    it('answers a flood of requests without the secret with 403 while good pushes go through at once', async () => {
      // Room for the good requests only: had a refused request taken a slot (or waited for its
      // body, as the unfinished ones never end), good pushes would be answered 503 and retried.
      const h = await start(platform, { push: { maxConcurrentRequests: 3 } });
      h.pushTo({ ...QUICK_PUSH, timeoutMs: 5_000 });
      const flood = [
        ...Array.from({ length: 50 }, (_, i) => postUnfinished(h, `${PUSH_PATH}/unfinished-${i}-0123456789abcdef`)),
        ...Array.from({ length: 100 }, (_, i) => h.post(`${PUSH_PATH}/flood-${i}-0123456789abcdef`, GOOD_BODY)),
      ];
      const sends = ['13900000001', '13900000002', '13900000003'].map((phone) => h.sms.sendSms({ ...SEND, phoneNumbers: phone }));
      const answers = await Promise.all(flood);
      await Promise.all(sends);
      await until(() => h.handlers.reports.length === 3, 'the good reports');
      await h.emulator.push.whenSettled();
      assert.ok(answers.every((a) => a.status === 403 && a.body === FORBIDDEN.body));
      assert.ok(h.emulator.push.attempts.every((a) => a.attempt === 1 && a.received), 'no good push had to wait for a retry');
      assert.equal(h.moduleRef.get(SmsPushReceiver).health()?.forbidden, 150);
      assert.equal(h.handlers.reportCalls, 3);
      // One line for the flood, not 150 (the rest go into the minute's summary).
      assert.equal(h.logger.filter({ message: /Refused a push request/ }).length, 1);
    });

    it('answers requests beyond maxConcurrentRequests with a quick 503; they are pushed again and handled once', async () => {
      const h = await start(platform, { push: { maxConcurrentRequests: 1, answerTimeoutMs: 10_000 } });
      let release!: () => void;
      const slow = new Promise<void>((resolve) => (release = resolve));
      h.handlers.onReport = (report) => (report.phoneNumber === '13900000001' ? slow : undefined);
      h.pushTo();
      await h.sms.sendSms({ ...SEND, phoneNumbers: '13900000001' });
      await until(() => h.handlers.reportCalls === 1, 'the first request to hold the only slot');
      await h.sms.sendSms({ ...SEND, phoneNumbers: '13900000002' });
      await until(() => h.emulator.push.attempts.length >= 2 && h.emulator.push.attempts[1].settled, 'the second request to be answered');
      const busy = h.emulator.push.attempts[1];
      assert.deepEqual([busy.status, answerOf(busy.responseBody)], [503, { code: 503, msg: 'too many push requests at once; push again later' }]);
      release();
      await until(() => h.handlers.reports.length === 2, 'both reports');
      await h.emulator.push.whenSettled();
      assert.ok(h.emulator.push.attempts.filter((a) => a.received).length === 2);
      assert.deepEqual([h.handlers.reportCalls, h.observed.reports.length], [2, 2], 'the refused request reached no handler');
    });

    it('answers requests with 503 while the app shuts down, after finishing the running handlers', async () => {
      const h = await start(platform);
      let release!: () => void;
      const slow = new Promise<void>((resolve) => (release = resolve));
      h.handlers.onReport = () => slow;
      const receiver = h.moduleRef.get(SmsPushReceiver);
      const running = h.post(`${PUSH_PATH}/${PUSH_SECRET}`, GOOD_BODY);
      await until(() => h.handlers.reportCalls === 1, 'the handler to start');
      open.splice(open.indexOf(h), 1);
      const closing = h.app.close();
      await until(() => receiver.health()?.accepting === false, 'shutdown to begin');
      const late = await h.post(`${PUSH_PATH}/${PUSH_SECRET}`, JSON.stringify([{ ...GOOD_ITEM, biz_id: '1^0' }]));
      assert.deepEqual([late.status, answerOf(late.body)], [503, { code: 503, msg: 'shutting down; push again later' }]);
      release();
      assert.deepEqual((await running).status, 200);
      await closing;
      await h.emulator.close();
      assert.deepEqual([h.handlers.reportCalls, h.handlers.reports.length], [1, 1]);
    });

    it('never writes the secret to a log line (Nest\'s or the platform\'s), nor to errors$', async () => {
      const h = await start(platform);
      let failed = false;
      h.handlers.onReport = (report) => {
        if (report.bizId === 'fails-once^0' && !failed) {
          failed = true;
          throw new Error('database down');
        }
      };
      h.pushTo();
      await assertReceiptsFlow(h);
      await h.post(`${PUSH_PATH}/${PUSH_SECRET}x`, GOOD_BODY);
      await h.post(`${PUSH_PATH}?secret=${PUSH_SECRET}`, GOOD_BODY);
      await h.post(`${PUSH_PATH}/${PUSH_SECRET}`, 'not json');
      await h.post(`${PUSH_PATH}/${PUSH_SECRET}`, JSON.stringify([null, { ...GOOD_ITEM, biz_id: 'fails-once^0' }]));
      const logs = allLogText(h);
      assert.ok(failed, 'a handler failed');
      for (const expected of [/Receiving pushed receipts at SmsReport \+ SmsUp: POST \/alicom\/receipts\/<secret>/, /Refused a push request to \/alicom\/receipts/, /Refused a push to \/alicom\/receipts: Cannot read pushed receipts/, /not valid receipts and were acknowledged/, /database down/]) {
        assert.match(logs, expected);
      }
      assert.ok(!logs.includes(PUSH_SECRET), 'the secret is in a log line');
      assert.ok(!inspect(h.observed.errors, { depth: 10 }).includes(PUSH_SECRET), 'the secret is in errors$');
    });
  });
}
