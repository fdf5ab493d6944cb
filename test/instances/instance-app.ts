// One app instance of the multi-process tests: a Nest application with AlicomSmsModule on a
// RedisReceiptStore, consuming the emulator's report queue. Every handler invocation appends one
// line to this run's journal before it returns, so the test can count invocations across processes
// and tell whether a killed process had finished a handler. Driven over IPC by harness.ts.
import 'reflect-metadata';
import { appendFileSync } from 'node:fs';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Cluster, Redis } from 'ioredis';
import { AlicomSmsModule, OnSmsReport, RedisReceiptStore, type SmsReport, SmsService } from '../../lib/index.js';
import { instanceConnectionName } from './connection-name.js';

/** What the harness hands an instance (env INSTANCE_CONFIG, JSON). */
export interface InstanceConfig {
  name: string;
  run: number;
  journal: string;
  emulator: { credentials: { accessKeyId: string; accessKeySecret: string }; endpoints: Record<string, string>; queuePrefix: string };
  redis: { url: string } | { cluster: Array<{ host: string; port: number }> };
  keyPrefix: string;
  claimLeaseMs: number;
}

/** One line of a journal. */
export interface JournalLine {
  name: string;
  run: number;
  bizId: string;
  phoneNumber: string;
  source: SmsReport['source'];
  errCode: string;
  sent: boolean;
  at: number;
}

/** IPC from the harness. */
export type InstanceCommand =
  | { id: number; cmd: 'send'; phones: string[] }
  | { id: number; cmd: 'wait'; bizId: string; phoneNumber: string };

const config = JSON.parse(process.env.INSTANCE_CONFIG as string) as InstanceConfig;

@Injectable()
class ReportJournal {
  @OnSmsReport()
  onReport(report: SmsReport): void {
    const line: JournalLine = {
      name: config.name,
      run: config.run,
      bizId: report.bizId,
      phoneNumber: report.phoneNumber,
      source: report.source,
      errCode: report.errCode,
      sent: report.sent !== undefined,
      at: Date.now(),
    };
    appendFileSync(config.journal, JSON.stringify(line) + '\n');
  }
}

// Named, so the test can tell when Redis has closed (and so read to the end) this run's connections.
const connectionName = instanceConnectionName(config);
const redis =
  'url' in config.redis
    ? new Redis(config.redis.url, { maxRetriesPerRequest: null, connectionName })
    : new Cluster(config.redis.cluster, { redisOptions: { maxRetriesPerRequest: null, connectionName } });
redis.on('error', () => {
  // ioredis reconnects by itself; the module reports store outages.
});
const store = new RedisReceiptStore({ client: redis, keyPrefix: config.keyPrefix, claimLeaseMs: config.claimLeaseMs, commandTimeoutMs: 1_000 });

@Module({
  imports: [
    AlicomSmsModule.forRoot({
      ...config.emulator.credentials,
      endpoints: config.emulator.endpoints,
      maxQueryRetries: 0,
      receipts: { queuePrefix: config.emulator.queuePrefix, types: ['SmsReport'], waitSeconds: 1, retryBackoffSeconds: 1, maxRetryBackoffSeconds: 2 },
      compensation: { queryAfterMs: 1_000, recheckIntervalMs: 1_000, sweepIntervalMs: 1_000, queryRatePerSecond: 200, store },
    }),
  ],
  providers: [ReportJournal],
})
class InstanceModule {}

const app = await NestFactory.createApplicationContext(InstanceModule, { logger: ['error', 'warn', 'log'] });
await app.init();
const sms = app.get(SmsService);

const sendsUnderWay = new Set<Promise<unknown>>();
let stopping = false;

function reply(id: number, result: unknown, error?: unknown): void {
  process.send?.({ id, result, error: error === undefined ? undefined : String((error as Error)?.message ?? error) });
}

process.on('message', (command: InstanceCommand) => {
  if (stopping) return reply(command.id, undefined, 'stopping');
  let work: Promise<unknown>;
  if (command.cmd === 'send') {
    work = Promise.all(
      command.phones.map(async (phoneNumber) => {
        const { bizId } = await sms.sendSms({ phoneNumbers: phoneNumber, signName: 'Instances', templateCode: 'SMS_1' });
        return { bizId, phoneNumber };
      }),
    );
  } else {
    const startedAt = Date.now();
    work = sms.waitForReport(command.bizId, command.phoneNumber, { timeoutMs: 60_000 }).then((report) => ({ startedAt, resolvedAt: Date.now(), source: report.source }));
  }
  if (command.cmd === 'send') {
    sendsUnderWay.add(work);
    void work.finally(() => sendsUnderWay.delete(work)).catch(() => {});
  }
  work.then(
    (result) => reply(command.id, result),
    (error: unknown) => reply(command.id, undefined, error),
  );
});

// A graceful stop: no new commands, the sends under way finish (and are tracked), then the app
// closes (polling stops, handlers in flight finish and are settled and deleted).
process.once('SIGTERM', async () => {
  stopping = true;
  await Promise.allSettled([...sendsUnderWay]);
  await app.close();
  redis.disconnect();
  process.exit(0);
});

process.send?.({ ready: true });
