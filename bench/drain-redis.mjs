// Issue 11: the drain of bench/drain.mjs with the RedisReceiptStore against the in-memory store,
// run alternately: receipts/second, client CPU per receipt (ioredis included: it runs in the app's
// process), Redis server CPU per receipt, and Redis round trips per received batch: the store's
// EVALSHA/EVAL calls (INFO commandstats deltas of a redis-server of the benchmark's own; the
// commands its scripts run inside are counted apart) divided by the non-empty BatchReceiveMessage
// answers the app got. Writes bench/results/drain-redis.json and prints a summary.
// Env: BENCH_DRAIN_COUNT, BENCH_RUNS, BENCH_LATENCIES (default 20,0).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { startEmulatorProcess } from './emulator-client.mjs';
import { createOursApp, lib } from './contenders.mjs';
import { libDir, libSource } from './lib.mjs';
import { cpuMicros, fmt, fmtSummary, gcNow, machine, quick, sleep, summary } from './stats.mjs';

const count = Number(process.env.BENCH_DRAIN_COUNT ?? (quick ? 1000 : 5000));
const runs = Number(process.env.BENCH_RUNS ?? (quick ? 2 : 5));
const latencies = (process.env.BENCH_LATENCIES ?? '20,0').split(',').map(Number);

// Non-empty receives, counted on the library's own MNS client (the same for both contenders).
const { MnsClient } = await import(new URL('mns/mns.client.js', libDir()).href);
let batchesWithMessages = 0;
const batchReceive = MnsClient.prototype.batchReceive;
MnsClient.prototype.batchReceive = async function countedBatchReceive(...args) {
  const messages = await batchReceive.apply(this, args);
  if (messages.length > 0) batchesWithMessages++;
  return messages;
};

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// A redis-server of the benchmark's own: its counters see nothing but this benchmark.
const redisDir = mkdtempSync(join(tmpdir(), 'alicom-bench-redis-'));
const redisPort = await freePort();
const redisServer = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', redisDir], { stdio: 'ignore' });
for (let i = 0; spawnSync('redis-cli', ['-p', String(redisPort), 'ping'], { encoding: 'utf8' }).stdout?.trim() !== 'PONG'; i++) {
  if (i > 100) throw new Error('redis-server did not start');
  await sleep(50);
}
const admin = new Redis({ port: redisPort, host: '127.0.0.1' });

async function redisCounters() {
  const stats = await admin.info('commandstats');
  const cpu = await admin.info('cpu');
  let commands = 0;
  let scripts = 0;
  for (const match of stats.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)) {
    if (match[1] === 'info') continue;
    commands += Number(match[2]);
    if (match[1] === 'evalsha' || match[1] === 'eval') scripts += Number(match[2]);
  }
  const user = Number(/used_cpu_user:([\d.]+)/.exec(cpu)[1]);
  const sys = Number(/used_cpu_sys:([\d.]+)/.exec(cpu)[1]);
  // Round trips: the store sends nothing but scripts while draining (no pending count, no subscribe).
  return { commands, scripts, cpuUs: (user + sys) * 1e6 };
}

let runNumber = 0;

/** The module's listener (defaults) draining `count` receipts, with the in-memory store or Redis. */
async function runOurs(coords, storeKind) {
  let client;
  let moduleOptions = {};
  if (storeKind === 'redis') {
    client = new Redis({ port: redisPort, host: '127.0.0.1' });
    moduleOptions = { compensation: { store: new lib.RedisReceiptStore({ client, keyPrefix: `bench-${process.pid}-${runNumber++}` }) } };
  }
  const app = await createOursApp(coords, {}, lib, moduleOptions);
  const listener = app.get(lib.SmsReceiptListener);
  const redis0 = await redisCounters();
  const batches0 = batchesWithMessages;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await listener.start();
  while (listener.health().deleted < count) await sleep(2);
  const elapsedMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const batches = batchesWithMessages - batches0;
  const redis1 = await redisCounters();
  const health = listener.health();
  await app.close();
  if (client) {
    await admin.flushall();
    client.disconnect();
  }
  // The two INFO calls are not counted; what remains is the store's own commands.
  return {
    received: health.deleted,
    handled: health.handled,
    elapsedMs,
    cpu,
    batches,
    redisRoundTrips: redis1.scripts - redis0.scripts,
    redisCommands: redis1.commands - redis0.commands,
    redisCpuUs: redis1.cpuUs - redis0.cpuUs,
  };
}

const contenders = [
  { name: 'memory', label: 'ours, in-memory store (default)', run: (coords) => runOurs(coords, 'memory') },
  { name: 'redis', label: 'ours, RedisReceiptStore', run: (coords) => runOurs(coords, 'redis') },
];

const emu = await startEmulatorProcess();
const results = { scenario: 'drain-redis', lib: libSource(), count, runs, machineBefore: machine(), latencies: {} };

async function once(contender, latency) {
  const coords = await emu.call('start', { mnsLatencyMs: latency });
  await emu.call('preload', { count });
  await gcNow();
  const r = await contender.run(coords);
  return {
    received: r.received,
    elapsedMs: r.elapsedMs,
    perSecond: (r.received / r.elapsedMs) * 1000,
    cpuPerReceiptUs: cpuMicros(r.cpu) / r.received,
    batches: r.batches,
    receiptsPerBatch: r.received / r.batches,
    redisRoundTripsPerBatch: r.redisRoundTrips / r.batches,
    redisCommandsPerBatch: r.redisCommands / r.batches,
    redisCpuPerReceiptUs: r.redisCpuUs / r.received,
  };
}

try {
  for (const c of contenders) await once(c, 0); // warm-up, not recorded
  for (const latency of latencies) {
    const raw = Object.fromEntries(contenders.map((c) => [c.name, []]));
    for (let i = 0; i < runs; i++) {
      for (const c of contenders) {
        const r = await once(c, latency);
        raw[c.name].push(r);
        console.error(
          `[drain-redis ${latency} ms run ${i + 1}/${runs}] ${c.name}: ${fmt(r.perSecond)}/s, client CPU ${fmt(r.cpuPerReceiptUs, 1)} µs/receipt, ` +
            `${fmt(r.receiptsPerBatch, 1)} receipts/batch, Redis ${fmt(r.redisRoundTripsPerBatch, 2)} round trips/batch (${fmt(r.redisCommandsPerBatch, 1)} commands inside), Redis CPU ${fmt(r.redisCpuPerReceiptUs, 1)} µs/receipt`,
        );
      }
    }
    const byName = {};
    for (const c of contenders) {
      const list = raw[c.name];
      byName[c.name] = {
        label: c.label,
        perSecond: summary(list.map((r) => r.perSecond)),
        cpuPerReceiptUs: summary(list.map((r) => r.cpuPerReceiptUs)),
        receiptsPerBatch: summary(list.map((r) => r.receiptsPerBatch)),
        redisRoundTripsPerBatch: summary(list.map((r) => r.redisRoundTripsPerBatch)),
        redisCommandsPerBatch: summary(list.map((r) => r.redisCommandsPerBatch)),
        redisCpuPerReceiptUs: summary(list.map((r) => r.redisCpuPerReceiptUs)),
      };
    }
    results.latencies[latency] = byName;
  }
} finally {
  results.machineAfter = machine();
  await emu.close();
  admin.disconnect();
  redisServer.kill('SIGKILL');
  rmSync(redisDir, { recursive: true, force: true });
}

mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL(`./results/drain-redis${quick ? '-quick' : ''}.json`, import.meta.url), JSON.stringify(results, null, 2));

for (const [latency, { memory, redis }] of Object.entries(results.latencies)) {
  console.log(`\nDrain at ${latency} ms MNS latency (${count} messages, ${runs} runs, median (min–max))`);
  for (const r of [memory, redis]) {
    console.log(
      `  ${r.label.padEnd(34)} ${fmtSummary(r.perSecond).padStart(26)} receipts/s  CPU ${fmtSummary(r.cpuPerReceiptUs, 1)} µs/receipt  ` +
        `${fmt(r.receiptsPerBatch.median, 1)} receipts/batch  Redis ${fmtSummary(r.redisRoundTripsPerBatch, 2)} round trips/batch (${fmt(r.redisCommandsPerBatch.median, 1)} commands inside)`,
    );
  }
  console.log(
    `  Redis/in-memory: rate ${fmt(redis.perSecond.median / memory.perSecond.median, 2)} (target >= 0.80), ` +
      `client CPU ${fmt(redis.cpuPerReceiptUs.median / memory.cpuPerReceiptUs.median, 2)}x (target <= 2x), ` +
      `Redis server CPU ${fmt(redis.redisCpuPerReceiptUs.median, 1)} µs/receipt`,
  );
}
