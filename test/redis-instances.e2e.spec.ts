// Several app instances in one process, each with its own RedisReceiptStore (its own connection)
// on the real Redis, the same emulator: correlation across instances (also for a report that beats
// the send's answer), waitForReport() answered by another instance's settlement, one sweep per
// pending send deployment-wide, give-up once, and what happens while Redis is down.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Injectable, type LoggerService } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { Redis } from 'ioredis';
import {
  AlicomSmsClock,
  AlicomSmsModule,
  type AlicomSmsModuleOptions,
  CompensationSweeper,
  NO_FINAL_STATUS_ERR_CODE,
  OnSmsReport,
  RedisReceiptStore,
  SmsReceiptListener,
  type SmsReport,
  SmsService,
} from '../lib/index.js';
import { AlicomEmulator, ManualClock } from '../lib/testing/index.js';
import { connectTestRedis, removeKeysOf, uniquePrefix } from './support/redis.js';
import { TestRedisServer } from './support/redis-server.js';
import { until } from './support/until.js';

@Injectable()
class ReportLog {
  reports: SmsReport[] = [];

  @OnSmsReport()
  onReport(report: SmsReport): void {
    this.reports.push(report);
  }
}

interface Instance {
  name: string;
  moduleRef: TestingModule;
  sms: SmsService;
  listener: SmsReceiptListener;
  sweeper: CompensationSweeper;
  log: ReportLog;
  clock?: ManualClock;
  redis: Redis;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function emulator(options: Parameters<typeof AlicomEmulator.start>[0] = {}): Promise<AlicomEmulator> {
  const started = await AlicomEmulator.start(options);
  cleanups.push(() => started.close());
  return started;
}

async function instance(
  name: string,
  emu: AlicomEmulator,
  prefix: string,
  options: { consume?: boolean; clock?: ManualClock; redis?: Redis; module?: Partial<AlicomSmsModuleOptions>; logger?: LoggerService } = {},
): Promise<Instance> {
  const redis = options.redis ?? (await connectTestRedis());
  const store = new RedisReceiptStore({ client: redis, keyPrefix: prefix, commandTimeoutMs: 500 });
  let builder = Test.createTestingModule({
    imports: [
      AlicomSmsModule.forRoot({
        ...emu.credentials,
        endpoints: emu.endpoints,
        receipts: { queuePrefix: emu.queuePrefix, waitSeconds: 1, retryBackoffSeconds: 1, autoStart: options.consume ?? true, types: ['SmsReport'] },
        compensation: { queryAfterMs: 1_000, recheckIntervalMs: 1_000, sweepIntervalMs: 60_000, store },
        maxQueryRetries: 0,
        ...options.module,
      }),
    ],
    providers: [ReportLog],
  });
  if (options.clock) builder = builder.overrideProvider(AlicomSmsClock).useValue(options.clock);
  const moduleRef = await builder.compile();
  if (options.logger) moduleRef.useLogger(options.logger);
  await moduleRef.init();
  cleanups.push(async () => {
    await moduleRef.close();
    redis.disconnect();
  });
  return {
    name,
    moduleRef,
    redis,
    clock: options.clock,
    sms: moduleRef.get(SmsService),
    listener: moduleRef.get(SmsReceiptListener),
    sweeper: moduleRef.get(CompensationSweeper),
    log: moduleRef.get(ReportLog),
  };
}

async function prefixFor(name: string): Promise<string> {
  const prefix = uniquePrefix(name);
  cleanups.push(async () => {
    const redis = await connectTestRedis();
    await removeKeysOf(redis, prefix);
    redis.disconnect();
  });
  return prefix;
}

const send = (sms: SmsService, phone: string, outId?: string) => sms.sendSms({ phoneNumbers: phone, signName: 'S', templateCode: 'SMS_1', outId });

describe('several instances on one Redis', () => {
  it("correlates a report consumed by B with A's send, and A's waitForReport() resolves from B's settlement", async () => {
    const emu = await emulator();
    const prefix = await prefixFor('correlate');
    const a = await instance('A', emu, prefix, { consume: false });
    const b = await instance('B', emu, prefix);
    const { bizId } = await send(a.sms, '13912345678', 'order-7');
    const waited = await a.sms.waitForReport(bizId, '13912345678', { timeoutMs: 10_000 });
    assert.equal(b.log.reports.length, 1, 'B handled it');
    assert.equal(a.log.reports.length, 0, 'A did not');
    assert.equal(b.log.reports[0].sent?.outId, 'order-7', "B correlated it with A's send");
    assert.equal(waited.bizId, bizId);
    assert.equal(waited.sent?.templateCode, 'SMS_1');
    assert.ok(waited.sent?.sentAt instanceof Date && waited.reportTime instanceof Date);
    const again = await a.sms.waitForReport(bizId, '13912345678', { timeoutMs: 1 });
    assert.equal(again.bizId, bizId, 'remembered once seen');
    assert.equal(await new RedisReceiptStore({ client: a.redis, keyPrefix: prefix }).pendingCount(), 0, 'the pending send was settled by B');
  });

  it("postpones a report that reaches B before A's sendSms() has its answer, then correlates it", async () => {
    const emu = await emulator();
    const prefix = await prefixFor('early');
    const a = await instance('A', emu, prefix, { consume: false });
    const b = await instance('B', emu, prefix);
    // B polls already (its queue token is fetched over RPC too, which the latency below would slow).
    await until(() => b.listener.health().queues[0].lastSuccessfulPollAt !== undefined, 'B polling');
    emu.latencyMs = 1_500; // Alibaba answers slowly; the receipt is on the queue at once.
    const sending = send(a.sms, '13912345678', 'early-1');
    await until(() => emu.mns.stats(emu.queues.SmsReport).received >= 1, 'B received the report early');
    assert.equal(b.log.reports.length, 0, 'not delivered while the send is in flight on A');
    const { bizId } = await sending;
    emu.latencyMs = 0;
    await until(() => b.log.reports.length === 1, 'the report handled once A registered the send', 10_000);
    assert.equal(b.log.reports[0].bizId, bizId);
    assert.equal(b.log.reports[0].sent?.outId, 'early-1', 'correlated');
    await emu.mns.whenDrained(emu.queues.SmsReport, 10_000);
    assert.equal(b.log.reports.length, 1);
  });

  it('sweeps on every instance at once without querying a send twice, and back-fills each send once', async () => {
    const emu = await emulator({ reportDropRate: 1 });
    const prefix = await prefixFor('sweep');
    const start = Date.now();
    const clocks = [new ManualClock(start), new ManualClock(start)];
    const a = await instance('A', emu, prefix, { consume: false, clock: clocks[0] });
    const b = await instance('B', emu, prefix, { consume: false, clock: clocks[1] });
    const sent: string[] = [];
    for (let i = 0; i < 12; i++) {
      const phone = `139000000${String(i).padStart(2, '0')}`;
      const { bizId } = await send(i % 2 ? a.sms : b.sms, phone);
      sent.push(`${bizId}/${phone}`);
    }
    const both = async (ms: number) => {
      await Promise.all(clocks.map((c) => c.advance(ms)));
      await Promise.all([a.sweeper.sweep(), b.sweeper.sweep()]);
    };
    await both(1_000);
    const handled = [...a.log.reports, ...b.log.reports];
    assert.deepEqual(handled.map((r) => `${r.bizId}/${r.phoneNumber}`).sort(), sent.sort(), 'every send back-filled once');
    assert.equal(emu.requestCount('QuerySendDetails'), 12, 'no send queried twice');
    for (const report of handled) assert.ok(report.sent, 'correlated');
    await both(60_000);
    assert.equal(a.log.reports.length + b.log.reports.length, 12, 'later sweeps add nothing');
    assert.equal(emu.requestCount('QuerySendDetails'), 12);
  });

  it('gives up once deployment-wide while QuerySendDetails keeps failing', async () => {
    const emu = await emulator({ reportDropRate: 1 });
    const prefix = await prefixFor('give-up');
    const start = Date.now();
    const clocks = [new ManualClock(start), new ManualClock(start)];
    const compensation = (store: RedisReceiptStore) => ({ queryAfterMs: 1_000, recheckIntervalMs: 1_000, sweepIntervalMs: 60_000, giveUpAfterMs: 120_000, store });
    const redisA = await connectTestRedis();
    const redisB = await connectTestRedis();
    const a = await instance('A', emu, prefix, { consume: false, clock: clocks[0], redis: redisA, module: { compensation: compensation(new RedisReceiptStore({ client: redisA, keyPrefix: prefix })) } });
    const b = await instance('B', emu, prefix, { consume: false, clock: clocks[1], redis: redisB, module: { compensation: compensation(new RedisReceiptStore({ client: redisB, keyPrefix: prefix })) } });
    const { bizId } = await send(a.sms, '13912345678');
    emu.failNext('QuerySendDetails', { code: 'isp.SYSTEM_ERROR' }, 1_000);
    for (let elapsed = 0; elapsed <= 180_000; elapsed += 60_000) {
      await Promise.all(clocks.map((c) => c.advance(60_000)));
      await Promise.all([a.sweeper.sweep(), b.sweeper.sweep()]);
    }
    const reports = [...a.log.reports, ...b.log.reports];
    assert.equal(reports.length, 1, 'one give-up report');
    assert.equal(reports[0].bizId, bizId);
    assert.equal(reports[0].errCode, NO_FINAL_STATUS_ERR_CODE);
  });

  it('while Redis is down: receipts stay on the queue, sends still return, health says why, the log says it once; all handled once when it is back', async () => {
    const server = await TestRedisServer.start();
    cleanups.push(() => server.dispose());
    const emu = await emulator();
    const lines: string[] = [];
    const logger: LoggerService = {
      log: (m) => lines.push(`LOG ${m}`),
      error: (m) => lines.push(`ERROR ${m}`),
      warn: (m) => lines.push(`WARN ${m}`),
      debug: () => {},
      verbose: () => {},
    };
    const redis = new Redis(server.url, { maxRetriesPerRequest: null, retryStrategy: () => 100 });
    redis.on('error', () => {});
    const a = await instance('A', emu, 'outage', { redis, logger });

    const before = await send(a.sms, '13900000001');
    await until(() => a.log.reports.length === 1, 'a report while Redis is up');

    await server.stop();
    const during: string[] = [];
    for (let i = 2; i <= 6; i++) during.push((await send(a.sms, `1390000000${i}`)).bizId);
    assert.equal(during.length, 5, 'sendSms() returned every BizId while Redis was down');
    await until(() => a.listener.health().store?.failing === true && (a.listener.health().storeFailures ?? 0) >= 1, 'a receipt left on the queue');
    const health = a.listener.health();
    assert.equal(health.store?.trackingBacklog, 5, 'the five sends wait to be tracked');
    assert.match(health.store?.lastError ?? '', /Receipt store/);
    assert.equal(a.log.reports.length, 1, 'nothing handled while the store is down');
    assert.equal(emu.mns.stats(emu.queues.SmsReport).deleted, 1, 'nothing deleted while the store is down');
    assert.equal(lines.filter((l) => l.includes('Receipt store is failing')).length, 1, 'the log says it once');

    await server.start();
    await until(() => a.log.reports.length === 6, 'every report handled after Redis is back', 20_000);
    await emu.mns.whenDrained(emu.queues.SmsReport, 10_000);
    const keys = a.log.reports.map((r) => r.bizId);
    assert.equal(new Set(keys).size, 6, 'each once');
    assert.deepEqual(keys.slice(1).sort(), during.sort());
    assert.equal(keys[0], before.bizId);
    for (const report of a.log.reports) assert.ok(report.sent, 'correlated: the tracking was retried until Redis was back');
    await until(() => a.listener.health().store?.failing === false, 'health recovered');
    assert.equal(a.listener.health().store?.trackingBacklog, 0);
    assert.equal(lines.filter((l) => l.includes('Receipt store is failing')).length, 1, 'still one line for the whole outage');
    assert.equal(lines.filter((l) => l.includes('Receipt store answers again')).length, 1, 'one line on recovery');
  });
});
