#!/usr/bin/env node
// Runs the benchmarks (each scenario in its own process, the emulator in yet another):
//   node bench/run.mjs                 all scenarios: drain, sends, memory, profile
//   node bench/run.mjs drain sends     a subset
//   BENCH_QUICK=1 node bench/run.mjs   quick mode: fewer runs and messages (a smoke test, not a result)
// Results: bench/results/<scenario>[-quick].json; the profile's top functions: results/profile.json.
// Env: BENCH_LIB_DIR (measure another build of lib/ than dist/), BENCH_WIDE (receipts options of the
// "ours, wider" drain contender), BENCH_CONTENDERS, BENCH_RUNS, BENCH_DRAIN_COUNT, BENCH_LATENCIES,
// BENCH_OFFICIAL_CAP_MS, BENCH_SENDS, BENCH_MEMORY_COUNT — see each scenario file.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyzeProfile } from './analyze-profile.mjs';
import { machine, quick } from './stats.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const all = ['drain', 'drain-redis', 'sends', 'memory', 'profile'];
const selected = process.argv.slice(2).length ? process.argv.slice(2) : all;
for (const s of selected) if (!all.includes(s)) throw new Error(`unknown scenario ${s} (known: ${all.join(', ')})`);

console.log(`nestjs-alicom-sms benchmarks${quick ? ' (QUICK mode: smoke test only)' : ''}`);
console.log(`machine: ${JSON.stringify(machine())}`);

function node(args) {
  const r = spawnSync(process.execPath, args, { cwd: here + '..', stdio: 'inherit', env: process.env });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${r.status}`);
}

for (const scenario of selected) {
  console.log(`\n=== ${scenario}`);
  if (scenario === 'profile') {
    const dir = here + '.prof';
    rmSync(dir, { recursive: true, force: true });
    node(['--cpu-prof', `--cpu-prof-dir=${dir}`, here + 'profile.mjs']);
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    const analysis = analyzeProfile(`${dir}/${file}`, 30);
    mkdirSync(here + 'results', { recursive: true });
    writeFileSync(here + `results/profile${quick ? '-quick' : ''}.json`, JSON.stringify({ file: `bench/.prof/${file}`, ...analysis }, null, 2));
    console.log(`top self time (of ${analysis.totalMs} ms sampled, idle included):`);
    for (const f of analysis.functions.slice(0, 20)) console.log(`  ${String(f.pct).padStart(5)}%  ${f.name}`);
    console.log('by package/file:');
    for (const f of analysis.groups.slice(0, 12)) console.log(`  ${String(f.pct).padStart(5)}%  ${f.name}`);
  } else if (scenario === 'memory') {
    // Defaults (de-duplication window 100,000 receipts: it fills during the run), then a small
    // window (10,000) so that most of the run happens with the window full, then that window with
    // receipts for the app's own tracked sends.
    node(['--expose-gc', here + 'memory.mjs']);
    process.env.BENCH_MEMORY_VARIANT = 'window10k';
    process.env.BENCH_MEMORY_MODULE_OPTIONS = JSON.stringify({ compensation: { dedupeWindowSize: 10_000 } });
    node(['--expose-gc', here + 'memory.mjs']);
    // The same window, every receipt answering a send this app made and tracks (correlation hits).
    process.env.BENCH_MEMORY_VARIANT = 'window10k-sends';
    process.env.BENCH_MEMORY_SOURCE = 'sends';
    node(['--expose-gc', here + 'memory.mjs']);
    delete process.env.BENCH_MEMORY_VARIANT;
    delete process.env.BENCH_MEMORY_MODULE_OPTIONS;
    delete process.env.BENCH_MEMORY_SOURCE;
  } else {
    node(['--expose-gc', here + `${scenario}.mjs`]);
  }
}
