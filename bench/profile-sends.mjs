// Ours only, SendSms at concurrency 64, for `node --cpu-prof`.
import { startEmulatorProcess } from './emulator-client.mjs';
import { lib } from './contenders.mjs';
const { Module } = await import('@nestjs/common');
const { NestFactory } = await import('@nestjs/core');
const emu = await startEmulatorProcess();
const coords = await emu.call('start', { rpcLatencyMs: 20, reports: false });
class SendModule {}
Module({ imports: [lib.AlicomSmsModule.forRoot({ ...coords.credentials, endpoints: coords.endpoints })] })(SendModule);
const app = await NestFactory.createApplicationContext(SendModule, { logger: ['error', 'warn'] });
await app.init();
const sms = app.get(lib.SmsService);
const n = Number(process.env.N ?? 3000);
let next = 0;
const e0 = await emu.call('cpu'); const c0 = process.cpuUsage(); const t0 = performance.now();
await Promise.all(Array.from({ length: 64 }, async () => { while (next < n) { const i = next++; await sms.sendSms({ phoneNumbers: `138${String(i).padStart(8, '0')}`, signName: 'S', templateCode: 'SMS_1', templateParam: { code: String(i) } }); } }));
const wall = performance.now() - t0; const c = process.cpuUsage(c0); const e1 = await emu.call('cpu');
console.log(`${(n / wall * 1000).toFixed(0)}/s client ${((c.user + c.system) / n).toFixed(0)} µs/send, emulator ${((e1.cpu.user + e1.cpu.system - e0.cpu.user - e0.cpu.system) / n).toFixed(0)} µs/send`);
await app.close(); await emu.close();
