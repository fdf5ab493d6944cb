// The terminus health indicator (nestjs-alicom-sms/terminus) against the real emulator: it follows
// the receipt listener's long-poll (up, down on MNS errors, down when stopped or not configured)
// and plugs into HealthCheckService. The module and the emulator share a ManualClock: long-polls
// end and receive errors are retried when the test moves it.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { Test, type TestingModule } from '@nestjs/testing';
import { AlicomSmsClock, AlicomSmsModule, SmsReceiptListener, type SmsReceiptListenerHealth } from '../lib/index.js';
import { AlicomSmsHealthIndicator } from '../lib/terminus/index.js';
import { assessReceiptHealth, type ReceiptHealthContext } from '../lib/terminus/receipt-health.assessor.js';
import { AlicomEmulator, ManualClock } from '../lib/testing/index.js';
import { advanceUntil, until } from './support/until.js';

interface Harness {
  clock: ManualClock;
  emulator: AlicomEmulator;
  moduleRef: TestingModule;
  indicator: AlicomSmsHealthIndicator;
  listener: SmsReceiptListener;
}

const open: Harness[] = [];

async function harness(withReceipts = true): Promise<Harness> {
  const clock = new ManualClock();
  const emulator = await AlicomEmulator.start({ clock });
  const moduleRef = await Test.createTestingModule({
    imports: [
      AlicomSmsModule.forRoot({
        ...emulator.credentials,
        endpoints: emulator.endpoints,
        receipts: withReceipts ? { queuePrefix: emulator.queuePrefix, waitSeconds: 30 } : false,
      }),
      TerminusModule,
    ],
    providers: [AlicomSmsHealthIndicator],
  })
    .overrideProvider(AlicomSmsClock)
    .useValue(clock)
    .compile();
  await moduleRef.init();
  const h = { clock, emulator, moduleRef, indicator: moduleRef.get(AlicomSmsHealthIndicator), listener: moduleRef.get(SmsReceiptListener) };
  open.push(h);
  return h;
}

afterEach(async () => {
  for (const h of open.splice(0)) {
    await h.moduleRef.close();
    await h.emulator.close();
  }
});

const everyQueuePolled = (listener: SmsReceiptListener) => () => {
  const { queues } = listener.health();
  return queues.length === 2 && queues.every((q) => q.lastSuccessfulPollAt !== undefined);
};

/** Moves the clock until the first 30 s long-poll of both queues has ended (empty: a successful poll). */
const pollBothQueues = (h: Harness) => advanceUntil(h.clock, everyQueuePolled(h.listener), 'a successful poll on both queues', { stepMs: 5_000 });
const statusOf = async (h: Harness) => (await h.indicator.isHealthy())['alicom-sms'].status;

describe('AlicomSmsHealthIndicator (emulator over HTTP)', () => {
  it('is up while every queue is polled, with the counters in the details', async () => {
    const h = await harness();
    await pollBothQueues(h);

    const result = await h.indicator.isHealthy();
    const entry = result['alicom-sms'];
    assert.equal(entry.status, 'up');
    assert.equal(entry.running, true);
    for (const counter of ['inFlight', 'handled', 'duplicates', 'deleted', 'poisoned', 'handlerFailures']) {
      assert.equal(typeof entry[counter], 'number', counter);
    }
    assert.deepEqual(
      entry.queues.map((q: { queue: string }) => q.queue).sort(),
      [h.emulator.queues.SmsReport, h.emulator.queues.SmsUp].sort(),
    );
    assert.ok(entry.queues.every((q: { lastSuccessfulPollAt?: string }) => typeof q.lastSuccessfulPollAt === 'string'));
  });

  it('uses the key it is given', async () => {
    const h = await harness();
    await pollBothQueues(h);
    const result = await h.indicator.isHealthy('sms-receipts');
    assert.equal(result['sms-receipts'].status, 'up');
  });

  it('goes down with the reason when MNS answers errors, and recovers when it stops', async () => {
    const h = await harness();
    await pollBothQueues(h);

    assert.equal(await statusOf(h), 'up');
    h.emulator.mns.faults.errorRate = 1;
    let down: Record<string, any> | undefined;
    await advanceUntil(
      h.clock,
      async () => {
        const entry = (await h.indicator.isHealthy())['alicom-sms'];
        if (entry.status === 'down') down = entry;
        return down !== undefined;
      },
      'the indicator to report down',
      { stepMs: 1_000 },
    );
    assert.match(down!.message, /consecutive receive errors, last: /);
    assert.ok(down!.queues.some((q: { consecutiveErrors: number }) => q.consecutiveErrors >= 3));

    h.emulator.mns.faults.errorRate = 0;
    await advanceUntil(h.clock, async () => (await statusOf(h)) === 'up', 'the indicator to recover', { stepMs: 5_000 });
  });

  it('honours maxConsecutiveErrors', async () => {
    const h = await harness();
    await pollBothQueues(h);
    h.emulator.mns.faults.errorRate = 1;
    await advanceUntil(h.clock, () => h.listener.health().queues.some((q) => q.consecutiveErrors >= 1), 'a receive error', { stepMs: 1_000 });
    const lenient = (await h.indicator.isHealthy('alicom-sms', { maxConsecutiveErrors: 1000 }))['alicom-sms'];
    assert.equal(lenient.status, 'up');
    const strict = (await h.indicator.isHealthy('alicom-sms', { maxConsecutiveErrors: 1 }))['alicom-sms'];
    assert.equal(strict.status, 'down');
  });

  it('is down when the listener was stopped', async () => {
    const h = await harness();
    await pollBothQueues(h);
    await h.listener.stop();
    const entry = (await h.indicator.isHealthy())['alicom-sms'];
    assert.equal(entry.status, 'down');
    assert.match(entry.message, /not running/);
    assert.equal(entry.running, false);
  });

  it('is down when receipts are not configured', async () => {
    const h = await harness(false);
    const entry = (await h.indicator.isHealthy())['alicom-sms'];
    assert.equal(entry.status, 'down');
    assert.match(entry.message, /receipts are not configured/);
  });

  it('makes HealthCheckService answer 503 with the reason when down', async () => {
    const h = await harness();
    await pollBothQueues(h);
    const healthChecks = h.moduleRef.get(HealthCheckService);
    const ok = await healthChecks.check([() => h.indicator.isHealthy()]);
    assert.equal(ok.status, 'ok');

    await h.listener.stop();
    await assert.rejects(healthChecks.check([() => h.indicator.isHealthy()]), (error: unknown) => {
      assert.ok(error instanceof ServiceUnavailableException);
      const body = error.getResponse() as { status: string; error: Record<string, { status: string; message: string }> };
      assert.equal(body.status, 'error');
      assert.equal(body.error['alicom-sms'].status, 'down');
      assert.match(body.error['alicom-sms'].message, /not running/);
      return true;
    });
  });
});

describe('assessReceiptHealth (poll age)', () => {
  const now = new Date('2026-11-28T10:00:00Z');
  const snapshot = (lastSuccessfulPollAt: Date | undefined, inFlight = 0, startedAt = now): SmsReceiptListenerHealth => ({
    configured: true,
    running: true,
    startedAt,
    waitSeconds: 30,
    maxInFlight: 64,
    inFlight,
    handled: 0,
    duplicates: 0,
    handlerFailures: 0,
    deleted: 0,
    poisoned: 0,
    queues: [{ type: 'SmsReport', queue: 'Alicom-Queue-1-SmsReport', lastSuccessfulPollAt, consecutiveErrors: 0, receivesInProgress: 0 }],
  });
  const context = (overrides: Partial<ReceiptHealthContext> = {}): ReceiptHealthContext => ({
    maxConsecutiveErrors: 3,
    maxPollAgeMs: 90_000,
    now,
    ...overrides,
  });

  it('accepts a poll as old as an open long-poll can be', () => {
    const verdict = assessReceiptHealth(snapshot(new Date(now.getTime() - 60_000)), context());
    assert.deepEqual(verdict, { healthy: true });
  });

  it('reports a queue without a successful poll for too long', () => {
    const verdict = assessReceiptHealth(snapshot(new Date(now.getTime() - 120_000)), context());
    assert.equal(verdict.healthy, false);
    assert.equal(verdict.reason, 'Alicom-Queue-1-SmsReport: no successful poll for 120 s');
  });

  it('hints at stuck handlers when polling paused at maxInFlight', () => {
    const verdict = assessReceiptHealth(snapshot(new Date(now.getTime() - 120_000), 64), context());
    assert.match(verdict.reason ?? '', /polling paused: 64 receipts in flight, handlers may be stuck/);
  });

  it('counts a queue that never answered from when polling started', () => {
    const started = new Date(now.getTime() - 100_000);
    assert.equal(assessReceiptHealth(snapshot(undefined, 0, started), context()).healthy, false);
    assert.equal(assessReceiptHealth(snapshot(undefined), context()).healthy, true);
  });
});

describe('nestjs-alicom-sms/terminus packaging', () => {
  it('keeps @nestjs/terminus (an optional peer) out of every file outside lib/terminus/', () => {
    const lib = fileURLToPath(new URL('../../lib/', import.meta.url));
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) {
          if (name !== 'terminus') walk(path);
        } else if (name.endsWith('.ts') && readFileSync(path, 'utf8').includes("'@nestjs/terminus'")) {
          offenders.push(relative(lib, path));
        }
      }
    };
    walk(lib);
    assert.deepEqual(offenders, []);
  });
});
