// The emulator in its own process, so its CPU is billed to neither client. Driven over IPC by
// bench/emulator-client.mjs: { id, cmd, ...args } → { id, result } | { id, error }.
//
// Commands:
//   start { rpcLatencyMs, mnsLatencyMs, reports }  (re)starts a fresh emulator on a new port;
//          reports=false makes sends produce no SmsReport message. Returns its coordinates.
//   preload { count, from }     enqueues `count` SmsReport messages (distinct biz ids from `from`).
//   latency { rpcMs, mnsMs }    changes the injected latencies.
//   stats                       the SmsReport queue's counters.
//   drained { timeoutMs }       resolves when the SmsReport queue is empty (nothing visible/in flight).
//   sends                       how many sends the emulator accepted.
//   rpcTimings                  [RequestId, answeredAfterMs] of every answered SendSms.
//   cpu                         this process's cpuUsage() and memoryUsage().
//   stop                        closes the emulator.
import { loadTesting } from './lib.mjs';

const { AlicomEmulator } = await loadTesting();

/** Long-term MNS key for the bare ceiling client (no STS token round trip). */
export const BARE_KEY_ID = 'BenchBareKeyId';
export const BARE_KEY_SECRET = 'bench-bare-secret';

let emulator;

function smsReport(i) {
  // The shape Alicom sends (PROTOCOL.md §5.3); ~300 bytes of JSON, ~400 of Base64.
  return {
    phone_number: `139${String(10000000 + (i % 90000000)).padStart(8, '0')}`,
    send_time: '2024-06-01 16:30:15',
    report_time: '2024-06-01 16:30:18',
    success: true,
    err_code: 'DELIVERED',
    err_msg: '用户接收成功',
    sms_size: '1',
    biz_id: `${String(900000000000000 + i)}^0`,
    out_id: `order-${i}`,
  };
}

const commands = {
  async start({ rpcLatencyMs = 0, mnsLatencyMs = 0, reports = true } = {}) {
    if (emulator) await emulator.close();
    emulator = await AlicomEmulator.start({
      latencyMs: rpcLatencyMs,
      // Long enough that nothing is redelivered while a slow contender is still working.
      mns: { visibilityTimeoutSeconds: 600, accessKeys: { [BARE_KEY_ID]: BARE_KEY_SECRET }, faults: { latencyMs: mnsLatencyMs } },
      delivery: () => ({ success: true, report: reports }),
    });
    return {
      url: emulator.url,
      endpoints: emulator.endpoints,
      credentials: emulator.credentials,
      queuePrefix: emulator.queuePrefix,
      queues: emulator.queues,
      bareKey: { accessKeyId: BARE_KEY_ID, accessKeySecret: BARE_KEY_SECRET },
    };
  },
  preload({ count, from = 0 }) {
    for (let i = 0; i < count; i++) emulator.mns.enqueueJson(emulator.queues.SmsReport, smsReport(from + i));
    return emulator.mns.stats(emulator.queues.SmsReport);
  },
  latency({ rpcMs, mnsMs }) {
    if (rpcMs !== undefined) emulator.latencyMs = rpcMs;
    if (mnsMs !== undefined) emulator.mns.faults.latencyMs = mnsMs;
    return true;
  },
  stats() {
    return emulator.mns.stats(emulator.queues.SmsReport);
  },
  async drained({ timeoutMs = 30_000 } = {}) {
    await emulator.mns.whenDrained(emulator.queues.SmsReport, timeoutMs);
    return emulator.mns.stats(emulator.queues.SmsReport);
  },
  sends() {
    return emulator.sends.length;
  },
  /** [RequestId, ms the emulator took to answer (injected latency included)] of every answered SendSms. */
  rpcTimings() {
    return emulator.rpcRequests.filter((r) => r.action === 'SendSms' && r.requestId !== undefined).map((r) => [r.requestId, r.answeredAfterMs]);
  },
  cpu() {
    return { cpu: process.cpuUsage(), memory: process.memoryUsage() };
  },
  async stop() {
    if (emulator) await emulator.close();
    emulator = undefined;
    return true;
  },
};

process.on('message', async ({ id, cmd, args }) => {
  try {
    const fn = commands[cmd];
    if (!fn) throw new Error(`unknown command ${cmd}`);
    process.send({ id, result: await fn(args ?? {}) });
  } catch (error) {
    process.send({ id, error: String(error?.stack ?? error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
