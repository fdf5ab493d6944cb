// A/B of two builds of lib/ on the drain (scenario 1): the same emulator process, the two builds
// run alternately, receipts/second and client CPU per receipt for each. Used to decide whether a
// second, faster implementation of a behaviour earns its place (BENCHMARKS.md, "One path per
// behaviour"). BENCH_A / BENCH_B: directories of two builds (like dist/esm), e.g.
//   node node_modules/typescript-native/bin/tsc -p tsconfig.build.json --outDir bench/.dist-after
import { mkdirSync, writeFileSync } from 'node:fs';
import { startEmulatorProcess } from './emulator-client.mjs';
import { loadLibFrom, runOurs } from './contenders.mjs';
import { cpuMicros, fmt, fmtSummary, gcNow, machine, summary } from './stats.mjs';

const builds = { A: process.env.BENCH_A ?? 'bench/.dist-before', B: process.env.BENCH_B ?? 'bench/.dist-after' };
const count = Number(process.env.BENCH_DRAIN_COUNT ?? 5000);
const runs = Number(process.env.BENCH_RUNS ?? 7);
const latencies = (process.env.BENCH_LATENCIES ?? '0,20').split(',').map(Number);

const libs = { A: await loadLibFrom(builds.A), B: await loadLibFrom(builds.B) };
const emu = await startEmulatorProcess();
const results = { scenario: 'drain-ab', builds, count, runs, machineBefore: machine(), latencies: {} };

async function once(name, latency) {
  const coords = await emu.call('start', { mnsLatencyMs: latency });
  await emu.call('preload', { count });
  await gcNow();
  const r = await runOurs({ coords, count, lib: libs[name] });
  return { perSecond: (r.received / r.elapsedMs) * 1000, cpuPerReceiptUs: cpuMicros(r.cpu) / r.received };
}

for (const name of ['A', 'B']) await once(name, 0); // warm-up
for (const latency of latencies) {
  const raw = { A: [], B: [] };
  for (let i = 0; i < runs; i++) {
    for (const name of i % 2 ? ['B', 'A'] : ['A', 'B']) {
      const r = await once(name, latency);
      raw[name].push(r);
      console.error(`[${latency} ms run ${i + 1}/${runs}] ${name}: ${fmt(r.perSecond)}/s, ${fmt(r.cpuPerReceiptUs, 1)} µs/receipt`);
    }
  }
  results.latencies[latency] = Object.fromEntries(
    Object.entries(raw).map(([name, list]) => [
      name,
      { perSecond: summary(list.map((r) => r.perSecond)), cpuPerReceiptUs: summary(list.map((r) => r.cpuPerReceiptUs)) },
    ]),
  );
}
results.machineAfter = machine();
await emu.close();
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/drain-ab.json', import.meta.url), JSON.stringify(results, null, 2));
for (const [latency, r] of Object.entries(results.latencies)) {
  console.log(`\nDrain at ${latency} ms (${count} messages, ${runs} runs each, alternating; median (min–max))`);
  for (const name of ['A', 'B']) {
    console.log(`  ${name} ${builds[name].padEnd(22)} ${fmtSummary(r[name].perSecond).padStart(24)} receipts/s  CPU ${fmtSummary(r[name].cpuPerReceiptUs, 1)} µs/receipt`);
  }
}
