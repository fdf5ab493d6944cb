// Drain with our pipeline only, for `node --cpu-prof` (see bench/run.mjs --profile): the emulator
// runs in its own process, so the profile holds the client's work alone.
import { startEmulatorProcess } from './emulator-client.mjs';
import { runOurs } from './contenders.mjs';
import { quick } from './stats.mjs';

const count = Number(process.env.BENCH_PROFILE_COUNT ?? (quick ? 2000 : 5000));
const runs = Number(process.env.BENCH_PROFILE_RUNS ?? (quick ? 2 : 4));
const latency = Number(process.env.BENCH_PROFILE_LATENCY ?? 0);
const emu = await startEmulatorProcess();
let received = 0;
let cpu = 0;
for (let i = 0; i < runs; i++) {
  const coords = await emu.call('start', { mnsLatencyMs: latency });
  await emu.call('preload', { count });
  const r = await runOurs({ coords, count });
  received += r.received;
  cpu += r.cpu.user + r.cpu.system;
}
await emu.close();
console.log(JSON.stringify({ received, cpuMicrosPerReceipt: cpu / received }));
