// Scenarios 1 and 2 (+ the ceiling): drain preloaded SmsReport messages at injected MNS latencies;
// receipts/second and client CPU per receipt for each contender, run alternately.
// Writes bench/results/drain.json and prints a summary.
import { mkdirSync, writeFileSync } from 'node:fs';
import { startEmulatorProcess } from './emulator-client.mjs';
import { runBare, runOfficial, runOurs } from './contenders.mjs';
import { cpuMicros, fmt, fmtSummary, gcNow, machine, quick, summary } from './stats.mjs';
import { libSource } from './lib.mjs';

const count = Number(process.env.BENCH_DRAIN_COUNT ?? (quick ? 1000 : 5000));
const runs = Number(process.env.BENCH_RUNS ?? (quick ? 2 : 5));
const latencies = (process.env.BENCH_LATENCIES ?? '0,5,20').split(',').map(Number);
const capMs = Number(process.env.BENCH_OFFICIAL_CAP_MS ?? (quick ? 3000 : 8000));
const ourPollers = 4; // pollersPerQueue default: the pollers on the SmsReport queue

const contenders = [
  { name: 'ours', label: 'ours (defaults)', run: (coords) => runOurs({ coords, count }) },
  { name: 'official', label: 'official SDK, 1 loop (README usage)', run: (coords) => runOfficial({ coords, count, loops: 1, capMs }) },
  { name: 'officialN', label: `official SDK, ${ourPollers} loops`, run: (coords) => runOfficial({ coords, count, loops: ourPollers, capMs }) },
  { name: 'bareN', label: `ceiling: bare client, ${ourPollers} loops`, run: (coords) => runBare({ coords, count, loops: ourPollers }) },
  { name: 'bare8', label: 'ceiling: bare client, 8 loops', run: (coords) => runBare({ coords, count, loops: 8 }) },
];
// Ours with more pollers (BENCH_WIDE: receipts options as JSON), to show how it scales.
const wide = JSON.parse(process.env.BENCH_WIDE ?? '{"pollersPerQueue":8,"maxInFlight":512}');
contenders.push({
  name: 'oursWide',
  label: `ours, ${Object.entries(wide).map(([k, v]) => `${k} ${v}`).join(', ')}`,
  run: (coords) => runOurs({ coords, count, receipts: wide }),
});
const only = process.env.BENCH_CONTENDERS?.split(',');
const active = only ? contenders.filter((c) => only.includes(c.name)) : contenders;

const emu = await startEmulatorProcess();
const results = { scenario: 'drain', lib: libSource(), count, runs, capMs, machineBefore: machine(), latencies: {} };

async function once(contender, latency) {
  const coords = await emu.call('start', { mnsLatencyMs: latency });
  await emu.call('preload', { count });
  await gcNow();
  const emu0 = await emu.call('cpu');
  const r = await contender.run(coords);
  const emu1 = await emu.call('cpu');
  return {
    received: r.received,
    elapsedMs: r.elapsedMs,
    perSecond: (r.received / r.elapsedMs) * 1000,
    cpuPerReceiptUs: cpuMicros(r.cpu) / r.received,
    emulatorCpuPerReceiptUs: (cpuMicros(emu1.cpu) - cpuMicros(emu0.cpu)) / r.received,
  };
}

// Warm-up (JIT, first connections), not recorded.
for (const c of active) await once(c, 0);

for (const latency of latencies) {
  const raw = Object.fromEntries(active.map((c) => [c.name, []]));
  for (let i = 0; i < runs; i++) {
    for (const c of active) {
      const r = await once(c, latency);
      raw[c.name].push(r);
      console.error(`[drain ${latency} ms run ${i + 1}/${runs}] ${c.name}: ${r.received} in ${fmt(r.elapsedMs)} ms = ${fmt(r.perSecond)}/s, client CPU ${fmt(r.cpuPerReceiptUs, 1)} µs/receipt`);
    }
  }
  const byName = {};
  for (const c of active) {
    byName[c.name] = {
      label: c.label,
      perSecond: summary(raw[c.name].map((r) => r.perSecond)),
      cpuPerReceiptUs: summary(raw[c.name].map((r) => r.cpuPerReceiptUs)),
      emulatorCpuPerReceiptUs: summary(raw[c.name].map((r) => r.emulatorCpuPerReceiptUs)),
      received: raw[c.name].map((r) => r.received),
    };
  }
  results.latencies[latency] = byName;
}
results.machineAfter = machine();
await emu.close();

mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL(`./results/drain${quick ? '-quick' : ''}.json`, import.meta.url), JSON.stringify(results, null, 2));

for (const [latency, byName] of Object.entries(results.latencies)) {
  console.log(`\nDrain at ${latency} ms MNS latency (${count} messages, ${runs} runs, median (min–max))`);
  const ours = byName.ours?.perSecond.median;
  for (const [name, r] of Object.entries(byName)) {
    const ratio = ours && name !== 'ours' ? `  ours/this ${fmt(ours / r.perSecond.median, 2)}x` : '';
    console.log(`  ${r.label.padEnd(58)} ${fmtSummary(r.perSecond).padStart(26)} receipts/s  CPU ${fmtSummary(r.cpuPerReceiptUs, 1)} µs/receipt${ratio}`);
  }
}
