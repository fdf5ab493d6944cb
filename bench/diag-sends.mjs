// Diagnostic (not a benchmark): where the CPU of a send goes. Same emulator process and load as
// bench/sends.mjs, with HTTP clients of decreasing weight. Env: N, C, LAT, VARIANTS.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import { startEmulatorProcess } from './emulator-client.mjs';
import { lib } from './contenders.mjs';
import { cpuMicros, percentile } from './stats.mjs';
const { signRpcParameters } = await import(new URL(`../${process.env.BENCH_LIB_DIR ?? 'dist'}/rpc/pop-signature.js`, import.meta.url).href);
const { Module } = await import('@nestjs/common');
const { NestFactory } = await import('@nestjs/core');

const N = Number(process.env.N ?? 2000), C = Number(process.env.C ?? 64), LAT = Number(process.env.LAT ?? 20);
const emu = await startEmulatorProcess();

function body(coords, i) {
  const p = { Action: 'SendSms', Version: '2017-05-25', Format: 'JSON', AccessKeyId: coords.credentials.accessKeyId, SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0', SignatureNonce: randomUUID(), Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), PhoneNumbers: `138${String(i).padStart(8, '0')}`, SignName: 'S', TemplateCode: 'SMS_1', TemplateParam: JSON.stringify({ code: String(i) }) };
  return signRpcParameters('POST', p, coords.credentials.accessKeySecret).encoded;
}
const headers = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
const variants = {
  async undiciRequest(coords) {
    const agent = new Agent({ keepAliveTimeout: 4000 });
    return { send: async (i) => { const r = await agent.request({ origin: coords.url, path: '/', method: 'POST', headers, body: body(coords, i) }); JSON.parse(await r.body.text()); }, close: () => agent.close() };
  },
  async undiciDispatch(coords) {
    const agent = new Agent({ keepAliveTimeout: 4000 });
    const send = (i) => new Promise((resolve, reject) => {
      const chunks = [];
      agent.dispatch({ origin: coords.url, path: '/', method: 'POST', headers, body: body(coords, i) }, {
        onConnect() {}, onHeaders() { return true; }, onData(c) { chunks.push(c); return true; },
        onComplete() { try { resolve(JSON.parse(Buffer.concat(chunks).toString())); } catch (e) { reject(e); } }, onError: reject,
      });
    });
    return { send, close: () => agent.close() };
  },
  async nodeHttp(coords) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1000 });
    const u = new URL(coords.url);
    const send = (i) => new Promise((resolve, reject) => {
      const b = body(coords, i);
      const req = http.request({ host: u.hostname, port: u.port, path: '/', method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(b) } }, (res) => {
        const chunks = []; res.on('data', (c) => chunks.push(c)); res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
      });
      req.on('error', reject); req.end(b);
    });
    return { send, close: async () => agent.destroy() };
  },
  async ours(coords) {
    class M {}
    Module({ imports: [lib.AlicomSmsModule.forRoot({ ...coords.credentials, endpoints: coords.endpoints })] })(M);
    const app = await NestFactory.createApplicationContext(M, { logger: ['error', 'warn'] });
    await app.init();
    const sms = app.get(lib.SmsService);
    return { send: (i) => sms.sendSms({ phoneNumbers: `138${String(i).padStart(8, '0')}`, signName: 'S', templateCode: 'SMS_1', templateParam: { code: String(i) } }), close: () => app.close() };
  },
};
async function once(name, n, c) {
  const coords = await emu.call('start', { rpcLatencyMs: LAT, reports: false });
  const s = await variants[name](coords);
  await s.send(0);
  const lat = new Float64Array(n); let next = 0;
  const e0 = await emu.call('cpu'); const c0 = process.cpuUsage(); const t0 = performance.now();
  await Promise.all(Array.from({ length: c }, async () => { while (next < n) { const i = next++; const st = performance.now(); await s.send(i + 1); lat[i] = performance.now() - st; } }));
  const wall = performance.now() - t0; const cpu = process.cpuUsage(c0); const e1 = await emu.call('cpu');
  await s.close();
  const ov = Array.from(lat, (l) => l - LAT);
  return `${name.padEnd(15)} c=${String(c).padStart(2)} ${(n / wall * 1000).toFixed(0).padStart(5)}/s client ${(cpuMicros(cpu) / n).toFixed(0).padStart(4)} µs emu ${((cpuMicros(e1.cpu) - cpuMicros(e0.cpu)) / n).toFixed(0).padStart(4)} µs  p50 ${percentile(ov, 50).toFixed(2)} p99 ${percentile(ov, 99).toFixed(2)} ms`;
}
const names = (process.env.VARIANTS ?? Object.keys(variants).join(',')).split(',');
for (const n of names) await once(n, 200, C);
for (let r = 0; r < Number(process.env.RUNS ?? 2); r++) for (const n of names) { console.log(await once(n, N, C)); console.log(await once(n, Math.round(N / 8), 1)); }
await emu.close();
