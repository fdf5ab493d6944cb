// Soak: 10,000 SmsReport receipts (plus malformed bodies) through the fault mix — MNS 5xx, socket
// resets, duplicate deliveries, 5 s queue tokens, handlers failing on a first attempt — consumed by
// one process that gets SIGTERM part-way, then by a second one. Not part of `npm test`:
//
//   npm run build && node bench/soak.mjs            # SOAK_COUNT, SOAK_SEED, SOAK_RESTART_AT to vary
//
// Reports: lost (never handled by either process), handled twice in one process, handled in both
// processes (at-least-once across a restart), queue empty at the end, and shutdown times. Lost
// and handled-twice-in-one-process must be 0 (the script exits 1 otherwise). Results go to
// bench/results/soak.json.
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTesting, libSource } from './lib.mjs';
import { machine } from './stats.mjs';

const count = Number(process.env.SOAK_COUNT ?? 10_000);
const malformedCount = Number(process.env.SOAK_MALFORMED ?? 60);
const seed = Number(process.env.SOAK_SEED ?? 7);
const restartAt = Number(process.env.SOAK_RESTART_AT ?? 0.4);
const faults = { errorRate: 0.05, resetRate: 0.03, duplicateRate: 0.05 };

const { AlicomEmulator } = await loadTesting();
const consumerScript = fileURLToPath(new URL('./soak-consumer.mjs', import.meta.url));
const workDir = mkdtempSync(join(tmpdir(), 'alicom-soak-'));

const emulator = await AlicomEmulator.start({
  mns: { seed, tokenLifetimeMs: 5_000, visibilityTimeoutSeconds: 10, faults },
});
const queue = emulator.queues.SmsReport;
const coords = { credentials: emulator.credentials, endpoints: emulator.endpoints, queuePrefix: emulator.queuePrefix };

const expected = new Set();
for (let i = 1; i <= count; i++) {
  const bizId = `${900000000000 + i}^0`;
  const phone = `139${String(10000000 + i).padStart(8, '0')}`;
  expected.add(`${bizId}/${phone}`);
  emulator.mns.enqueueJson(queue, {
    phone_number: phone,
    send_time: '2026-11-24 10:00:00',
    report_time: '2026-11-24 10:00:05',
    success: i % 10 !== 0,
    err_code: i % 10 !== 0 ? 'DELIVERED' : 'MK:0001',
    err_msg: i % 10 !== 0 ? '用户接收成功' : '空号',
    sms_size: '1',
    biz_id: bizId,
    out_id: `order-${i}`,
  });
}
const malformed = [
  (i) => emulator.mns.enqueueRaw(queue, `not base64 at all !! ${i}`),
  (i) => emulator.mns.enqueueRaw(queue, Buffer.from(`{"phone_number": ${i}`).toString('base64')),
  (i) => emulator.mns.enqueueRaw(queue, Buffer.from('{}').toString('base64'), { md5: '00000000000000000000000000000000' }),
  (i) => emulator.mns.enqueueJson(queue, { phone_number: '13900000000', biz_id: `bad-time-${i}^0`, send_time: '2026-11-24 10:61:99', report_time: '0099-06-15 10:00:00', success: true }),
];
for (let i = 0; i < malformedCount; i++) malformed[i % malformed.length](i);

function startConsumer(name) {
  const out = join(workDir, `${name}.handled`);
  writeFileSync(out, '');
  // The consumer's own log (handler failures on purpose, fault warnings) goes to a file.
  const log = openSync(join(workDir, `${name}.log`), 'w');
  const child = fork(consumerScript, [], {
    env: { ...process.env, SOAK_COORDS: JSON.stringify(coords), SOAK_OUT: out },
    stdio: ['ignore', log, log, 'ipc'],
  });
  const consumer = { name, child, out, handled: 0, exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))) };
  child.on('message', (message) => {
    if (message.type !== 'progress') return;
    consumer.handled = message.handled;
    if (process.env.SOAK_TRACE) console.log(`${name} ${message.handled} at ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });
  consumer.ready = new Promise((resolve) => child.on('message', (message) => message.type === 'ready' && resolve()));
  return consumer;
}

async function sigterm(consumer) {
  const sentAt = performance.now();
  consumer.child.kill('SIGTERM');
  const exit = await consumer.exited;
  return { ms: Math.round(performance.now() - sentAt), ...exit };
}

function handledBy(consumer) {
  const lines = readFileSync(consumer.out, 'utf8').split('\n').filter(Boolean);
  const counts = new Map();
  for (const key of lines) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

const until = async (condition, what, timeoutMs) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`soak: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

const started = performance.now();
const first = startConsumer('first');
await first.ready;
await until(() => first.handled >= count * restartAt, `${Math.round(count * restartAt)} receipts in the first process`, 300_000);
const restartedAtMs = Math.round(performance.now() - started);
const firstShutdown = await sigterm(first);

const second = startConsumer('second');
await second.ready;
const union = () => {
  const all = new Set([...handledBy(first).keys(), ...handledBy(second).keys()]);
  return [...expected].filter((key) => all.has(key)).length;
};
let drained = true;
let allHandledAtMs;
try {
  await until(() => union() === count, 'every receipt handled', 600_000);
  allHandledAtMs = Math.round(performance.now() - started);
  // Malformed bodies, redeliveries of failed deletes and duplicates still to be cleared.
  await emulator.mns.whenDrained(queue, 120_000);
} catch (error) {
  drained = false;
  console.error(String(error));
}
const elapsedMs = Math.round(performance.now() - started);
const secondShutdown = await sigterm(second);

const byFirst = handledBy(first);
const bySecond = handledBy(second);
const stats = emulator.mns.stats(queue);
const lost = [...expected].filter((key) => !byFirst.has(key) && !bySecond.has(key));
const twiceInOne = [...byFirst, ...bySecond].filter(([, n]) => n > 1).map(([key]) => key);
const inBoth = [...byFirst.keys()].filter((key) => bySecond.has(key));
// Why a receipt reached both processes: the emulator enqueued a copy of its message (duplicateRate:
// the second process has no memory of the first's de-duplication), or the same message came back.
const keyOf = (body) => {
  try {
    const json = JSON.parse(Buffer.from(body, 'base64').toString('utf8'));
    return `${json.biz_id}/${json.phone_number}`;
  } catch {
    return undefined;
  }
};
const copies = new Map();
for (const message of emulator.mns.messages(queue)) {
  const key = keyOf(message.messageBody);
  if (key) copies.set(key, (copies.get(key) ?? 0) + 1);
}
const inBothAsCopies = inBoth.filter((key) => (copies.get(key) ?? 0) > 1).length;
const results = {
  scenario: 'soak',
  lib: libSource(),
  machine: machine(),
  count,
  malformed: malformedCount,
  faults: { ...faults, tokenLifetimeMs: 5_000, visibilityTimeoutSeconds: 10, handlerFirstAttemptFailures: '1 in 50', seed },
  restartAfter: `${Math.round(restartAt * 100)} % handled by the first process`,
  lost: lost.length,
  handledTwiceInOneProcess: twiceInOne.length,
  handledInBothProcesses: inBoth.length,
  handledInBothProcessesFromInjectedCopies: inBothAsCopies,
  handledByFirst: byFirst.size,
  handledBySecond: bySecond.size,
  queueEmpty: drained && stats.visible + stats.inFlight + stats.delayed === 0,
  queue: stats,
  shutdownMs: { first: firstShutdown, second: secondShutdown },
  timeline: { restartedAtMs, allHandledAtMs, queueEmptyAtMs: elapsedMs },
  consumerLogs: workDir,
};
await emulator.close();

const outDir = fileURLToPath(new URL('./results/', import.meta.url));
if (!existsSync(outDir)) mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'soak.json'), JSON.stringify(results, null, 2) + '\n');
console.log(
  [
    `soak: ${count} receipts + ${malformedCount} malformed bodies, faults ${JSON.stringify(faults)}, 5 s queue tokens, 1 in 50 handlers failing once, SIGTERM after ${results.restartAfter}`,
    `  lost                         ${results.lost}`,
    `  handled twice in one process ${results.handledTwiceInOneProcess}`,
    `  handled in both processes    ${results.handledInBothProcesses}  (${inBothAsCopies} of them had an injected copy; first ${results.handledByFirst}, second ${results.handledBySecond})`,
    `  queue empty                  ${results.queueEmpty}  (enqueued ${stats.enqueued}, received ${stats.received}, deleted ${stats.deleted}, duplicated ${stats.duplicated})`,
    `  shutdown                     first ${firstShutdown.ms} ms (${firstShutdown.signal ?? firstShutdown.code}), second ${secondShutdown.ms} ms`,
    `  timeline                     SIGTERM at ${(restartedAtMs / 1000).toFixed(1)} s, all handled at ${((allHandledAtMs ?? NaN) / 1000).toFixed(1)} s, queue empty at ${(elapsedMs / 1000).toFixed(1)} s`,
    `  consumer logs                ${workDir}`,
  ].join('\n'),
);
if (results.lost !== 0 || results.handledTwiceInOneProcess !== 0 || !results.queueEmpty) process.exit(1);
