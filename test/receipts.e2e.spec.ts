// The receipt pipeline end to end: SmsService -> emulator -> MNS queue -> SmsReceiptListener
// (real HTTP long-polls, signed with the queue token) -> decorated handlers + Observables -> delete.
// The module and the emulator share one ManualClock: redelivery, backoffs and long-poll waits
// happen when the test moves it, never by waiting.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  AlicomSmsClock,
  AlicomSmsModule,
  type AlicomSmsReceiptOptions,
  OnSmsReport,
  OnSmsUp,
  type PoisonMessage,
  type ReceiptFailure,
  SmsReceiptListener,
  type SmsReport,
  SmsService,
  type SmsUp,
} from '../lib/index.js';
import { advanceUntil, settleOnClock, until } from './support/until.js';
import { AlicomEmulator, type AlicomEmulatorOptions, ManualClock } from '../lib/testing/index.js';

/** Test handlers whose behaviour each test sets. */
@Injectable()
class ReceiptHandlers {
  reports: SmsReport[] = [];
  ups: SmsUp[] = [];
  active = 0;
  maxActive = 0;
  /** Called for every report; may throw or block. */
  onReportBehaviour: (report: SmsReport) => Promise<void> | void = () => {};

  @OnSmsReport()
  async handleReport(report: SmsReport): Promise<void> {
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      await this.onReportBehaviour(report);
      this.reports.push(report);
    } finally {
      this.active--;
    }
  }

  @OnSmsUp()
  handleReply(up: SmsUp): void {
    this.ups.push(up);
  }
}

interface Harness {
  /** The clock of both the module and the emulator. */
  clock: ManualClock;
  emulator: AlicomEmulator;
  moduleRef: TestingModule;
  sms: SmsService;
  listener: SmsReceiptListener;
  handlers: ReceiptHandlers;
  observed: { reports: SmsReport[]; ups: SmsUp[]; errors: ReceiptFailure[] };
  reportQueue: string;
}

const open: Harness[] = [];

/**
 * Long-polls held for the longest wait MNS allows: on the unmoved clock they end only when a
 * message arrives (or the module closes), so pollers never churn through empty answers.
 */
const WAIT_SECONDS = 30;

async function harness(receipts: Partial<AlicomSmsReceiptOptions> = {}, emulatorOptions: AlicomEmulatorOptions = {}): Promise<Harness> {
  const clock = new ManualClock();
  const emulator = await AlicomEmulator.start({ ...emulatorOptions, clock });
  const moduleRef = await Test.createTestingModule({
    imports: [
      AlicomSmsModule.forRoot({
        ...emulator.credentials,
        endpoints: emulator.endpoints,
        receipts: { queuePrefix: emulator.queuePrefix, waitSeconds: WAIT_SECONDS, retryBackoffSeconds: 1, ...receipts },
      }),
    ],
    providers: [ReceiptHandlers],
  })
    .overrideProvider(AlicomSmsClock)
    .useValue(clock)
    .compile();
  const listener = moduleRef.get(SmsReceiptListener);
  const observed = { reports: [] as SmsReport[], ups: [] as SmsUp[], errors: [] as ReceiptFailure[] };
  listener.reports$.subscribe((r) => observed.reports.push(r));
  listener.ups$.subscribe((u) => observed.ups.push(u));
  listener.errors$.subscribe((e) => observed.errors.push(e));
  await moduleRef.init();
  const h: Harness = {
    clock,
    emulator,
    moduleRef,
    sms: moduleRef.get(SmsService),
    listener,
    handlers: moduleRef.get(ReceiptHandlers),
    observed,
    reportQueue: `${emulator.queuePrefix}SmsReport`,
  };
  open.push(h);
  return h;
}

afterEach(async () => {
  for (const h of open.splice(0)) {
    await h.moduleRef.close();
    await h.emulator.close();
  }
});

describe('receipt pipeline (emulator over HTTP)', () => {
  it('delivers a typed SmsReport to the handler and the Observable, then deletes the message', async () => {
    const h = await harness();
    const { bizId } = await h.sms.sendSms({ phoneNumbers: '+8613912345678', signName: '示例签名', templateCode: 'SMS_1', outId: 'order-7' });
    await until(() => h.handlers.reports.length === 1 && h.observed.reports.length === 1, 'the report');
    await h.emulator.mns.whenDrained(h.reportQueue, 10_000);

    const report = h.handlers.reports[0];
    assert.equal(report.type, 'SmsReport');
    assert.equal(report.bizId, bizId);
    assert.equal(report.phoneNumber, '13912345678');
    assert.equal(report.outId, 'order-7');
    assert.equal(report.success, true);
    assert.equal(report.errCode, 'DELIVERED');
    assert.equal(report.source, 'mns');
    assert.equal(typeof report.smsSize, 'number');
    const sentAgo = h.clock.now() - report.sendTime.getTime();
    assert.ok(sentAgo >= 0 && sentAgo < 1_000, `Beijing time converted: sent ${sentAgo} ms before the emulator's clock`);
    assert.ok(report.messageId);
    assert.equal(h.observed.reports[0], report);
    const stats = h.emulator.mns.stats(h.reportQueue);
    assert.equal(stats.deleted, 1);
    assert.equal(stats.visible + stats.inFlight, 0);
  });

  it('delivers replies (SmsUp) the same way', async () => {
    const h = await harness();
    h.emulator.reply({ phoneNumber: '13912345678', content: '收到，谢谢', destCode: '12345' });
    await until(() => h.handlers.ups.length === 1 && h.observed.ups.length === 1, 'the reply');
    const up = h.handlers.ups[0];
    assert.equal(up.type, 'SmsUp');
    assert.equal(up.content, '收到，谢谢');
    assert.equal(up.phoneNumber, '13912345678');
    assert.equal(up.destCode, '12345');
    assert.match(up.sequenceId, /^\d+$/);
    await h.emulator.mns.whenDrained(`${h.emulator.queuePrefix}SmsUp`, 10_000);
  });

  it('redelivers after a failing handler until it succeeds, with doubling backoff, and deletes exactly once', async () => {
    const h = await harness({ retryBackoffSeconds: 1 });
    let attempts = 0;
    h.handlers.onReportBehaviour = () => {
      attempts++;
      if (attempts < 3) throw new Error(`transient failure ${attempts}`);
    };
    await h.sms.sendSms({ phoneNumbers: '13912345678', signName: 'S', templateCode: 'SMS_1' });
    const invisibleFor = () => (h.emulator.mns.messages(h.reportQueue)[0]?.nextVisibleTime ?? 0) - h.clock.now();
    await until(() => attempts === 1 && invisibleFor() === 1_000, 'the first failure to postpone the receipt by 1 s');
    await h.clock.advance(999);
    assert.equal(attempts, 1, 'not redelivered before the backoff');
    await h.clock.advance(1);
    await until(() => attempts === 2 && invisibleFor() === 2_000, 'the second failure to postpone it by 2 s');
    await h.clock.advance(2_000);
    await until(() => h.handlers.reports.length === 1, 'eventual success');
    await h.emulator.mns.whenDrained(h.reportQueue, 10_000);
    assert.equal(attempts, 3);
    assert.equal(h.emulator.mns.stats(h.reportQueue).deleted, 1);
    assert.equal(h.observed.reports.length, 1, 'Observables see the receipt once, after success');
    assert.equal(h.observed.errors.filter((e) => e.kind === 'handler').length, 2);
    assert.equal(h.listener.health().handlerFailures, 2);
  });

  it('sends a receipt that keeps failing to the poison hook after maxDeliveries, then deletes it', async () => {
    const poisoned: PoisonMessage[] = [];
    const h = await harness({ maxDeliveries: 2, retryBackoffSeconds: 1, onPoisonMessage: (m) => void poisoned.push(m) });
    h.handlers.onReportBehaviour = () => {
      throw new Error('always broken');
    };
    await h.sms.sendSms({ phoneNumbers: '13912345678', signName: 'S', templateCode: 'SMS_1' });
    await advanceUntil(h.clock, () => poisoned.length === 1, 'the poison hook');
    await h.emulator.mns.whenDrained(h.reportQueue, 10_000);
    assert.equal(poisoned[0].reason, 'handler-failed');
    assert.equal(poisoned[0].dequeueCount, 2);
    assert.equal(h.emulator.mns.stats(h.reportQueue).deleted, 1);
  });

  it('reports malformed bodies, hands them to the poison hook, and keeps consuming', async () => {
    const poisoned: PoisonMessage[] = [];
    const h = await harness({ onPoisonMessage: (m) => void poisoned.push(m) });
    h.emulator.mns.enqueueRaw(h.reportQueue, 'this is not base64!!');
    h.emulator.mns.enqueueRaw(h.reportQueue, Buffer.from('{"phone_number": ').toString('base64'));
    h.emulator.mns.enqueueRaw(h.reportQueue, Buffer.from('{}').toString('base64'), { md5: '00000000000000000000000000000000' });
    await until(() => poisoned.length === 3, 'three poison messages');
    await h.sms.sendSms({ phoneNumbers: '13912345678', signName: 'S', templateCode: 'SMS_1' });
    await until(() => h.handlers.reports.length === 1, 'a good receipt after the bad ones');
    await h.emulator.mns.whenDrained(h.reportQueue, 10_000);
    assert.deepEqual(poisoned.map((p) => p.reason), ['undecodable', 'undecodable', 'undecodable']);
    assert.equal(h.observed.errors.filter((e) => e.kind === 'decode').length, 3);
    assert.ok(h.listener.health().running);
  });

  it('refreshes the queue token when it expires mid-stream, losing nothing', async () => {
    const h = await harness();
    await h.sms.sendSms({ phoneNumbers: '13900000001', signName: 'S', templateCode: 'SMS_1' });
    await until(() => h.handlers.reports.length === 1, 'the first report');
    const tokensBefore = h.emulator.mns.tokensIssued;
    h.emulator.mns.expireAllTokens();
    for (let i = 2; i <= 5; i++) await h.sms.sendSms({ phoneNumbers: `1390000000${i}`, signName: 'S', templateCode: 'SMS_1' });
    // A delete refused for the expired token is retried after a backoff on the clock.
    const stats = () => h.emulator.mns.stats(h.reportQueue);
    await advanceUntil(h.clock, () => h.handlers.reports.length === 5 && stats().deleted === 5, 'all five reports handled and deleted');
    await h.emulator.mns.whenDrained(h.reportQueue, 10_000);
    assert.ok(h.emulator.mns.tokensIssued > tokensBefore, 'a new token was fetched');
  });

  it('survives injected 5xx, socket resets and duplicate deliveries without losing a receipt', async () => {
    const h = await harness({ pollersPerQueue: 3 }, { mns: { seed: 42, visibilityTimeoutSeconds: 2 } });
    Object.assign(h.emulator.mns.faults, { errorRate: 0.2, resetRate: 0.1, duplicateRate: 0.2 });
    const sent = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const phone = `1380000${String(i).padStart(4, '0')}`;
      const { bizId } = await h.sms.sendSms({ phoneNumbers: phone, signName: 'S', templateCode: 'SMS_1' });
      sent.add(`${bizId}/${phone}`);
    }
    const handled = () => new Set(h.handlers.reports.map((r) => `${r.bizId}/${r.phoneNumber}`));
    // Receive errors back off, resets leave messages in flight until their 2 s visibility timeout.
    await advanceUntil(h.clock, () => handled().size === sent.size, 'every receipt handled', { timeoutMs: 60_000 });
    Object.assign(h.emulator.mns.faults, { errorRate: 0, resetRate: 0, duplicateRate: 0 });
    const left = () => {
      const stats = h.emulator.mns.stats(h.reportQueue);
      return stats.visible + stats.inFlight + stats.delayed;
    };
    await advanceUntil(h.clock, () => left() === 0, 'the queue drained', { timeoutMs: 30_000 });
    await h.emulator.mns.whenDrained(h.reportQueue, 10_000);
    assert.deepEqual([...handled()].sort(), [...sent].sort());
    const stats = h.emulator.mns.stats(h.reportQueue);
    assert.equal(stats.visible + stats.inFlight + stats.delayed, 0, 'nothing left behind');
    assert.ok(stats.duplicated > 0, 'duplicates were injected');
  });

  it('never has more receipts in flight than maxInFlight (backpressure)', async () => {
    // Short long-polls: the idle SmsUp pollers give back the permits they hold as the clock moves.
    const h = await harness({ maxInFlight: 3, pollersPerQueue: 2, batchSize: 16, waitSeconds: 1 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    h.handlers.onReportBehaviour = () => gate;
    for (let i = 0; i < 10; i++) await h.sms.sendSms({ phoneNumbers: `1370000000${i}`, signName: 'S', templateCode: 'SMS_1' });
    await advanceUntil(h.clock, () => h.handlers.active === 3, 'three handlers blocked');
    // Let every backoff and pause of the pollers run out, then leave them a moment of real time
    // to (wrongly) take more: a receive they sent now would be answered at once, 7 are visible.
    await h.clock.advance(10_000);
    await sleep(50);
    assert.equal(h.handlers.active, 3);
    assert.equal(h.listener.health().inFlight, 3);
    assert.ok(h.emulator.mns.stats(h.reportQueue).inFlight <= 3, 'no messages received beyond the bound');
    release();
    await until(() => h.handlers.reports.length === 10, 'all ten handled');
    assert.equal(h.handlers.maxActive, 3);
  });

  it('on shutdown aborts the long-polls, finishes in-flight handlers, acks them, and receives nothing new', async () => {
    const h = await harness({ waitSeconds: 30 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    h.handlers.onReportBehaviour = () => gate;
    await h.sms.sendSms({ phoneNumbers: '13912345678', signName: 'S', templateCode: 'SMS_1' });
    await until(() => h.handlers.active === 1 && h.emulator.mns.stats().waitingReceives > 0, 'the handler in flight, the other pollers waiting');

    const harnessIndex = open.indexOf(h);
    open.splice(harnessIndex, 1);
    let closed = false;
    const closing = h.moduleRef.close().then(() => (closed = true));
    // The clock never moves: the 30 s long-polls can only end by being aborted.
    await until(() => h.emulator.mns.stats().waitingReceives === 0, 'the long-polls aborted');
    assert.equal(closed, false, 'shutdown waits for the handler in flight');
    release();
    await closing;
    assert.equal(h.handlers.reports.length, 1, 'the in-flight handler finished');
    assert.equal(h.emulator.mns.stats(h.reportQueue).deleted, 1, 'and its message was deleted');

    const lateSend = h.sms.sendSms({ phoneNumbers: '13912345679', signName: 'S', templateCode: 'SMS_1' }).catch(() => undefined);
    h.emulator.mns.enqueueJson(h.reportQueue, { phone_number: '1', biz_id: 'x' });
    // Any poller left running would wake from its backoff or pause and take the new messages.
    await h.clock.advance(60_000);
    await settleOnClock(h.clock, lateSend, 'the send after shutdown to give up');
    await sleep(50);
    assert.equal(h.emulator.mns.stats(h.reportQueue).received, 1, 'nothing new was received after shutdown');
    assert.equal(h.emulator.mns.stats().waitingReceives, 0);
    await h.emulator.close();
  });

  it('runs two apps in one process, each on its own queues', async () => {
    const a = await harness();
    const b = await harness();
    await a.sms.sendSms({ phoneNumbers: '13911111111', signName: 'S', templateCode: 'SMS_1' });
    await b.sms.sendSms({ phoneNumbers: '13922222222', signName: 'S', templateCode: 'SMS_1' });
    await until(() => a.handlers.reports.length === 1 && b.handlers.reports.length === 1, 'both reports');
    assert.equal(a.handlers.reports[0].phoneNumber, '13911111111');
    assert.equal(b.handlers.reports[0].phoneNumber, '13922222222');
  });
});
