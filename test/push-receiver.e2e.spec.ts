// Alibaba's HTTP batch push end to end, on Express and on Fastify: SmsService → emulator → POST to
// the app's push route (registered by the module) → the same handlers, Observables,
// de-duplication and correlation as queue receipts, with source 'push'; retries when a handler
// fails or is slower than the answer deadline; the receiver mounted in an app's own controller.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Body, Controller, HttpCode, HttpException, Param, Post, Req } from '@nestjs/common';
import { CompensationSweeper, ReceiptHandlerError, SmsPushReceiver } from '../lib/index.js';
import { ManualClock } from '../lib/testing/index.js';
import { PLATFORMS, PUSH_PATH, QUICK_PUSH, startPushApp, type PushApp, type PushAppOptions, type Platform } from './support/push-app.js';
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

const SEND = { signName: '示例签名', templateCode: 'SMS_100000001', templateParam: { code: '9527' } };

/** A promise the test resolves. */
function gate(): { promise: Promise<void>; open: () => void } {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, open: release };
}

function answerOf(body: string | undefined): { code: number; msg: string } {
  return JSON.parse(body ?? '{}') as { code: number; msg: string };
}

/** The receiver in an app's own controller (`registerRoutes: false`), as the README shows it. */
@Controller('hooks')
class OwnPushController {
  constructor(private readonly receiver: SmsPushReceiver) {}

  @Post('sms-report/:secret')
  @HttpCode(200)
  async smsReport(@Param('secret') secret: string, @Req() req: { rawBody?: Buffer }, @Body() body: unknown): Promise<unknown> {
    if (!this.receiver.isSecretValid(secret)) throw new HttpException({ code: 403, msg: 'forbidden' }, 403);
    const answer = await this.receiver.receive(req.rawBody ?? body, { type: 'SmsReport', path: '/hooks/sms-report' });
    if (answer.status !== 200) throw new HttpException(answer.body, answer.status);
    return answer.body;
  }
}

for (const platform of PLATFORMS) {
  describe(`push receiver on ${platform}`, () => {
    it('delivers a pushed SmsReport to the handlers and reports$ with source push, correlated with its send, and answers code 0', async () => {
      const h = await start(platform);
      h.pushTo();
      const { bizId } = await h.sms.sendSms({ ...SEND, phoneNumbers: '+8613912345678', outId: 'order-7' });
      await until(() => h.handlers.reports.length === 1 && h.observed.reports.length === 1, 'the report');
      await h.emulator.push.whenSettled();

      const report = h.handlers.reports[0];
      assert.deepEqual(
        [report.type, report.source, report.bizId, report.phoneNumber, report.outId, report.success, report.errCode, report.messageId],
        ['SmsReport', 'push', bizId, '13912345678', 'order-7', true, 'DELIVERED', undefined],
      );
      assert.equal(report.sent?.bizId, bizId);
      assert.equal(report.sent?.templateCode, SEND.templateCode);
      assert.equal(report.sent?.signName, SEND.signName);
      assert.equal(report.sent?.outId, 'order-7');
      assert.ok(Math.abs(report.reportTime.getTime() - Date.now()) < 60_000, 'Beijing time read as such');
      assert.equal(h.observed.reports[0], report);
      const [attempt] = h.emulator.push.attempts;
      assert.deepEqual([h.emulator.push.attempts.length, attempt.status, attempt.received], [1, 200, true]);
      assert.deepEqual(answerOf(attempt.responseBody), { code: 0, msg: 'OK: 1 handled, 0 duplicate(s)' });
      assert.equal(h.emulator.mns.stats(h.emulator.queues.SmsReport).enqueued, 0, 'pushed, not queued');
      assert.deepEqual(h.observed.errors, []);
    });

    it('takes a batch of reports in one request', async () => {
      const h = await start(platform);
      h.pushTo({ ...QUICK_PUSH, batchWindowMs: 100 });
      const phones = ['13900000001', '13900000002', '13900000003'];
      const { bizId } = await h.sms.sendSms({ ...SEND, phoneNumbers: phones });
      await until(() => h.handlers.reports.length === 3, 'three reports');
      await h.emulator.push.whenSettled();
      assert.deepEqual(h.emulator.push.attempts.map((a) => [a.receiptIds.length, a.received]), [[3, true]]);
      assert.deepEqual(h.handlers.reports.map((r) => r.phoneNumber).sort(), phones);
      assert.ok(h.handlers.reports.every((r) => r.source === 'push' && r.bizId === bizId && r.sent?.phoneNumber === r.phoneNumber));
      assert.equal(h.observed.reports.length, 3);
    });

    it('takes pushed replies (SmsUp), single and batched, in every documented item variant', async () => {
      const h = await start(platform);
      h.pushTo({ ...QUICK_PUSH, smsUp: { signName: true, sequenceId: 'string' } });
      h.emulator.reply({ phoneNumber: '13912345678', content: '收到，谢谢', destCode: '12345', signName: '示例签名' });
      await until(() => h.handlers.ups.length === 1 && h.observed.ups.length === 1, 'the reply');
      const [up] = h.handlers.ups;
      assert.deepEqual([up.type, up.source, up.phoneNumber, up.content, up.destCode, up.signName], ['SmsUp', 'push', '13912345678', '收到，谢谢', '12345', '示例签名']);
      assert.match(up.sequenceId, /^\d+$/);
      assert.equal(typeof (up.raw as { sequence_id: unknown }).sequence_id, 'string');

      h.pushTo({ ...QUICK_PUSH, batchWindowMs: 100, extendedFields: true });
      h.emulator.reply({ phoneNumber: '13900000001', content: 'TD', signName: '示例签名' });
      h.emulator.reply({ phoneNumber: '13900000002', content: '好的' });
      await until(() => h.handlers.ups.length === 3, 'two more replies');
      await h.emulator.push.whenSettled();
      const batch = h.emulator.push.attempts.at(-1);
      assert.deepEqual([batch?.receiptIds.length, batch?.received], [2, true]);
      const raw = h.handlers.ups[1].raw as Record<string, unknown>;
      assert.ok('template_code' in raw && 'message_id' in raw && 'request_id' in raw, 'the newer fields were pushed');
      assert.deepEqual(h.handlers.ups.slice(1).map((u) => [u.content, typeof u.sequenceId]), [['TD', 'string'], ['好的', 'string']]);
      assert.equal(h.handlers.ups[1].signName, '示例签名');
      assert.equal(new Set(h.handlers.ups.map((u) => u.sequenceId)).size, 3);
    });

    it('resolves waitForReport() from a push', async () => {
      const h = await start(platform);
      h.pushTo();
      const { bizId } = await h.sms.sendSms({ ...SEND, phoneNumbers: '13912345678' });
      const report = await h.sms.waitForReport(bizId, '13912345678', { timeoutMs: 10_000 });
      assert.deepEqual([report.source, report.bizId, report.sent?.templateCode], ['push', bizId, SEND.templateCode]);
    });

    it('handles once a report that came by push and then again from the MNS queue', async () => {
      const h = await start(platform, { module: (emulator) => ({ receipts: { queuePrefix: emulator.queuePrefix, types: ['SmsReport'], waitSeconds: 1 } }) });
      h.pushTo({ ...QUICK_PUSH, types: ['SmsReport'] });
      await h.sms.sendSms({ ...SEND, phoneNumbers: '13912345678' });
      await until(() => h.handlers.reports.length === 1, 'the pushed report');
      await h.emulator.push.whenSettled();
      const [item] = JSON.parse(h.emulator.push.attempts[0].body) as unknown[];
      h.emulator.mns.enqueueJson(h.emulator.queues.SmsReport, item);
      await until(() => h.listener.health().duplicates === 1, 'the queued copy to be recognised');
      await h.emulator.mns.whenDrained(h.emulator.queues.SmsReport, 10_000);
      assert.deepEqual([h.handlers.reportCalls, h.observed.reports.length, h.handlers.reports[0].source], [1, 1, 'push']);
      assert.equal(h.emulator.mns.stats(h.emulator.queues.SmsReport).deleted, 1, 'the duplicate is deleted from the queue');
    });

    it('handles once a report back-filled by QuerySendDetails and then pushed, and acknowledges the push', async () => {
      const clock = new ManualClock();
      const h = await start(platform, { clock, module: { compensation: { queryAfterMs: 1_000, sweepIntervalMs: 3_600_000 } } });
      // Not pushed yet: the report goes to the (unconsumed) queue, where its exact item can be read.
      const { bizId } = await h.sms.sendSms({ ...SEND, phoneNumbers: '13912345678' });
      await until(() => h.emulator.mns.stats(h.emulator.queues.SmsReport).enqueued === 1, 'the report');
      await clock.advance(1_000);
      await h.moduleRef.get(CompensationSweeper).sweep();
      assert.deepEqual(h.handlers.reports.map((r) => [r.source, r.bizId]), [['query', bizId]]);

      const [queued] = h.emulator.mns.messages(h.emulator.queues.SmsReport);
      const item = JSON.parse(Buffer.from(queued.messageBody, 'base64').toString('utf8')) as unknown;
      h.pushTo();
      const attempt = await h.emulator.push.sendRaw('SmsReport', JSON.stringify([item]));
      assert.deepEqual([attempt.status, answerOf(attempt.responseBody)], [200, { code: 0, msg: 'OK: 0 handled, 1 duplicate(s)' }]);
      assert.deepEqual([h.handlers.reportCalls, h.observed.reports.length], [1, 1]);
    });

    it('asks QuerySendDetails nothing for a send whose report came by push', async () => {
      const clock = new ManualClock();
      const h = await start(platform, { clock, module: { compensation: { queryAfterMs: 1_000, sweepIntervalMs: 3_600_000 } } });
      h.pushTo();
      await h.sms.sendSms({ ...SEND, phoneNumbers: '13912345678' });
      await until(() => h.handlers.reports.length === 1, 'the pushed report');
      await clock.advance(1_000);
      await h.moduleRef.get(CompensationSweeper).sweep();
      assert.equal(h.emulator.requestCount('QuerySendDetails'), 0);
      assert.equal(h.handlers.reportCalls, 1);
    });

    it('answers 500 when a handler fails; the emulator pushes again and the report is handled exactly once', async () => {
      const h = await start(platform);
      h.handlers.onReport = () => {
        if (h.handlers.reportCalls === 1) throw new Error('database down');
      };
      h.pushTo();
      await h.sms.sendSms({ ...SEND, phoneNumbers: '13912345678' });
      await until(() => h.handlers.reports.length === 1, 'the report, on the retry');
      await h.emulator.push.whenSettled();
      assert.deepEqual(
        h.emulator.push.attempts.map((a) => [a.requestNumber, a.attempt, a.status, a.received]),
        [
          [1, 1, 500, false],
          [1, 2, 200, true],
        ],
      );
      assert.deepEqual(answerOf(h.emulator.push.attempts[0].responseBody), { code: 500, msg: '1 receipt(s) failed in their handlers; push again' });
      assert.deepEqual([h.handlers.reportCalls, h.handlers.reports.length, h.observed.reports.length], [2, 1, 1]);
      assert.equal(h.observed.errors.length, 1);
      const [failure] = h.observed.errors;
      assert.deepEqual([failure.source, failure.kind, failure.type, failure.path, failure.itemIndex], ['push', 'handler', 'SmsReport', PUSH_PATH, 0]);
      assert.ok(failure.error instanceof ReceiptHandlerError);
    });

    it('answers 503 when a handler is slower than the deadline; the retry finds it busy; a later retry is a duplicate; handled once', async () => {
      const clock = new ManualClock();
      const h = await start(platform, { clock, push: { answerTimeoutMs: 400 } });
      const slow = gate();
      h.handlers.onReport = () => slow.promise;
      h.pushTo({ ...QUICK_PUSH, retryDelaysMs: [20, 50, 50, 50, 50, 50] });
      await h.sms.sendSms({ ...SEND, phoneNumbers: '13912345678' });
      await until(() => h.handlers.reportCalls === 1, 'the handler to start');
      await clock.advance(400);
      await until(() => h.emulator.push.attempts.length >= 2 && h.emulator.push.attempts[1].settled, 'the first retry to be answered');
      slow.open();
      await until(() => h.emulator.push.attempts.some((a) => a.received), 'a retry to be received');
      await h.emulator.push.whenSettled();

      const answers = h.emulator.push.attempts.map((a) => [a.status, answerOf(a.responseBody).msg]);
      assert.deepEqual(answers[0], [503, '1 receipt(s) not handled within 400 ms; push again']);
      assert.deepEqual(answers[1], [503, '1 receipt(s) being handled by another delivery; push again later']);
      assert.deepEqual(answers.at(-1), [200, 'OK: 0 handled, 1 duplicate(s)']);
      assert.ok(h.emulator.push.attempts.every((a) => a.requestNumber === 1), 'one request, pushed again');
      assert.deepEqual([h.handlers.reportCalls, h.handlers.reports.length, h.observed.reports.length], [1, 1, 1]);
    });

    it('handles once a push the emulator stopped waiting for (its timeout), when pushed again', async () => {
      // The receiver's deadline is on a ManualClock that never moves: only the emulator gives up.
      const clock = new ManualClock();
      const h = await start(platform, { clock });
      const slow = gate();
      h.handlers.onReport = () => slow.promise;
      h.pushTo({ ...QUICK_PUSH, timeoutMs: 150, retryDelaysMs: [20, 50, 50, 50, 50, 50] });
      await h.sms.sendSms({ ...SEND, phoneNumbers: '13912345678' });
      await until(() => h.emulator.push.attempts.length >= 2 && h.emulator.push.attempts[1].settled, 'a timeout and a retry');
      slow.open();
      await until(() => h.emulator.push.attempts.some((a) => a.received), 'a retry to be received');
      await h.emulator.push.whenSettled();
      const [first, second] = h.emulator.push.attempts;
      assert.deepEqual([first.timedOut, first.status, first.received], [true, undefined, false]);
      assert.deepEqual([second.status, answerOf(second.responseBody).code], [503, 503]);
      assert.deepEqual(answerOf(h.emulator.push.attempts.at(-1)?.responseBody), { code: 0, msg: 'OK: 0 handled, 1 duplicate(s)' });
      assert.deepEqual([h.handlers.reportCalls, h.handlers.reports.length], [1, 1]);
    });

    it('serves the receiver from the app\'s own controller (registerRoutes: false)', async () => {
      const h = await start(platform, { push: { registerRoutes: false, path: undefined }, controllers: [OwnPushController], rawBody: true });
      h.emulator.push.configure({ ...QUICK_PUSH, url: `${h.origin}/hooks/sms-report/${'Push-s3cr3t_0123456789abcdef'}`, types: ['SmsReport'] });
      const { bizId } = await h.sms.sendSms({ ...SEND, phoneNumbers: '13912345678' });
      await until(() => h.handlers.reports.length === 1, 'the report');
      await h.emulator.push.whenSettled();
      assert.deepEqual([h.handlers.reports[0].source, h.handlers.reports[0].bizId], ['push', bizId]);
      assert.deepEqual(answerOf(h.emulator.push.attempts[0].responseBody), { code: 0, msg: 'OK: 1 handled, 0 duplicate(s)' });
      const refused = await h.post('/hooks/sms-report/not-the-secret-0123456789', '[]');
      assert.equal(refused.status, 403);
      const notArray = await h.post('/hooks/sms-report/Push-s3cr3t_0123456789abcdef', '{"code":1}');
      assert.deepEqual([notArray.status, JSON.parse(notArray.body)], [400, { code: 400, msg: 'body is not a JSON array of receipts' }]);
      assert.equal(h.moduleRef.get(SmsPushReceiver).health()?.routesRegistered, false);
    });
  });
}
