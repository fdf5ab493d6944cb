// Scenario 4: client RSS and heap while 100,000 receipts go through our pipeline (defaults; the
// emulator in its own process). Samples after a forced GC (run with --expose-gc) every 10,000.
// Writes bench/results/memory-<variant>.json.
//
// Receipt source (BENCH_MEMORY_SOURCE):
//   preload  SmsReport messages put on the queue by the emulator, for sends this app never made:
//            de-duplication remembers every receipt, correlation takes its miss path;
//   sends    the app sends every SMS itself (SmsService.sendSms, concurrency 32) and the emulator
//            reports each one: every receipt is correlated with its tracked send, which is then
//            settled and removed from the pending store — the whole compensation state in use.
import { mkdirSync, writeFileSync } from 'node:fs';
import { startEmulatorProcess } from './emulator-client.mjs';
import { createOursApp, lib } from './contenders.mjs';
import { fmt, gcNow, machine, quick, sleep } from './stats.mjs';
import { libSource } from './lib.mjs';

const total = Number(process.env.BENCH_MEMORY_COUNT ?? (quick ? 20_000 : 100_000));
const step = Number(process.env.BENCH_MEMORY_STEP ?? (quick ? 5_000 : 10_000));
const chunk = 10_000;
if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');

// Variant: BENCH_MEMORY_MODULE_OPTIONS='{"compensation":{"dedupeWindowSize":10000}}' makes the
// de-duplication window full after 10,000 receipts, so the rest of the run shows any leak.
const moduleOptions = process.env.BENCH_MEMORY_MODULE_OPTIONS ? JSON.parse(process.env.BENCH_MEMORY_MODULE_OPTIONS) : {};
const variant = process.env.BENCH_MEMORY_VARIANT ?? 'defaults';
const source = process.env.BENCH_MEMORY_SOURCE ?? 'preload';
if (source !== 'preload' && source !== 'sends') throw new Error(`BENCH_MEMORY_SOURCE must be preload or sends, got ${source}`);
const emu = await startEmulatorProcess();
const coords = await emu.call('start', { mnsLatencyMs: 0, reports: true });
const app = await createOursApp(coords, {}, lib, moduleOptions);
const listener = app.get(lib.SmsReceiptListener);
await gcNow();
const mb = (n) => Math.round((n / 1048576) * 10) / 10;
const sample = (deleted) => {
  const m = process.memoryUsage();
  return { receipts: deleted, rssMB: mb(m.rss), heapUsedMB: mb(m.heapUsed), heapTotalMB: mb(m.heapTotal), externalMB: mb(m.external + m.arrayBuffers) };
};
const samples = [sample(0)];
let preloaded = 0;
let sent = 0;
let sending;
const sms = app.get(lib.SmsService);
const sendAhead = async () => {
  while (sent < total && sent - listener.health().deleted < chunk) {
    const i = sent++;
    await sms.sendSms({ phoneNumbers: `138${String(i).padStart(8, '0')}`, signName: 'S', templateCode: 'SMS_1', templateParam: { code: String(i % 1_000_000) } });
  }
};
const feed = async () => {
  if (source === 'sends') {
    // Keeps at most `chunk` sends ahead of the receipts handled, from 32 concurrent senders.
    sending ??= Promise.all(Array.from({ length: 32 }, sendAhead)).finally(() => (sending = undefined));
    return;
  }
  while (preloaded < total) {
    const s = await emu.call('stats');
    if (s.visible > chunk / 2) return;
    const n = Math.min(chunk, total - preloaded);
    await emu.call('preload', { count: n, from: preloaded });
    preloaded += n;
  }
};
await feed();
const t0 = performance.now();
await listener.start();
let nextMark = step;
while (nextMark <= total) {
  await sleep(20);
  await feed();
  if (listener.health().deleted >= nextMark) {
    await gcNow();
    const s = sample(listener.health().deleted);
    samples.push(s);
    console.error(`[memory] ${s.receipts} receipts: RSS ${s.rssMB} MB, heap ${s.heapUsedMB} MB`);
    nextMark += step;
  }
}
const elapsedMs = performance.now() - t0;
await sending;
await app.close();
await emu.close();

const at = (n) => samples.reduce((best, s) => (Math.abs(s.receipts - n) < Math.abs(best.receipts - n) ? s : best));
const half = at(total / 2);
const last = samples[samples.length - 1];
const result = {
  scenario: 'memory',
  variant,
  source,
  moduleOptions,
  lib: libSource(),
  total,
  elapsedMs,
  machine: machine(),
  samples,
  growthSecondHalf: { fromReceipts: half.receipts, toReceipts: last.receipts, rssMB: Math.round((last.rssMB - half.rssMB) * 10) / 10, heapUsedMB: Math.round((last.heapUsedMB - half.heapUsedMB) * 10) / 10 },
  growthAfterFirstStep: { fromReceipts: samples[1].receipts, rssMB: Math.round((last.rssMB - samples[1].rssMB) * 10) / 10, heapUsedMB: Math.round((last.heapUsedMB - samples[1].heapUsedMB) * 10) / 10 },
  growthAfterSecondStep: samples[2] && { fromReceipts: samples[2].receipts, rssMB: Math.round((last.rssMB - samples[2].rssMB) * 10) / 10, heapUsedMB: Math.round((last.heapUsedMB - samples[2].heapUsedMB) * 10) / 10 },
};
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL(`./results/memory-${variant}${quick ? '-quick' : ''}.json`, import.meta.url), JSON.stringify(result, null, 2));
console.log(`\nMemory (${variant}, receipts from ${source}, ${JSON.stringify(moduleOptions)}) over ${total} receipts (${fmt((total / elapsedMs) * 1000)} receipts/s):`);
for (const s of samples) console.log(`  ${String(s.receipts).padStart(7)}  RSS ${s.rssMB} MB  heapUsed ${s.heapUsedMB} MB  heapTotal ${s.heapTotalMB} MB  external ${s.externalMB} MB`);
console.log(`  growth ${half.receipts} → ${last.receipts}: RSS ${result.growthSecondHalf.rssMB} MB, heap ${result.growthSecondHalf.heapUsedMB} MB`);
if (result.growthAfterSecondStep && result.growthAfterSecondStep.fromReceipts !== half.receipts) console.log(`  growth ${result.growthAfterSecondStep.fromReceipts} → ${last.receipts}: RSS ${result.growthAfterSecondStep.rssMB} MB, heap ${result.growthAfterSecondStep.heapUsedMB} MB`);
