// Scenario 3: SendSms throughput, CPU per send and latency overhead at 20 ms injected RPC latency:
// ours (SmsService) vs the official SDK (sendSMS), with two bare HTTP clients as the floor, run
// alternately. Writes bench/results/sends.json.
//
// Two overheads per call, both from the client's own clock:
//   - over the nominal latency: call time − 20 ms (what the issue states; it includes the
//     emulator's request handling and its timer overshooting 20 ms, the same for every client);
//   - over the server: call time − the emulator's own time for that very request (from its HTTP
//     server receiving the request to handing the answer to the socket, paired by RequestId):
//     what the client and the loopback round trip add.
// Env: BENCH_SEND_CONTENDERS (comma list, default all), BENCH_RPC_LATENCY, BENCH_SENDS,
// BENCH_SEND_CONCURRENCY, BENCH_SERIAL_SENDS, BENCH_RUNS.
import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { startEmulatorProcess } from './emulator-client.mjs';
import { sendContenders } from './send-contenders.mjs';
import { cpuMicros, fmt, fmtSummary, gcNow, machine, percentile, quick, summary } from './stats.mjs';
import { libSource } from './lib.mjs';

const latencyMs = Number(process.env.BENCH_RPC_LATENCY ?? 20);
const total = Number(process.env.BENCH_SENDS ?? (quick ? 500 : 2000));
const concurrency = Number(process.env.BENCH_SEND_CONCURRENCY ?? 64);
const serialSends = Number(process.env.BENCH_SERIAL_SENDS ?? (quick ? 60 : 250));
const runs = Number(process.env.BENCH_RUNS ?? (quick ? 2 : 5));
const names = (process.env.BENCH_SEND_CONTENDERS ?? Object.keys(sendContenders).join(',')).split(',');
for (const name of names) if (!sendContenders[name]) throw new Error(`unknown send contender ${name} (known: ${Object.keys(sendContenders).join(', ')})`);

const emu = await startEmulatorProcess();

async function once(name, n, conc) {
  const coords = await emu.call('start', { rpcLatencyMs: latencyMs, reports: false });
  const sender = await sendContenders[name].make(coords);
  await sender.send(0); // first connection outside the measurement
  await gcNow();
  const latencies = new Float64Array(n);
  const requestIds = new Array(n);
  let next = 0;
  const emu0 = await emu.call('cpu');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const start = performance.now();
      requestIds[i] = await sender.send(i + 1);
      latencies[i] = performance.now() - start;
    }
  };
  await Promise.all(Array.from({ length: conc }, worker));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const emu1 = await emu.call('cpu');
  await sender.close();
  const accepted = await emu.call('sends');
  if (accepted !== n + 1) throw new Error(`${name}: emulator accepted ${accepted} sends, expected ${n + 1}`);
  const serverMs = new Map(await emu.call('rpcTimings'));
  const overServer = Array.from(latencies, (l, i) => l - (serverMs.get(requestIds[i]) ?? NaN));
  if (overServer.some(Number.isNaN)) throw new Error(`${name}: a RequestId the emulator did not answer`);
  const overNominal = Array.from(latencies, (l) => l - latencyMs);
  return {
    perSecond: (n / wallMs) * 1000,
    boundFraction: ((n / wallMs) * 1000) / (conc / (latencyMs / 1000)),
    cpuPerSendUs: cpuMicros(cpu) / n,
    emulatorCpuPerSendUs: (cpuMicros(emu1.cpu) - cpuMicros(emu0.cpu)) / n,
    p50OverheadMs: percentile(overNominal, 50),
    p99OverheadMs: percentile(overNominal, 99),
    p50OverServerMs: percentile(overServer, 50),
    p99OverServerMs: percentile(overServer, 99),
    p50ServerMs: percentile([...serverMs.values()], 50),
  };
}

for (const name of names) await once(name, 200, concurrency); // warm-up

const result = { scenario: 'sends', lib: libSource(), latencyMs, total, concurrency, serialSends, runs, machineBefore: machine(), concurrent: {}, serial: {} };
const raw = { concurrent: {}, serial: {} };
for (const name of names) {
  raw.concurrent[name] = [];
  raw.serial[name] = [];
}
const line = (r) =>
  `${fmt(r.perSecond)}/s (${fmt(r.boundFraction * 100, 1)}% of bound), CPU ${fmt(r.cpuPerSendUs)} µs/send (emulator ${fmt(r.emulatorCpuPerSendUs)}), ` +
  `overhead p50 ${fmt(r.p50OverheadMs, 2)} p99 ${fmt(r.p99OverheadMs, 2)} ms, over the server p50 ${fmt(r.p50OverServerMs, 2)} p99 ${fmt(r.p99OverServerMs, 2)} ms`;
for (let i = 0; i < runs; i++) {
  for (const name of names) {
    const r = await once(name, total, concurrency);
    raw.concurrent[name].push(r);
    console.error(`[sends c=${concurrency} run ${i + 1}/${runs}] ${name}: ${line(r)}`);
  }
  for (const name of names) {
    const r = await once(name, serialSends, 1);
    raw.serial[name].push(r);
    console.error(`[sends c=1 run ${i + 1}/${runs}] ${name}: ${line(r)}`);
  }
}
const fields = ['perSecond', 'boundFraction', 'cpuPerSendUs', 'emulatorCpuPerSendUs', 'p50OverheadMs', 'p99OverheadMs', 'p50OverServerMs', 'p99OverServerMs', 'p50ServerMs'];
for (const mode of ['concurrent', 'serial']) {
  for (const name of names) {
    const list = raw[mode][name];
    result[mode][name] = { label: sendContenders[name].label };
    for (const field of fields) result[mode][name][field] = summary(list.map((r) => r[field]));
  }
}
result.machineAfter = machine();
await emu.close();
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL(`./results/sends${quick ? '-quick' : ''}.json`, import.meta.url), JSON.stringify(result, null, 2));

console.log(`\nSends: ${total} at concurrency ${concurrency}, ${latencyMs} ms RPC latency (bound ${fmt(concurrency / (latencyMs / 1000))}/s); median (min–max) of ${runs}`);
for (const r of Object.values(result.concurrent)) {
  console.log(`  ${r.label.padEnd(32)} ${fmtSummary(r.perSecond)}/s = ${fmt(r.boundFraction.median * 100, 1)}% of bound; CPU ${fmtSummary(r.cpuPerSendUs)} µs/send (emulator ${fmt(r.emulatorCpuPerSendUs.median)}); overhead p50 ${fmtSummary(r.p50OverheadMs, 2)} ms, p99 ${fmtSummary(r.p99OverheadMs, 2)} ms`);
}
console.log(`Sends at concurrency 1 (${serialSends} per run)`);
for (const r of Object.values(result.serial)) {
  console.log(`  ${r.label.padEnd(32)} overhead p50 ${fmtSummary(r.p50OverheadMs, 3)} ms, p99 ${fmtSummary(r.p99OverheadMs, 3)} ms; over the server p50 ${fmtSummary(r.p50OverServerMs, 3)} ms, p99 ${fmtSummary(r.p99OverServerMs, 3)} ms; CPU ${fmtSummary(r.cpuPerSendUs)} µs/send`);
}
