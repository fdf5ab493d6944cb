// SmsPushReceiver.receive(), the building block behind the push routes, without HTTP: answers,
// deadline (on a ManualClock), concurrency bound, shutdown and the errors$ it publishes.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { CapturingLogger, Test, type TestingModule } from '@nestjs/testing';
import {
  AlicomSmsClock,
  AlicomSmsConfigError,
  AlicomSmsModule,
  type AlicomSmsPushOptions,
  PushBodyError,
  ReceiptDecodeError,
  type ReceiptFailure,
  ReceiptHandlerError,
  SmsPushReceiver,
  SmsReceiptListener,
} from '../lib/index.js';
import { ManualClock } from '../lib/testing/index.js';
import { RecordingHandlers } from './support/push-app.js';
import { until } from './support/until.js';

const REPORT = {
  phone_number: '13912345678',
  send_time: '2024-06-01 12:00:00',
  report_time: '2024-06-01 12:00:03',
  success: true,
  err_code: 'DELIVERED',
  err_msg: '用户接收成功',
  sms_size: '1',
  biz_id: '900000000000001^0',
  out_id: 'order-1',
};
const UP = { phone_number: '13912345678', content: 'TD', send_time: '2024-06-01 12:01:00', dest_code: '1234', sequence_id: 42 };

interface Harness {
  moduleRef: TestingModule;
  receiver: SmsPushReceiver;
  handlers: RecordingHandlers;
  clock: ManualClock;
  errors: ReceiptFailure[];
}

const open: TestingModule[] = [];
afterEach(async () => {
  for (const moduleRef of open.splice(0)) await moduleRef.close();
});

async function harness(push: Partial<AlicomSmsPushOptions> = {}): Promise<Harness> {
  const clock = new ManualClock();
  const moduleRef = await Test.createTestingModule({
    imports: [AlicomSmsModule.forRoot({ accessKeyId: 'id', accessKeySecret: 'secret', push: { registerRoutes: false, ...push } })],
    providers: [RecordingHandlers],
  })
    .setLogger(new CapturingLogger())
    .overrideProvider(AlicomSmsClock)
    .useValue(clock)
    .compile();
  const errors: ReceiptFailure[] = [];
  moduleRef.get(SmsReceiptListener).errors$.subscribe((failure) => errors.push(failure));
  await moduleRef.init();
  open.push(moduleRef);
  return { moduleRef, receiver: moduleRef.get(SmsPushReceiver), handlers: moduleRef.get(RecordingHandlers), clock, errors };
}

/** A promise the test resolves. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('SmsPushReceiver.receive()', () => {
  it('delivers the receipts of a parsed body, raw bytes or text, and answers code 0', async () => {
    const h = await harness();
    const parsed = await h.receiver.receive([REPORT, UP], { path: '/hooks' });
    assert.deepEqual(parsed, { status: 200, body: { code: 0, msg: 'OK: 2 handled, 0 duplicate(s)' } });
    assert.equal(h.handlers.reports[0].source, 'push');
    assert.equal(h.handlers.ups[0].source, 'push');
    const bytes = await h.receiver.receive(Buffer.from(JSON.stringify([REPORT])), { type: 'SmsReport' });
    assert.deepEqual(bytes.body, { code: 0, msg: 'OK: 0 handled, 1 duplicate(s)' });
    const text = await h.receiver.receive(JSON.stringify([{ ...UP, sequence_id: '43' }]), { type: 'SmsUp' });
    assert.deepEqual(text.body, { code: 0, msg: 'OK: 1 handled, 0 duplicate(s)' });
    assert.deepEqual([h.handlers.reportCalls, h.handlers.upCalls], [1, 2]);
    assert.deepEqual(h.errors, []);
    const health = h.receiver.health();
    assert.deepEqual(
      health && [health.acknowledged, health.handled, health.duplicates, health.retryRequested, health.routesRegistered, health.activeRequests],
      [3, 3, 1, 0, false, 0],
    );
  });

  it('refuses a body that is not a JSON array with 400 and reports it, naming the path', async () => {
    const h = await harness();
    assert.deepEqual(await h.receiver.receive('{"a":', { path: '/hooks' }), { status: 400, body: { code: 400, msg: 'body is not valid JSON' } });
    assert.deepEqual((await h.receiver.receive(REPORT, { path: '/hooks' })).body, { code: 400, msg: 'body is not a JSON array of receipts' });
    assert.equal(h.handlers.reportCalls, 0);
    assert.equal(h.errors.length, 2);
    for (const failure of h.errors) {
      assert.deepEqual([failure.source, failure.kind, failure.path, failure.itemIndex, failure.queue], ['push', 'decode', '/hooks', undefined, undefined]);
      assert.ok(failure.error instanceof PushBodyError);
    }
    assert.equal(h.receiver.health()?.invalidBodies, 2);
  });

  it('acknowledges bad items with the good ones and reports each on errors$', async () => {
    const h = await harness();
    const answer = await h.receiver.receive([null, { ...REPORT, biz_id: 7 }, REPORT, { hello: 1 }], { path: '/hooks' });
    assert.deepEqual(answer.body, { code: 0, msg: 'OK: 1 handled, 0 duplicate(s), 3 invalid item(s) ignored' });
    assert.equal(h.handlers.reports.length, 1);
    assert.deepEqual(
      h.errors.map((f) => [f.source, f.kind, f.itemIndex, f.type, f.path, f.error instanceof ReceiptDecodeError ? 'field' : f.error instanceof PushBodyError ? 'item' : '?']),
      [
        ['push', 'decode', 0, undefined, '/hooks', 'item'],
        ['push', 'decode', 1, 'SmsReport', '/hooks', 'field'],
        ['push', 'decode', 3, undefined, '/hooks', 'item'],
      ],
    );
    assert.equal(h.receiver.health()?.invalidItems, 3);
  });

  it('answers 500 when a handler fails, and handles the retry once', async () => {
    const h = await harness();
    h.handlers.onReport = () => {
      if (h.handlers.reportCalls === 1) throw new Error('database down');
    };
    const first = await h.receiver.receive([REPORT, UP], { path: '/hooks' });
    assert.deepEqual(first, { status: 500, body: { code: 500, msg: '1 receipt(s) failed in their handlers; push again' } });
    assert.equal(h.handlers.ups.length, 1, 'the other receipt was handled');
    const [failure] = h.errors;
    assert.deepEqual([failure.source, failure.kind, failure.type, failure.itemIndex], ['push', 'handler', 'SmsReport', 0]);
    assert.ok(failure.error instanceof ReceiptHandlerError);
    const retry = await h.receiver.receive([REPORT, UP], { path: '/hooks' });
    assert.deepEqual(retry.body, { code: 0, msg: 'OK: 1 handled, 1 duplicate(s)' });
    assert.deepEqual([h.handlers.reports.length, h.handlers.reportCalls, h.handlers.ups.length], [1, 2, 1]);
  });

  it('answers 503 at the deadline, then "busy" while the handler runs, then code 0 for the duplicate', async () => {
    const h = await harness({ answerTimeoutMs: 450 });
    const slow = gate();
    h.handlers.onReport = () => slow.promise;
    const first = h.receiver.receive([REPORT]);
    await until(() => h.handlers.reportCalls === 1, 'the handler to start');
    await h.clock.advance(449);
    assert.equal(h.receiver.health()?.acknowledged, 0);
    await h.clock.advance(1);
    assert.deepEqual(await first, { status: 503, body: { code: 503, msg: '1 receipt(s) not handled within 450 ms; push again' } });
    const whileRunning = await h.receiver.receive([REPORT]);
    assert.deepEqual(whileRunning.body, { code: 503, msg: '1 receipt(s) being handled by another delivery; push again later' });
    slow.open();
    await until(() => h.handlers.reports.length === 1, 'the handler to finish');
    const retry = await h.receiver.receive([REPORT]);
    assert.deepEqual(retry.body, { code: 0, msg: 'OK: 0 handled, 1 duplicate(s)' });
    assert.equal(h.handlers.reportCalls, 1, 'the handler ran once');
  });

  it('holds a request\'s slot until its handlers finish, and answers requests beyond maxConcurrentRequests with 503 at once', async () => {
    const h = await harness({ maxConcurrentRequests: 1, answerTimeoutMs: 100 });
    const slow = gate();
    h.handlers.onReport = () => slow.promise;
    const first = h.receiver.receive([REPORT]);
    await until(() => h.handlers.reportCalls === 1, 'the handler to start');
    await h.clock.advance(100);
    assert.equal((await first).status, 503);
    assert.equal(h.receiver.health()?.activeRequests, 1, 'answered, but its handler still runs');
    assert.deepEqual(await h.receiver.receive([UP]), { status: 503, body: { code: 503, msg: 'too many push requests at once; push again later' } });
    assert.equal(h.handlers.upCalls, 0);
    slow.open();
    await until(() => h.receiver.health()?.activeRequests === 0, 'the slot to be free');
    assert.equal((await h.receiver.receive([UP])).body.code, 0);
  });

  it('stops taking requests at shutdown and waits for the running handlers', async () => {
    const h = await harness();
    const slow = gate();
    h.handlers.onReport = () => slow.promise;
    const running = h.receiver.receive([REPORT]);
    await until(() => h.handlers.reportCalls === 1, 'the handler to start');
    open.splice(open.indexOf(h.moduleRef), 1);
    const closing = h.moduleRef.close();
    await until(() => h.receiver.health()?.accepting === false, 'shutdown to begin');
    assert.deepEqual(await h.receiver.receive([UP]), { status: 503, body: { code: 503, msg: 'shutting down; push again later' } });
    slow.open();
    await closing;
    assert.equal((await running).body.code, 0);
    assert.equal(h.handlers.reports.length, 1);
  });

  it('checks the secret in constant time, and only when one is configured', async () => {
    const h = await harness({ secret: 'Push-s3cr3t_0123456789abcdef' });
    assert.equal(h.receiver.isSecretValid('Push-s3cr3t_0123456789abcdef'), true);
    assert.equal(h.receiver.isSecretValid('Push-s3cr3t_0123456789abcdeX'), false);
    assert.equal(h.receiver.isSecretValid(undefined), false);
    const without = await harness();
    assert.equal(without.receiver.isSecretValid(''), false);
  });

  it('says how to configure push when it is not', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AlicomSmsModule.forRoot({ accessKeyId: 'id', accessKeySecret: 'secret' })] }).compile();
    open.push(moduleRef);
    const receiver = moduleRef.get(SmsPushReceiver);
    assert.equal(receiver.health(), undefined);
    await assert.rejects(receiver.receive([REPORT]), (error: unknown) => error instanceof AlicomSmsConfigError && /push: is not configured; pass push:/.test(error.message));
  });

  it('fails init naming push.registerRoutes when there is no HTTP app to register on', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [AlicomSmsModule.forRoot({ accessKeyId: 'id', accessKeySecret: 'secret', push: { path: '/hooks', secret: 'Push-s3cr3t_0123456789abcdef' } })],
    }).compile();
    await assert.rejects(moduleRef.init(), (error: unknown) => error instanceof AlicomSmsConfigError && /push\.registerRoutes: needs an HTTP application/.test(error.message));
    await moduleRef.close();
  });
});
