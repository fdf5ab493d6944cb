// The multi-process scenario of issue 11's "Done means": three app processes, one emulator (in this
// process) dropping 30 % and duplicating 5 % of the reports, one Redis; sends spread over the
// processes while some are killed or restarted (or while Redis is down), then the handler journals
// are counted.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { AlicomEmulator } from '../../lib/testing/index.js';
import { LatencyProxy } from '../support/latency-proxy.js';
import { uniquePrefix } from '../support/redis.js';
import { InstancesHarness, type InstanceProcess } from './harness.js';
import { instanceConnectionName } from './connection-name.js';
import type { InstanceConfig, JournalLine } from './instance-app.js';

export type ScenarioEvent =
  | { at: number; kind: 'kill'; name: string }
  | { at: number; kind: 'restart'; name: string }
  | { at: number; kind: 'redis-down'; ms: number; stop: () => Promise<void>; start: () => Promise<void> };

export interface ScenarioOptions {
  title: string;
  sends: number;
  redis: InstanceConfig['redis'];
  events: ScenarioEvent[];
  /** Sends per IPC command, and commands under way at once. */
  chunk?: number;
  parallel?: number;
  /** Ask for `waitForReport()` on another process for every n-th acknowledged send. */
  waitEvery?: number;
  /** Assert `report.sent` on every report of an acknowledged send. */
  expectCorrelation?: boolean;
  /** The app processes reach Redis through a relay adding this delay each way (a Redis across a network). */
  redisLatencyMs?: number;
}

export interface ScenarioResult {
  acknowledged: number;
  unacknowledged: number;
  journalLines: number;
  /** Receipts whose handlers had finished in a killed process without their settlement written. */
  finishedUnsettledAtKill: string[];
  secondInvocations: string[];
  uncorrelated: number;
  waits: Array<{ waiter: string; consumer: string; lagMs: number }>;
  bySource: Record<string, number>;
  elapsedMs: number;
}

const INSTANCES = ['P0', 'P1', 'P2'];
const keyOf = (r: { bizId: string; phoneNumber: string }) => `${r.bizId}/${r.phoneNumber}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Resolves once Redis lists no connection named `name`: Redis reads a connection to its end
 * before closing it, so whatever that (killed) process sent has then been applied — also through
 * the latency relay, which closes its side only after passing everything on.
 */
async function connectionsClosed(redis: Redis | Cluster, name: string): Promise<void> {
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  for (;;) {
    const lists = await Promise.all(nodes.map((node) => node.client('LIST') as Promise<string>));
    if (!lists.some((list) => list.split('\n').some((line) => line.includes(` name=${name} `)))) return;
    await sleep(20);
  }
}

export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const startedAt = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'alicom-instances-'));
  const emulator = await AlicomEmulator.start({ reportDropRate: 0.3, reportDuplicateRate: 0.05, mns: { visibilityTimeoutSeconds: 5 } });
  // Alibaba answers after a while, so reports often reach another process before the sender has its BizId.
  emulator.latencyMs = 20;
  const keyPrefix = uniquePrefix('instances');
  const redis = 'url' in options.redis ? new Redis(options.redis.url, { maxRetriesPerRequest: null }) : new Cluster(options.redis.cluster);
  redis.on('error', () => {});
  let proxy: LatencyProxy | undefined;
  let appRedis = options.redis;
  if (options.redisLatencyMs && 'url' in options.redis) {
    const target = new URL(options.redis.url);
    proxy = await LatencyProxy.start({ host: target.hostname, port: Number(target.port || 6379) }, options.redisLatencyMs);
    appRedis = { url: proxy.url };
  }
  const harness = new InstancesHarness({ dir, emulator, redis: appRedis, keyPrefix, claimLeaseMs: 3_000 });
  const live = new Map<string, InstanceProcess>();
  try {
    for (const name of INSTANCES) live.set(name, await harness.start(name));

    const chunk = options.chunk ?? 10;
    const acked: Array<{ bizId: string; phoneNumber: string; sender: string }> = [];
    const lostPhones: string[] = [];
    const waitsUnderWay: Array<Promise<ScenarioResult['waits'][number] | undefined>> = [];
    const finishedUnsettledAtKill: string[] = [];
    let nextPhone = 0;
    let roundRobin = 0;

    const pick = (exclude?: string): InstanceProcess | undefined => {
      const names = [...live.keys()].filter((n) => n !== exclude);
      return names.length === 0 ? undefined : live.get(names[roundRobin++ % names.length]);
    };

    const pump = async () => {
      while (nextPhone < options.sends) {
        const phones: string[] = [];
        while (phones.length < chunk && nextPhone < options.sends) phones.push(`139${String(nextPhone++).padStart(8, '0')}`);
        const sender = pick();
        if (!sender) {
          lostPhones.push(...phones);
          continue;
        }
        try {
          for (const sent of await sender.send(phones)) {
            acked.push({ ...sent, sender: sender.name });
            if (options.waitEvery && acked.length % options.waitEvery === 0) waitsUnderWay.push(waitElsewhere(sent, sender.name));
          }
        } catch {
          // The process died (or is stopping) with these under way: not acknowledged.
          lostPhones.push(...phones);
        }
        await sleep(5);
      }
    };

    // waitForReport() on a process other than the sender (the consumer is any of the three).
    const waitElsewhere = async (sent: { bizId: string; phoneNumber: string }, sender: string) => {
      const waiter = pick(sender);
      if (!waiter) return undefined;
      try {
        const waited = await waiter.waitForReport(sent.bizId, sent.phoneNumber);
        const consumed = harness.journal().find((line) => keyOf(line) === keyOf(sent)) as JournalLine;
        return { waiter: waiter.name, consumer: consumed.name, lagMs: waited.resolvedAt - Math.max(waited.startedAt, consumed.at) };
      } catch {
        return undefined; // the waiting process was stopped meanwhile
      }
    };

    const runEvents = async () => {
      for (const event of [...options.events].sort((a, b) => a.at - b.at)) {
        while (acked.length < event.at) await sleep(20);
        if (event.kind === 'kill') {
          const victim = live.get(event.name) as InstanceProcess;
          live.delete(event.name);
          await victim.stop('SIGKILL');
          await connectionsClosed(redis, instanceConnectionName(victim));
          for (const line of harness.journalOf(victim.name, victim.run)) {
            const settled = await redis.exists(`{${keyPrefix}}:d:report:${line.bizId}:${line.phoneNumber}`);
            if (settled === 0) finishedUnsettledAtKill.push(keyOf(line));
          }
          live.set(event.name, await harness.start(event.name));
        } else if (event.kind === 'restart') {
          const stopping = live.get(event.name) as InstanceProcess;
          live.delete(event.name);
          await stopping.stop('SIGTERM');
          live.set(event.name, await harness.start(event.name));
        } else {
          await event.stop();
          await sleep(event.ms);
          await event.start();
        }
      }
    };

    await Promise.all([...Array.from({ length: options.parallel ?? 4 }, pump), runEvents()]);

    // Every acknowledged send ends with its final report (queue or back-fill).
    const deadline = Date.now() + 180_000;
    for (;;) {
      const seen = new Set(harness.journal().map(keyOf));
      const missing = acked.filter((a) => !seen.has(keyOf(a)));
      if (missing.length === 0) break;
      if (Date.now() > deadline) assert.fail(`${missing.length} acknowledged sends without a final report, e.g. ${missing.slice(0, 3).map(keyOf).join(', ')} (journals in ${dir})`);
      await sleep(50);
    }
    const waits = (await Promise.all(waitsUnderWay)).filter((w) => w !== undefined);
    // Late copies (duplicated reports, redeliveries) come from the queue: once it holds nothing
    // visible, in flight or delayed, every copy has been received, handled or not, and deleted.
    await emulator.mns.whenDrained(emulator.queues.SmsReport, 120_000);

    const journal = harness.journal();
    const invocations = new Map<string, JournalLine[]>();
    for (const line of journal) invocations.set(keyOf(line), [...(invocations.get(keyOf(line)) ?? []), line]);
    const ackedKeys = new Set(acked.map(keyOf));
    for (const key of ackedKeys) {
      const count = invocations.get(key)?.length ?? 0;
      assert.ok(count === 1 || (count === 2 && finishedUnsettledAtKill.includes(key)), `${key}: ${count} handler invocations`);
    }
    const secondInvocations = [...invocations].filter(([, lines]) => lines.length > 1).map(([key]) => key);
    assert.deepEqual(secondInvocations.sort(), [...finishedUnsettledAtKill].sort(), 'the only receipts handled twice are those finished but unsettled when the SIGKILL hit');
    const uncorrelated = journal.filter((line) => ackedKeys.has(keyOf(line)) && !line.sent).length;
    if (options.expectCorrelation) assert.equal(uncorrelated, 0, 'report.sent on every report of a tracked send');
    for (const wait of waits) assert.ok(wait.lagMs < 1_000, `waitForReport on ${wait.waiter} resolved ${wait.lagMs} ms after ${wait.consumer} settled`);
    if (options.waitEvery) assert.ok(waits.some((w) => w.waiter !== w.consumer), 'some waits were answered by another process');

    const bySource: Record<string, number> = {};
    for (const line of journal) bySource[line.source] = (bySource[line.source] ?? 0) + 1;
    return {
      acknowledged: acked.length,
      unacknowledged: lostPhones.length,
      journalLines: journal.length,
      finishedUnsettledAtKill,
      secondInvocations,
      uncorrelated,
      waits,
      bySource,
      elapsedMs: Date.now() - startedAt,
    };
  } finally {
    await harness.dispose();
    await proxy?.close();
    await emulator.close();
    const keys = await scanAll(redis, keyPrefix).catch(() => []);
    for (const key of keys) await redis.del(key).catch(() => {});
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function scanAll(redis: Redis | Cluster, prefix: string): Promise<string[]> {
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  const keys: string[] = [];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, batch] = await node.scan(cursor, 'MATCH', `{${prefix}}*`, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
  }
  return keys;
}

/** One line for the test output: what the run measured. */
export function describeResult(title: string, result: ScenarioResult): string {
  const lags = result.waits.map((w) => w.lagMs).sort((a, b) => a - b);
  return (
    `${title}: ${result.acknowledged} sends acknowledged (${result.unacknowledged} lost with a process), ${result.journalLines} handler invocations ` +
    `(${JSON.stringify(result.bySource)}), finished-but-unsettled at SIGKILL: ${result.finishedUnsettledAtKill.length}, second invocations: ${result.secondInvocations.length}, ` +
    `uncorrelated: ${result.uncorrelated}, waits on another process: ${result.waits.filter((w) => w.waiter !== w.consumer).length}/${result.waits.length}, ` +
    `lag max ${lags.at(-1) ?? '-'} ms, ${Math.round(result.elapsedMs / 1000)} s`
  );
}
