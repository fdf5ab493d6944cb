// Compensation and correlation end to end: every tracked send ends with exactly one final report,
// from the queue when it comes, from QuerySendDetails when it doesn't.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Injectable, Module } from '@nestjs/common';
import { ScheduleModule, SchedulerRegistry } from '@nestjs/schedule';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  AlicomSmsError,
  AlicomSmsModule,
  type AlicomSmsModuleOptions,
  COMPENSATION_SWEEP_JOB,
  NO_FINAL_STATUS_ERR_CODE,
  OnSmsReport,
  SmsReceiptListener,
  type SmsReport,
  SmsService,
} from '../lib/index.js';
import { until } from './support/until.js';
import { AlicomEmulator, type AlicomEmulatorOptions } from '../lib/testing/index.js';

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

const FAST_COMPENSATION = { queryAfterMs: 1_000, recheckIntervalMs: 1_000, sweepIntervalMs: 1_000 };

interface App {
  emulator: AlicomEmulator;
  moduleRef: TestingModule;
  sms: SmsService;
  log: ReportLog;
  observed: SmsReport[];
  listener: SmsReceiptListener;
}
const open: App[] = [];

async function app(
  options: Partial<AlicomSmsModuleOptions> = {},
  emulatorOptions: AlicomEmulatorOptions = {},
  extraImports: any[] = [],
): Promise<App> {
  const emulator = await AlicomEmulator.start(emulatorOptions);
  const moduleRef = await Test.createTestingModule({
    imports: [
      ...extraImports,
      AlicomSmsModule.forRoot({
        ...emulator.credentials,
        endpoints: emulator.endpoints,
        receipts: { queuePrefix: emulator.queuePrefix, waitSeconds: 2, retryBackoffSeconds: 1 },
        compensation: FAST_COMPENSATION,
        ...options,
      }),
    ],
    providers: [ReportLog],
  }).compile();
  const listener = moduleRef.get(SmsReceiptListener);
  const observed: SmsReport[] = [];
  listener.reports$.subscribe((r) => observed.push(r));
  await moduleRef.init();
  const result = { emulator, moduleRef, sms: moduleRef.get(SmsService), log: moduleRef.get(ReportLog), observed, listener };
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

    await until(() => a.log.reports.length === sent.size, 'a report for every send');
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // two more sweeps: nothing more may come
    assert.equal(a.log.reports.length, sent.size);
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
    await until(() => a.log.reports.length === 4, 'four reports');
    await a.emulator.mns.whenDrained(a.emulator.queues.SmsReport, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.deepEqual(a.log.reports.map(keyOf).sort(), keys.sort());
    assert.equal(a.observed.length, 4);
    const stats = a.emulator.mns.stats(a.emulator.queues.SmsReport);
    assert.equal(stats.enqueued, 8, 'every report was enqueued twice');
    assert.equal(stats.deleted, 8, 'duplicates are acknowledged too');
    assert.ok(a.listener.health().duplicates >= 4);
    for (const report of a.log.reports) assert.equal(report.source, 'mns');
  });

  it('ignores a queue report that arrives after the back-fill', async () => {
    const a = await app({}, { reportQueueDelayMs: 4_000 });
    const { bizId } = await a.sms.sendSms({ phoneNumbers: '13912345678', signName: 'S', templateCode: 'SMS_1' });
    const report = await a.sms.waitForReport(bizId, '+86 139 1234 5678', { timeoutMs: 10_000 });
    assert.equal(report.source, 'query');
    await a.emulator.mns.whenDrained(a.emulator.queues.SmsReport, 15_000);
    assert.equal(a.emulator.mns.stats(a.emulator.queues.SmsReport).deleted, 1, 'the late report was consumed');
    assert.equal(a.log.reports.length, 1, 'and not dispatched again');
    assert.equal(a.observed.length, 1);
  });

  it('waitForReport resolves from the queue, from memory after the fact, and times out cleanly', async () => {
    const a = await app({ compensation: false }, {});
    await until(() => a.listener.health().queues.every((q) => q.lastSuccessfulPollAt !== undefined || a.emulator.mns.stats(q.queue).waitingReceives > 0), 'pollers running');
    // Alibaba's answer is slow: the receipt is received before sendSms() returns.
    a.emulator.latencyMs = 1_000;
    const sending = a.sms.sendSms({ phoneNumbers: '13912345678', signName: 'S', templateCode: 'SMS_1', outId: 'w-1' });
    await until(() => a.emulator.mns.stats(a.emulator.queues.SmsReport).received === 1, 'the receipt received early');
    const { bizId } = await sending;
    a.emulator.latencyMs = 0;
    const report = await a.sms.waitForReport(bizId, '13912345678', { timeoutMs: 10_000 });
    assert.equal(report.source, 'mns');
    assert.equal(report.sent?.outId, 'w-1', 'correlated even when the receipt beat the send response');
    const again = await a.sms.waitForReport(bizId, '13912345678', { timeoutMs: 1 });
    assert.equal(again, report, 'a finished report is remembered');

    a.emulator.reportDropRate = 1;
    const lost = await a.sms.sendSms({ phoneNumbers: '13912345679', signName: 'S', templateCode: 'SMS_1' });
    await assert.rejects(a.sms.waitForReport(lost.bizId, '13912345679', { timeoutMs: 300 }), (error: unknown) => {
      assert.ok(error instanceof AlicomSmsError);
      assert.equal(error.code, 'ReportTimeout');
      assert.equal(error.resendSafe, false);
      return true;
    });
  });

  it('ends a send that never gets a final status with a NO_FINAL_STATUS report', async () => {
    const a = await app({ compensation: { ...FAST_COMPENSATION, giveUpAfterMs: 2_500 } }, { reportDelayMs: 600_000 });
    const { bizId } = await a.sms.sendSms({ phoneNumbers: '13912345678', signName: 'S', templateCode: 'SMS_1' });
    const report = await a.sms.waitForReport(bizId, '13912345678', { timeoutMs: 15_000 });
    assert.equal(report.errCode, NO_FINAL_STATUS_ERR_CODE);
    assert.equal(report.success, false);
    assert.equal(report.source, 'query');
    assert.equal(a.log.reports.length, 1);
  });

  it('registers the sweep in SchedulerRegistry and removes it on shutdown (no ScheduleModule in the app)', async () => {
    const a = await app();
    const registry = a.moduleRef.get(SchedulerRegistry);
    assert.ok(registry.getIntervals().includes(COMPENSATION_SWEEP_JOB));
    open.splice(open.indexOf(a), 1);
    await a.moduleRef.close();
    assert.ok(!registry.getIntervals().includes(COMPENSATION_SWEEP_JOB));
    await a.emulator.close();
  });

  it("uses the app's own SchedulerRegistry when the app imports ScheduleModule.forRoot()", async () => {
    @Injectable()
    class AppJobs {
      constructor(readonly registry: SchedulerRegistry) {}
    }
    @Module({ providers: [AppJobs], exports: [AppJobs] })
    class JobsModule {}
    const a = await app({}, {}, [ScheduleModule.forRoot(), JobsModule]);
    const appRegistry = a.moduleRef.get(AppJobs).registry;
    assert.ok(appRegistry.getIntervals().includes(COMPENSATION_SWEEP_JOB));
    appRegistry.deleteInterval(COMPENSATION_SWEEP_JOB); // stoppable from the app
    assert.ok(!appRegistry.getIntervals().includes(COMPENSATION_SWEEP_JOB));
  });
});
