// The receipt poller against a hostile MNS (a node:http server of the test's own) while the
// emulator plays the normal side (queue tokens, sends): oversized and stalled bodies, instant
// empty answers, more messages than asked for. Time is the module's ManualClock, moved from one
// wake-up of the poller to the next; the network is real.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { afterEach, describe, it } from 'node:test';
import { Injectable } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Test, type TestingModule } from '@nestjs/testing';
import { AlicomSmsClock, AlicomSmsModule, type AlicomSmsReceiptOptions, OnSmsReport, SmsReceiptListener, type SmsReport } from '../lib/index.js';
import { AlicomSmsHealthIndicator } from '../lib/terminus/index.js';
import { AlicomEmulator } from '../lib/testing/index.js';
import { CapturingLogger } from './support/capturing-logger.js';
import { answerEmpty, answerMessages, askedFor, isReceive, mnsErrorXml, reportMessage, startHostileServer, type HostileRoute, type HostileServer } from './support/hostile-server.js';
import { SteppingClock, waitFor } from './support/stepping-clock.js';

@Injectable()
class Handlers {
  handled: SmsReport[] = [];
  active = 0;
  maxActive = 0;
  gate: Promise<void> = Promise.resolve();

  @OnSmsReport()
  async onReport(report: SmsReport): Promise<void> {
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      await this.gate;
      this.handled.push(report);
    } finally {
      this.active--;
    }
  }
}

interface Harness {
  emulator: AlicomEmulator;
  /** Every queue token the emulator issued. */
  queueTokens: Array<{ AccessKeySecret: string; SecurityToken: string }>;
  mns: HostileServer;
  moduleRef: TestingModule;
  clock: SteppingClock;
  logger: CapturingLogger;
  listener: SmsReceiptListener;
  handlers: Handlers;
  indicator: AlicomSmsHealthIndicator;
}

const open: Harness[] = [];

afterEach(async () => {
  for (const h of open.splice(0)) {
    await h.moduleRef.close();
    await h.mns.close();
    await h.emulator.close();
  }
});

/** `route` answers MNS from the first receive on (polling starts with the app). */
async function harness(
  route: (h: () => Harness) => HostileRoute,
  receipts: Partial<AlicomSmsReceiptOptions> = {},
  extra: { maxResponseBytes?: number } = {},
): Promise<Harness> {
  const emulator = await AlicomEmulator.start();
  const queueTokens: Harness['queueTokens'] = [];
  const issue = emulator.mns.issueToken.bind(emulator.mns);
  emulator.mns.issueToken = (messageType, queueName) => {
    const token = issue(messageType, queueName);
    queueTokens.push(token);
    return token;
  };
  let self!: Harness;
  const mns = await startHostileServer(route(() => self));
  const clock = new SteppingClock();
  const logger = new CapturingLogger();
  const moduleRef = await Test.createTestingModule({
    imports: [
      AlicomSmsModule.forRoot({
        ...emulator.credentials,
        endpoints: { sms: emulator.endpoints.sms, token: emulator.endpoints.token, mns: mns.url },
        receipts: { queuePrefix: emulator.queuePrefix, types: ['SmsReport'], pollersPerQueue: 1, waitSeconds: 30, ...receipts },
        compensation: false,
        ...extra,
      }),
      TerminusModule,
    ],
    providers: [Handlers, AlicomSmsHealthIndicator],
  })
    .overrideProvider(AlicomSmsClock)
    .useValue(clock)
    .setLogger(logger)
    .compile();
  const h: Harness = {
    emulator,
    queueTokens,
    mns,
    moduleRef,
    clock,
    logger,
    listener: moduleRef.get(SmsReceiptListener),
    handlers: moduleRef.get(Handlers),
    indicator: moduleRef.get(AlicomSmsHealthIndicator),
  };
  self = h;
  open.push(h);
  await moduleRef.init();
  return h;
}

const queueOf = (h: Harness) => h.listener.health().queues[0];
/** Every poll loop waits on the module clock (nothing in flight). */
const idle = (h: Harness) => () => h.listener.health().queues.every((q) => q.receivesInProgress === 0) && h.clock.nextDueIn() !== undefined;

/** Moves the clock from wake-up to wake-up until `ms` have passed, letting each wake-up's I/O finish. */
async function runFor(h: Harness, ms: number): Promise<void> {
  const end = h.clock.now() + ms;
  while (h.clock.now() < end) {
    await waitFor(idle(h), 'the poll loops to wait on the clock');
    await h.clock.advance(Math.min(h.clock.nextDueIn() as number, end - h.clock.now()));
  }
}

describe('receipt polling against a hostile MNS', () => {
  it('cuts off a body past maxResponseBytes, logs it once, retries with backoff and recovers; shutdown completes', async () => {
    let oversized = true;
    let bytesWritten = 0;
    const h = await harness(() => (req, res) => {
      if (!isReceive(req)) return void res.writeHead(204).end();
      if (!oversized) return answerEmpty(res);
      // An endless answer: 64 KiB chunks for as long as the client reads.
      res.writeHead(200, { 'content-type': 'text/xml' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let closed = false;
      res.on('close', () => (closed = true));
      const pump = () => {
        while (!closed && res.write(chunk)) bytesWritten += chunk.length;
        if (!closed) res.once('drain', pump);
      };
      pump();
    }, {}, { maxResponseBytes: 256 * 1024 });
    await waitFor(() => queueOf(h).consecutiveErrors >= 1, 'the first oversized receive to fail');
    assert.match(queueOf(h).lastError ?? '', /larger than the 262144-byte limit.*maxResponseBytes/);
    assert.ok(bytesWritten < 64 * 1024 * 1024, 'the download was aborted early');

    await runFor(h, 20_000);
    assert.ok(h.mns.count('numOfMessages') >= 3, `retried with backoff (${h.mns.count('numOfMessages')} receives)`);
    assert.ok(h.mns.count('numOfMessages') <= 12, `not a storm (${h.mns.count('numOfMessages')} receives in 20 s)`);
    const failing = h.logger.matching(['error', 'warn'], /Receiving from .* is failing/);
    assert.equal(failing.length, 1, h.logger.text());
    assert.match(failing[0].message, /262144-byte limit/);

    oversized = false;
    await runFor(h, 35_000);
    assert.equal(queueOf(h).consecutiveErrors, 0);
    assert.equal(h.logger.matching(['log'], /recovered after \d+ failed receive/).length, 1, h.logger.text());
    assert.equal(h.listener.health().running, true);

    const closing = Date.now();
    open.splice(open.indexOf(h), 1);
    await h.moduleRef.close();
    assert.ok(Date.now() - closing < 5_000, 'shutdown completed');
    await h.mns.close();
    await h.emulator.close();
  });

  it('shows a stalled body as a receive in progress, turns the health indicator down, and shutdown aborts it', async () => {
    let connectionClosed = false;
    const h = await harness(() => (req, res) => {
      if (!isReceive(req)) return void res.writeHead(204).end();
      res.on('close', () => (connectionClosed = true));
      // Headers and the start of a document, then nothing, ever.
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.write('<?xml version="1.0" encoding="UTF-8"?><Messages xmlns="http://mns.aliyuncs.com/doc/v1/">');
    }, { waitSeconds: 30 });
    await waitFor(() => h.mns.count('numOfMessages') === 1 && queueOf(h).receivesInProgress === 1, 'the stalled receive');
    const startedAt = h.clock.now();
    const since = queueOf(h).receivingSince;
    assert.ok(since instanceof Date, 'receivingSince is set');

    await h.clock.advance(5 * 60_000);
    const health = queueOf(h);
    assert.equal(health.receivesInProgress, 1);
    assert.ok(h.clock.now() - (health.receivingSince as Date).getTime() >= 5 * 60_000 - 1);
    assert.ok(startedAt >= (health.receivingSince as Date).getTime());
    const result = await h.indicator.isHealthy();
    assert.equal(result['alicom-sms'].status, 'down');
    assert.match(result['alicom-sms'].message, /a receive has been in progress for 30\d s \(1 in progress\); the poll loop looks hung/);
    assert.equal(result['alicom-sms'].queues[0].receivesInProgress, 1);

    const closing = Date.now();
    open.splice(open.indexOf(h), 1);
    await h.moduleRef.close();
    assert.ok(Date.now() - closing < 5_000, 'shutdown aborted the stalled receive');
    await waitFor(() => connectionClosed, 'the stalled connection to be closed');
    await h.mns.close();
    await h.emulator.close();
  });

  for (const waitSeconds of [0, 30]) {
    it(`paces instant empty answers (waitSeconds ${waitSeconds}): a receive per 30 s once idle, not thousands a second`, async () => {
      const at: number[] = [];
      const h = await harness((self) => (req, res) => {
        if (!isReceive(req)) return void res.writeHead(204).end();
        at.push(self().clock.now());
        answerEmpty(res);
      }, { waitSeconds });
      await runFor(h, 3_600_000);
      const gaps = at.slice(1).map((t, i) => t - at[i]);
      const expected = waitSeconds === 0 ? [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000] : [30_000, 30_000, 30_000];
      expected.forEach((ms, i) => {
        assert.ok(gaps[i] >= ms - 1_000 && gaps[i] <= ms, `pause ${i + 1} was ${gaps[i]} ms, expected ~${ms} ms (${gaps.slice(0, 8).join(', ')})`);
      });
      // An idle loop costs ~120 receives an hour (2,880 a day), whatever the server does.
      assert.ok(at.length >= 110 && at.length <= 126, `${at.length} receives in an hour`);
    });
  }

  it('asks again at once after a long poll the server held', async () => {
    const at: number[] = [];
    const h = await harness((self) => (req, res) => {
      if (!isReceive(req)) return void res.writeHead(204).end();
      at.push(self().clock.now());
      // Held for (almost) the full second of the long poll, as MNS does on an empty queue.
      setTimeout(() => answerEmpty(res), 900);
    }, { waitSeconds: 1 });
    await waitFor(() => at.length >= 2, 'two held receives', 5_000);
    assert.equal(at[at.length - 1], at[at.length - 2], 'no pause on the module clock between held long polls');
  });

  it('never processes more messages than it took permits for, whatever the server returns', async () => {
    let serve = true;
    let served = 0;
    const asked: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const h = await harness((self) => (req, res) => {
      if (!isReceive(req)) return void res.writeHead(204).end();
      self().handlers.gate = gate;
      asked.push(askedFor(req.url ?? ''));
      if (!serve) return answerEmpty(res);
      served++;
      answerMessages(res, Array.from({ length: 16 }, () => reportMessage()));
    }, { maxInFlight: 2, pollersPerQueue: 2, batchSize: 16 });
    await waitFor(() => h.handlers.active === 2, 'two handlers in flight');
    const receivesAtBound = h.mns.count('numOfMessages');
    // The loops now wait for permits, not for the clock: a minute passes, no receive, no third handler.
    assert.equal(h.clock.nextDueIn(), undefined, 'no loop sleeps: both wait for a permit');
    await h.clock.advance(60_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(h.handlers.active, 2);
    assert.equal(h.listener.health().inFlight, 2);
    assert.equal(h.mns.count('numOfMessages'), receivesAtBound, 'no receive while the bound is reached');
    assert.ok(asked.every((n) => n === 1), `each loop asked for its share (1): ${asked.join(',')}`);
    const extras = h.logger.matching(['warn'], /MNS answered 16 messages from .* when 1 were asked for; the 15 extra stay on the queue/);
    assert.equal(extras.length, 1, h.logger.text());

    serve = false;
    release();
    await waitFor(() => h.handlers.handled.length >= 2, 'the blocked handlers to finish');
    await runFor(h, 5_000);
    await waitFor(() => h.listener.health().inFlight === 0, 'nothing in flight');
    assert.equal(h.handlers.handled.length, served, 'one message processed per receive answered with 16');
    assert.equal(h.handlers.maxActive, 2, 'never more than maxInFlight handlers');
    const deleted = h.mns.requests.filter((r) => r.method === 'DELETE').flatMap((r) => [...r.body.matchAll(/<ReceiptHandle>/g)]).length;
    assert.equal(deleted, h.handlers.handled.length, 'exactly the processed messages were deleted');
  });

  it("keeps the queue token an MNS reflects in its error out of health, logs and the indicator", async () => {
    const h = await harness(() => (req, res, _body, seen) => {
      if (!isReceive(req)) return void res.writeHead(204).end();
      const token = String(seen.headers['security-token']);
      // Everything a broken gateway might echo: the header raw, percent-encoded once and twice, cut short.
      const echo = `bad request ${seen.headers.authorization} security-token=${token} q=${encodeURIComponent(token)} qq=${encodeURIComponent(encodeURIComponent(token))} head=${token.slice(0, 30)}`;
      res.writeHead(400, { 'content-type': 'text/xml', 'x-mns-request-id': token }).end(mnsErrorXml('InvalidArgument', echo, token));
    });
    await waitFor(() => queueOf(h).consecutiveErrors >= 1, 'a refused receive');
    await runFor(h, 90_000);
    assert.ok(h.queueTokens.length >= 1);
    const result = await h.indicator.isHealthy();
    const texts = [queueOf(h).lastError ?? '', h.logger.text(), JSON.stringify(result), inspect(h.listener.health(), { depth: 50, showHidden: true })];
    assert.match(texts[0], /InvalidArgument: bad request/, 'the server text is still quoted');
    for (const token of h.queueTokens) {
      for (const text of texts) assertFree(text, token.SecurityToken);
    }
  });
});

/** No form of `secret` (raw, percent-encoded once or twice, a 20-character piece) is in `text`. */
function assertFree(text: string, secret: string): void {
  const forms = [secret, encodeURIComponent(secret), encodeURIComponent(encodeURIComponent(secret)), secret.slice(0, 20), secret.slice(-20)];
  for (const form of forms) assert.ok(!text.includes(form), `found ${form} in: ${text.slice(Math.max(0, text.indexOf(form) - 200), text.indexOf(form) + 50)}`);
}
