// Compensation and correlation end to end: every tracked send ends with exactly one final report,
// from the queue when it comes, from QuerySendDetails when it doesn't. The module and the emulator
// run on one ManualClock and sweeps are triggered directly.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Injectable, Module } from '@nestjs/common';
import { Interval, ScheduleModule, SchedulerRegistry } from '@nestjs/schedule';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  AlicomSmsClock,
  AlicomSmsModule,
  type AlicomSmsModuleOptions,
  COMPENSATION_SWEEP_JOB,
  CompensationSweeper,
  NO_FINAL_STATUS_ERR_CODE,
  OnSmsReport,
  ReportTimeoutError,
  SmsReceiptListener,
  type SmsReport,
  SmsService,
} from '../lib/index.js';
import { AlicomEmulator, type AlicomEmulatorOptions, ManualClock } from '../lib/testing/index.js';
import { advanceUntil, until } from './support/until.js';

@Injectable()
class ReportLog {
  reports: SmsReport[] = [];
  failuresLeft = new Map<string, number>();

  @OnSmsReport()
  onReport(report: SmsReport): void {
    const key = `${report.bizId}/${report.phoneNumber}`;
    const left = this.failuresLeft.get(key) ?? 0;
    if (left > 0) {
      this.failuresLeft.set(key, left - 1);
      throw new Error(`planned failure for ${key}`);
    }
    this.reports.push(report);
  }
}

const SWEEP_INTERVAL_MS = 60_000;
const COMPENSATION = { queryAfterMs: 1_000, recheckIntervalMs: 1_000, sweepIntervalMs: SWEEP_INTERVAL_MS };

interface App {
  emulator: AlicomEmulator;
  moduleRef: TestingModule;
  clock: ManualClock;
  sms: SmsService;
  sweeper: CompensationSweeper;
  log: ReportLog;
  observed: SmsReport[];
  listener: SmsReceiptListener;
  /** Moves the module's clock and runs the sweep that would have run then. */
  sweepAfter(ms: number): Promise<void>;
}
const open: App[] = [];

async function app(
  options: Partial<AlicomSmsModuleOptions> = {},
  emulatorOptions: AlicomEmulatorOptions = {},
  extraImports: any[] = [],
): Promise<App> {
  const clock = new ManualClock();
  const emulator = await AlicomEmulator.start({ ...emulatorOptions, clock });
  const moduleRef = await Test.createTestingModule({
    imports: [
      ...extraImports,
      AlicomSmsModule.forRoot({
        ...emulator.credentials,
        endpoints: emulator.endpoints,
        receipts: { queuePrefix: emulator.queuePrefix, waitSeconds: 30, retryBackoffSeconds: 1 },
        compensation: COMPENSATION,
        maxQueryRetries: 0,
        ...options,
      }),
    ],
    providers: [ReportLog],
  })
    .overrideProvider(AlicomSmsClock)
    .useValue(clock)
    .compile();
  const listener = moduleRef.get(SmsReceiptListener);
  const observed: SmsReport[] = [];
  listener.reports$.subscribe((r) => observed.push(r));
  await moduleRef.init();
  const sweeper = moduleRef.get(CompensationSweeper);
  const result: App = {
    emulator,
    moduleRef,
    clock,
    sms: moduleRef.get(SmsService),
    sweeper,
    log: moduleRef.get(ReportLog),
    observed,
    listener,
    async sweepAfter(ms) {
      await clock.advance(ms);
      await sweeper.sweep();
    },
  };
  open.push(result);
  return result;
}

afterEach(async () => {
  for (const a of open.splice(0)) {
    await a.moduleRef.close();
    await a.emulator.close();
  }
});

const keyOf = (r: { bizId: string; phoneNumber: string }) => `${r.bizId}/${r.phoneNumber}`;

describe('compensation: exactly one final report per send', () => {
  it('back-fills every report from QuerySendDetails when the queue loses all of them', async () => {
    const a = await app({}, { reportDropRate: 1, delivery: (r) => ({ success: !r.phoneNumber.endsWith('9') }) });
    const sent = new Map<string, string>();
    for (const phone of ['13900000001', '13900000009']) {
      const { bizId } = await a.sms.sendSms({ phoneNumbers: phone, signName: '示例签名', templateCode: 'SMS_7', outId: `o-${phone}` });
      sent.set(`${bizId}/${phone}`, `o-${phone}`);
    }
    const batch = await a.sms.sendBatchSms({ phoneNumbers: ['13900000002', '13900000003'], signNames: ['甲', '乙'], templateCode: 'SMS_8' });
    sent.set(`${batch.bizId}/13900000002`, '');
    sent.set(`${batch.bizId}/13900000003`, '');

    await a.sweepAfter(500);
    assert.equal(a.log.reports.length, 0, 'nothing is queried before queryAfterMs');
    await a.sweepAfter(500);
    assert.equal(a.log.reports.length, sent.size, 'a report for every send');
    await a.sweepAfter(SWEEP_INTERVAL_MS);
    await a.sweepAfter(SWEEP_INTERVAL_MS);
    assert.equal(a.log.reports.length, sent.size, 'later sweeps add nothing');
    assert.equal(a.observed.length, sent.size);
    assert.deepEqual(a.log.reports.map(keyOf).sort(), [...sent.keys()].sort());
    for (const report of a.log.reports) {
      assert.equal(report.source, 'query');
      assert.ok(report.sent, 'correlated with its send');
      assert.equal(report.success, !report.phoneNumber.endsWith('9'));
      assert.equal(report.sent.templateCode, report.bizId === batch.bizId ? 'SMS_8' : 'SMS_7');
      if (report.bizId === batch.bizId) assert.equal(report.sent.signName, report.phoneNumber.endsWith('2') ? '甲' : '乙');
      else assert.equal(report.outId, `o-${report.phoneNumber}`);
    }
    assert.equal(a.emulator.mns.stats(a.emulator.queues.SmsReport).enqueued, 0, 'the queue really lost them');
  });

  it('dispatches once despite duplicated and redelivered receipts, and still deletes the duplicates', async () => {
    const a = await app({}, { reportDuplicateRate: 1 });
    const keys: string[] = [];
    for (let i = 0; i < 4; i++) {
      const phone = `1380000000${i}`;
      const { bizId } = await a.sms.sendSms({ phoneNumbers: phone, signName: 'S', templateCode: 'SMS_1' });
      keys.push(`${bizId}/${phone}`);
      a.log.failuresLeft.set(`${bizId}/${phone}`, 1); // each one fails once and is redelivered
    }
    // Each failure makes its receipt visible again a second later on the clock.
    const left = () => {
      const stats = a.emulator.mns.stats(a.emulator.queues.SmsReport);
      return stats.visible + stats.inFlight + stats.delayed;
    };
    await advanceUntil(a.clock, () => a.log.reports.length === 4 && left() === 0, 'four reports, every message deleted');
    await a.emulator.mns.whenDrained(a.emulator.queues.SmsReport, 15_000);
    assert.deepEqual(a.log.reports.map(keyOf).sort(), keys.sort());
    assert.equal(a.observed.length, 4);
    const stats = a.emulator.mns.stats(a.emulator.queues.SmsReport);
    assert.equal(stats.enqueued, 8, 'every report was enqueued twice');
    assert.equal(stats.deleted, 8, 'duplicates are acknowledged too');
    assert.equal(a.listener.health().duplicates, 4);
    for (const report of a.log.reports) assert.equal(report.source, 'mns');
  });

  it('ignores a queue report that arrives after the back-fill', async () => {
    const a = await app({}, { reportQueueDelayMs: 5_000 });
    const { bizId } = await a.sms.sendSms({ phoneNumbers: '13912345678', signName: 'S', templateCode: 'SMS_1' });
    await a.sweepAfter(1_000);
    const report = await a.sms.waitForReport(bizId, '+86 139 1234 5678', { timeoutMs: 1 });
    assert.equal(report.source, 'query');
    assert.equal(a.emulator.mns.stats(a.emulator.queues.SmsReport).delayed, 1, 'the report is still on its way to the queue');
    await a.clock.advance(4_000);
    await until(() => a.emulator.mns.stats(a.emulator.queues.SmsReport).deleted === 1, 'the late report consumed');
    await a.emulator.mns.whenDrained(a.emulator.queues.SmsReport, 15_000);
    assert.equal(a.emulator.mns.stats(a.emulator.queues.SmsReport).deleted, 1, 'the late report was consumed');
    assert.equal(a.log.reports.length, 1, 'and not dispatched again');
    assert.equal(a.observed.length, 1);
    assert.equal(a.listener.health().duplicates, 1);
  });

  it('waitForReport resolves from the queue, from memory after the fact, and times out by the clock', async () => {
    const a = await app({ compensation: false }, {});
    // Alibaba's answer is slow: the receipt is received before sendSms() returns.
    await until(() => a.emulator.mns.stats(a.emulator.queues.SmsReport).waitingReceives > 0, 'a poller waiting on the report queue');
    a.emulator.latencyMs = 300;
    let answered = false;
    const sending = a.sms.sendSms({ phoneNumbers: '13912345678', signName: 'S', templateCode: 'SMS_1', outId: 'w-1' }).finally(() => (answered = true));
    await until(() => a.emulator.mns.stats(a.emulator.queues.SmsReport).received === 1, 'the receipt received early');
    assert.equal(answered, false, 'the receipt was received before the send was answered');
    const { bizId } = await sending;
    a.emulator.latencyMs = 0;
    const report = await a.sms.waitForReport(bizId, '13912345678', { timeoutMs: 10_000 });
    assert.equal(report.source, 'mns');
    assert.equal(report.sent?.outId, 'w-1', 'correlated even when the receipt beat the send response');
    const again = await a.sms.waitForReport(bizId, '13912345678', { timeoutMs: 1 });
    assert.equal(again, report, 'a finished report is remembered');

    a.emulator.reportDropRate = 1;
    const lost = await a.sms.sendSms({ phoneNumbers: '13912345679', signName: 'S', templateCode: 'SMS_1' });
    let settled = false;
    const timedOut = assert
      .rejects(a.sms.waitForReport(lost.bizId, '13912345679', { timeoutMs: 60_000 }), (error: unknown) => {
        assert.ok(error instanceof ReportTimeoutError);
        assert.equal(error.code, 'ReportTimeout');
        assert.equal(error.resendSafe, false);
        return true;
      })
      .finally(() => (settled = true));
    await a.clock.advance(59_999);
    assert.equal(settled, false, 'still waiting 1 ms before the timeout');
    await a.clock.advance(1);
    await timedOut;
  });

  it('ends a send that never gets a final status with a NO_FINAL_STATUS report at giveUpAfterMs', async () => {
    const a = await app({ compensation: { ...COMPENSATION, giveUpAfterMs: 3_000 } }, { reportDelayMs: 600_000 });
    const { bizId } = await a.sms.sendSms({ phoneNumbers: '13912345678', signName: 'S', templateCode: 'SMS_1' });
    await a.sweepAfter(1_000);
    await a.sweepAfter(1_000);
    assert.equal(a.log.reports.length, 0, "still 'waiting'");
    await a.sweepAfter(1_000);
    const report = await a.sms.waitForReport(bizId, '13912345678', { timeoutMs: 1 });
    assert.equal(report.errCode, NO_FINAL_STATUS_ERR_CODE);
    assert.equal(report.success, false);
    assert.equal(report.source, 'query');
    assert.equal(a.log.reports.length, 1);
  });

  it('a QuerySendDetails outage delays a back-fill by no more than the outage plus one sweep interval', async () => {
    const sweepIntervalMs = 1_000;
    const a = await app({ compensation: { ...COMPENSATION, sweepIntervalMs, recheckIntervalMs: 1_000 } }, { reportDropRate: 1 });
    const { bizId } = await a.sms.sendSms({ phoneNumbers: '13912345678', signName: 'S', templateCode: 'SMS_1' });
    const sentAt = a.clock.now();
    const outageEndsAt = sentAt + 1_000 + 6_000;
    let failedSweeps = 0;
    while (a.clock.now() + sweepIntervalMs < outageEndsAt) {
      // The one query each sweep makes fails: a 6 s outage.
      a.emulator.failNext('QuerySendDetails', { code: 'ServiceUnavailable', httpStatus: 503 });
      await a.sweepAfter(sweepIntervalMs);
      failedSweeps++;
    }
    await a.clock.advance(outageEndsAt - a.clock.now());
    assert.equal(a.emulator.requestCount('QuerySendDetails'), failedSweeps, 'every sweep of the outage queried and failed');
    assert.equal(a.log.reports.length, 0, 'nothing while QuerySendDetails fails');
    while (a.log.reports.length === 0 && a.clock.now() < outageEndsAt + 10 * sweepIntervalMs) await a.sweepAfter(sweepIntervalMs);
    assert.equal(a.log.reports[0]?.bizId, bizId);
    assert.ok(a.clock.now() - outageEndsAt <= sweepIntervalMs, `back-filled ${a.clock.now() - outageEndsAt} ms after the outage`);
  });

  it('failed sweeps are not checks: after an outage a send still waiting is checked again one recheck interval later', async () => {
    const sweepIntervalMs = 1_000;
    const a = await app({ compensation: { ...COMPENSATION, sweepIntervalMs, recheckIntervalMs: 1_000 } }, { reportDelayMs: 600_000 });
    await a.sms.sendSms({ phoneNumbers: '13912345678', signName: 'S', templateCode: 'SMS_1' });
    for (let i = 0; i < 6; i++) {
      a.emulator.failNext('QuerySendDetails', { code: 'Throttling.User', httpStatus: 400 });
      await a.sweepAfter(sweepIntervalMs);
    }
    assert.equal(a.emulator.requestCount('QuerySendDetails'), 6);
    await a.sweepAfter(sweepIntervalMs); // answers 'waiting': the first check
    assert.equal(a.emulator.requestCount('QuerySendDetails'), 7);
    await a.sweepAfter(sweepIntervalMs); // recheckIntervalMs * 2^0 later
    assert.equal(a.emulator.requestCount('QuerySendDetails'), 8, 'rechecked after 1 s, not after 2^6 s');
    await a.sweepAfter(sweepIntervalMs); // the second check doubles the interval: not yet
    assert.equal(a.emulator.requestCount('QuerySendDetails'), 8);
    await a.sweepAfter(sweepIntervalMs);
    assert.equal(a.emulator.requestCount('QuerySendDetails'), 9);
  });

  it('gives up on time while every QuerySendDetails fails', async () => {
    const sweepIntervalMs = 1_000;
    const giveUpAfterMs = 10_000;
    const a = await app({ compensation: { ...COMPENSATION, sweepIntervalMs, giveUpAfterMs } }, { reportDropRate: 1 });
    a.emulator.failNext('QuerySendDetails', { code: 'isp.RAM_PERMISSION_DENY', message: 'no permission' }, Number.MAX_SAFE_INTEGER);
    const { bizId } = await a.sms.sendSms({ phoneNumbers: '13912345678', signName: 'S', templateCode: 'SMS_1' });
    const sentAt = a.clock.now();
    while (a.log.reports.length === 0 && a.clock.now() < sentAt + 3 * giveUpAfterMs) await a.sweepAfter(sweepIntervalMs);
    const [report] = a.log.reports;
    assert.equal(report?.bizId, bizId);
    assert.equal(report.errCode, NO_FINAL_STATUS_ERR_CODE);
    assert.match(report.errMsg, /QuerySendDetails failing: isp\.RAM_PERMISSION_DENY/);
    const late = a.clock.now() - (sentAt + giveUpAfterMs);
    assert.ok(late >= 0 && late <= sweepIntervalMs, `gave up ${late} ms after giveUpAfterMs`);
  });
});

describe('compensation schedule', () => {
  it('runs the sweep on a timer of its own when the app has no ScheduleModule', async () => {
    const a = await app({ compensation: { ...COMPENSATION, sweepIntervalMs: 1_000 } }, { reportDropRate: 1 });
    assert.throws(() => a.moduleRef.get(SchedulerRegistry), 'the library brings no SchedulerRegistry of its own');
    const { bizId } = await a.sms.sendSms({ phoneNumbers: '13912345678', signName: 'S', templateCode: 'SMS_1' });
    await a.clock.advance(1_000);
    await until(() => a.log.reports.length === 1, 'a back-fill by the scheduled sweep');
    assert.equal(a.log.reports[0].bizId, bizId);
  });

  for (const order of ['before', 'after'] as const) {
    it(`joins the app's own SchedulerRegistry, beside the app's own jobs, when ScheduleModule.forRoot() is imported ${order} it`, async () => {
      @Injectable()
      class AppJobs {
        ticks = 0;
        constructor(readonly registry: SchedulerRegistry) {}

        @Interval('user-ticker', 60_000)
        tick(): void {
          this.ticks++;
        }
      }
      @Module({ imports: [ScheduleModule.forRoot()], providers: [AppJobs], exports: [AppJobs] })
      class JobsModule {}
      const emulator = await AlicomEmulator.start();
      const sms = AlicomSmsModule.forRoot({ ...emulator.credentials, endpoints: emulator.endpoints, compensation: COMPENSATION });
      const moduleRef = await Test.createTestingModule({ imports: order === 'before' ? [JobsModule, sms] : [sms, JobsModule] }).compile();
      await moduleRef.init();
      try {
        const registry = moduleRef.get(AppJobs).registry;
        assert.deepEqual([...registry.getIntervals()].sort(), [COMPENSATION_SWEEP_JOB, 'user-ticker'].sort());
        registry.deleteInterval(COMPENSATION_SWEEP_JOB); // stoppable from the app
        assert.deepEqual(registry.getIntervals(), ['user-ticker']);
      } finally {
        await moduleRef.close();
        await emulator.close();
      }
    });
  }
});
