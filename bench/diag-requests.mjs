// Diagnostic (not a benchmark): how our pipeline talks to MNS during one drain — TCP connections
// opened, receives by numOfMessages asked, handles per BatchDelete. Uses undici's diagnostics
// channels. Env: N (messages, 3000), LAT (MNS latency ms, 0), RECEIPTS (JSON receipt options),
// BENCH_LIB_DIR (which build). Example: LAT=20 node bench/diag-requests.mjs
import dc from 'node:diagnostics_channel';
import { startEmulatorProcess } from './emulator-client.mjs';
import { runOurs } from './contenders.mjs';
const asked = new Map(); let deletes = 0, delHandles = 0, connects = 0;
dc.subscribe('undici:client:connected', () => connects++);
dc.subscribe('undici:request:create', ({ request }) => {
  const m = /numOfMessages=(\d+)/.exec(request.path);
  if (m && request.path.includes('SmsReport')) asked.set(m[1], (asked.get(m[1]) ?? 0) + 1);
  if (request.method === 'DELETE') { deletes++; }
});
const emu = await startEmulatorProcess();
const N = Number(process.env.N ?? 3000);
const coords = await emu.call('start', { mnsLatencyMs: Number(process.env.LAT ?? 0) });
await emu.call('preload', { count: N });
const r = await runOurs({ coords, count: N, receipts: process.env.RECEIPTS ? JSON.parse(process.env.RECEIPTS) : undefined });
console.log((N / r.elapsedMs * 1000).toFixed(0), '/s', { connects, deletes, handlesPerDelete: (N / deletes).toFixed(1), receivesByAsked: Object.fromEntries([...asked].sort((a, b) => b[1] - a[1])) });
await emu.close();
