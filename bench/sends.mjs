// Scenario 3: SendSms throughput, CPU per send and latency overhead at 20 ms injected RPC latency,
// ours (SmsService) vs the official SDK (sendSMS), alternately. Writes bench/results/sends.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { startEmulatorProcess } from './emulator-client.mjs';
import { lib, officialClient } from './contenders.mjs';
import { cpuMicros, fmt, fmtSummary, gcNow, machine, percentile, quick, summary } from './stats.mjs';
import { libSource } from './lib.mjs';

const { Module } = await import('@nestjs/common');
const { NestFactory } = await import('@nestjs/core');

const latencyMs = Number(process.env.BENCH_RPC_LATENCY ?? 20);
const total = Number(process.env.BENCH_SENDS ?? (quick ? 500 : 2000));
const concurrency = Number(process.env.BENCH_SEND_CONCURRENCY ?? 64);
const serialSends = Number(process.env.BENCH_SERIAL_SENDS ?? (quick ? 60 : 250));
const runs = Number(process.env.BENCH_RUNS ?? (quick ? 2 : 5));

async function oursSender(coords) {
  class SendModule {}
  Module({ imports: [lib.AlicomSmsModule.forRoot({ ...coords.credentials, endpoints: coords.endpoints })] })(SendModule);
  const app = await NestFactory.createApplicationContext(SendModule, { logger: ['error', 'warn'] });
  await app.init();
  const sms = app.get(lib.SmsService);
  return {
    send: (i) => sms.sendSms({ phoneNumbers: phone(i), signName: '阿里云短信测试', templateCode: 'SMS_154950909', templateParam: { code: String(100000 + i) } }),
    close: () => app.close(),
  };
}

async function officialSender(coords) {
  const client = officialClient(coords);
  return {
    send: async (i) => {
      const res = await client.sendSMS({
        PhoneNumbers: phone(i),
        SignName: '阿里云短信测试',
        TemplateCode: 'SMS_154950909',
        TemplateParam: JSON.stringify({ code: String(100000 + i) }),
      });
      if (res.Code !== 'OK') throw new Error(`official send failed: ${res.Code}`);
      return res;
    },
    close: async () => {},
  };
}

function phone(i) {
  return `138${String(i % 100000000).padStart(8, '0')}`;
}

const contenders = [
  { name: 'ours', label: 'ours (SmsService.sendSms)', make: oursSender },
  { name: 'official', label: 'official SDK (sendSMS)', make: officialSender },
];

const emu = await startEmulatorProcess();

async function once(contender, n, conc) {
  const coords = await emu.call('start', { rpcLatencyMs: latencyMs, reports: false });
  const sender = await contender.make(coords);
  await sender.send(0); // first connection outside the measurement
  await gcNow();
  const latencies = new Float64Array(n);
  let next = 0;
  const emu0 = await emu.call('cpu');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const start = performance.now();
      await sender.send(i + 1);
      latencies[i] = performance.now() - start;
    }
  };
  await Promise.all(Array.from({ length: conc }, worker));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const emu1 = await emu.call('cpu');
  await sender.close();
  const accepted = await emu.call('sends');
  if (accepted !== n + 1) throw new Error(`${contender.name}: emulator accepted ${accepted} sends, expected ${n + 1}`);
  const overheads = Array.from(latencies, (l) => l - latencyMs);
  return {
    perSecond: (n / wallMs) * 1000,
    boundFraction: ((n / wallMs) * 1000) / (conc / (latencyMs / 1000)),
    cpuPerSendUs: cpuMicros(cpu) / n,
    emulatorCpuPerSendUs: (cpuMicros(emu1.cpu) - cpuMicros(emu0.cpu)) / n,
    p50OverheadMs: percentile(overheads, 50),
    p99OverheadMs: percentile(overheads, 99),
  };
}

for (const c of contenders) await once(c, 200, concurrency); // warm-up

const result = { scenario: 'sends', lib: libSource(), latencyMs, total, concurrency, serialSends, runs, machineBefore: machine(), concurrent: {}, serial: {} };
const raw = { concurrent: {}, serial: {} };
for (const c of contenders) {
  raw.concurrent[c.name] = [];
  raw.serial[c.name] = [];
}
for (let i = 0; i < runs; i++) {
  for (const c of contenders) {
    const r = await once(c, total, concurrency);
    raw.concurrent[c.name].push(r);
    console.error(`[sends c=${concurrency} run ${i + 1}/${runs}] ${c.name}: ${fmt(r.perSecond)}/s (${fmt(r.boundFraction * 100, 1)}% of bound), CPU ${fmt(r.cpuPerSendUs)} µs/send, overhead p50 ${fmt(r.p50OverheadMs, 2)} p99 ${fmt(r.p99OverheadMs, 2)} ms`);
  }
  for (const c of contenders) {
    const r = await once(c, serialSends, 1);
    raw.serial[c.name].push(r);
    console.error(`[sends c=1 run ${i + 1}/${runs}] ${c.name}: overhead p50 ${fmt(r.p50OverheadMs, 3)} ms, p99 ${fmt(r.p99OverheadMs, 3)} ms, CPU ${fmt(r.cpuPerSendUs)} µs/send`);
  }
}
for (const mode of ['concurrent', 'serial']) {
  for (const c of contenders) {
    const list = raw[mode][c.name];
    result[mode][c.name] = {
      label: c.label,
      perSecond: summary(list.map((r) => r.perSecond)),
      boundFraction: summary(list.map((r) => r.boundFraction)),
      cpuPerSendUs: summary(list.map((r) => r.cpuPerSendUs)),
      emulatorCpuPerSendUs: summary(list.map((r) => r.emulatorCpuPerSendUs)),
      p50OverheadMs: summary(list.map((r) => r.p50OverheadMs)),
      p99OverheadMs: summary(list.map((r) => r.p99OverheadMs)),
    };
  }
}
result.machineAfter = machine();
await emu.close();
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL(`./results/sends${quick ? '-quick' : ''}.json`, import.meta.url), JSON.stringify(result, null, 2));

console.log(`\nSends: ${total} at concurrency ${concurrency}, ${latencyMs} ms RPC latency (bound ${fmt(concurrency / (latencyMs / 1000))}/s); median (min–max) of ${runs}`);
for (const r of Object.values(result.concurrent)) {
  console.log(`  ${r.label.padEnd(28)} ${fmtSummary(r.perSecond)}/s = ${fmt(r.boundFraction.median * 100, 1)}% of bound; CPU ${fmtSummary(r.cpuPerSendUs)} µs/send (emulator ${fmt(r.emulatorCpuPerSendUs.median)}); overhead p50 ${fmtSummary(r.p50OverheadMs, 2)} ms, p99 ${fmtSummary(r.p99OverheadMs, 2)} ms`);
}
console.log(`Sends at concurrency 1 (${serialSends} per run)`);
for (const r of Object.values(result.serial)) {
  console.log(`  ${r.label.padEnd(28)} overhead p50 ${fmtSummary(r.p50OverheadMs, 3)} ms, p99 ${fmtSummary(r.p99OverheadMs, 3)} ms; CPU ${fmtSummary(r.cpuPerSendUs)} µs/send`);
}
