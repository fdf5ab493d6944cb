// The three receipt consumers measured against the same emulator:
//   ours      the module's SmsReceiptListener (defaults) inside a Nest application context, with a
//             no-op @OnSmsReport() handler;
//   official  @alicloud/sms-sdk@1.1.6 as its README uses it: receiveMsg(0, prefix, wait, true)
//             (receive one, delete it, return it) + Base64 + JSON.parse, in `loops` concurrent loops;
//   bare      the ceiling: raw undici + a minimal MNS signer doing nothing but BatchReceiveMessage(16)
//             + BatchDeleteMessage of the handles (no decoding), in `loops` concurrent loops.
import { createHash, createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import { loadLib, loadLibFrom } from './lib.mjs';
import { sleep } from './stats.mjs';

const require = createRequire(import.meta.url);
const SMSClient = require('@alicloud/sms-sdk');
const defaultLib = await loadLib();
const { Injectable, Module } = await import('@nestjs/common');
const { NestFactory } = await import('@nestjs/core');

let sink = 0;

const handlerClasses = new WeakMap();

/**
 * A provider with a no-op @OnSmsReport() handler (decorators applied by hand: this is plain JS).
 * One class per library build, reused by every app as a real application's handler class is: a
 * new class per run would make V8 drop the pipeline's optimized code for the handler call.
 */
function noopReportHandler(lib) {
  if (handlerClasses.has(lib)) return handlerClasses.get(lib);
  class NoopReportHandler {
    onReport(report) {
      sink ^= report.phoneNumber.length;
    }
  }
  Injectable()(NoopReportHandler);
  lib.OnSmsReport()(NoopReportHandler.prototype, 'onReport', Object.getOwnPropertyDescriptor(NoopReportHandler.prototype, 'onReport'));
  handlerClasses.set(lib, NoopReportHandler);
  return NoopReportHandler;
}

/** A Nest application context with the module configured the README way, pointed at the emulator. */
export async function createOursApp(coords, receipts = {}, lib = defaultLib, moduleOptions = {}) {
  const NoopReportHandler = noopReportHandler(lib);
  class BenchModule {}
  Module({
    imports: [
      lib.AlicomSmsModule.forRoot({
        ...coords.credentials,
        endpoints: coords.endpoints,
        receipts: { queuePrefix: coords.queuePrefix, autoStart: false, ...receipts },
        ...moduleOptions,
      }),
    ],
    providers: [NoopReportHandler],
  })(BenchModule);
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: ['error', 'warn'] });
  await app.init();
  return app;
}

/**
 * Ours: starts the listener and waits until `count` messages were deleted. Wall time and this
 * process's CPU are taken from start() to the last delete (app creation excluded, the first token
 * fetch included — the official SDK fetches its token inside the timed part too).
 */
export async function runOurs({ coords, count, receipts, lib = defaultLib }) {
  const app = await createOursApp(coords, receipts, lib);
  const listener = app.get(lib.SmsReceiptListener);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await listener.start();
  while (listener.health().deleted < count) await sleep(2);
  const elapsedMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const health = listener.health();
  await app.close();
  return { received: health.deleted, handled: health.handled, elapsedMs, cpu };
}

function officialClient(coords) {
  return new SMSClient({
    accessKeyId: coords.credentials.accessKeyId,
    secretAccessKey: coords.credentials.accessKeySecret,
    smsApiEndpoint: coords.endpoints.sms,
    baseApiEndpoint: coords.endpoints.token,
    // Spread over the SDK's MNS options; @alicloud/mns >= 1.2 honours a custom endpoint.
    mnsVpc: { endpoint: coords.endpoints.mns },
  });
}

/**
 * The official SDK, `loops` concurrent loops of receiveMsg(0, prefix, waitSeconds, true). Stops at
 * `count` messages or at `capMs` (its rate is steady from the first message on, so a capped run
 * measures the same rate in less time). Rate = messages / time of the last one.
 */
export async function runOfficial({ coords, count, loops = 1, capMs = Infinity, waitSeconds = 1 }) {
  const client = officialClient(coords);
  let done = 0;
  let lastAt = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const deadline = t0 + capMs;
  let cpuAtLast;
  const loop = async () => {
    while (done < count && performance.now() < deadline) {
      let res;
      try {
        res = await client.receiveMsg(0, coords.queuePrefix, waitSeconds, true);
      } catch (error) {
        if (error?.name === 'MNSMessageNotExistError') continue; // "queue empty" is an exception
        throw error;
      }
      if (res.code !== 200 || done >= count) continue;
      // The README: "消息体需要base64解码" — the caller decodes the body itself.
      const report = JSON.parse(Buffer.from(res.body.MessageBody, 'base64').toString('utf8'));
      sink ^= report.phone_number.length;
      done++;
      lastAt = performance.now();
      if (done === count || lastAt >= deadline) cpuAtLast = process.cpuUsage(cpu0);
    }
  };
  await Promise.all(Array.from({ length: loops }, loop));
  return { received: done, elapsedMs: lastAt - t0, cpu: cpuAtLast ?? process.cpuUsage(cpu0) };
}

// ---- bare ceiling client -------------------------------------------------------------------

function signMns(method, resource, key, { body } = {}) {
  const date = new Date().toUTCString();
  let md5 = '';
  let type = '';
  const headers = { date, 'x-mns-version': '2015-06-06' };
  if (body) {
    md5 = Buffer.from(createHash('md5').update(body).digest('hex')).toString('base64');
    type = 'text/xml';
    headers['content-md5'] = md5;
    headers['content-type'] = type;
  }
  const toSign = `${method}\n${md5}\n${type}\n${date}\nx-mns-version:2015-06-06\n${resource}`;
  headers.authorization = `MNS ${key.accessKeyId}:${createHmac('sha1', key.accessKeySecret).update(toSign).digest('base64')}`;
  return headers;
}

const HANDLE = /<ReceiptHandle>([^<]*)<\/ReceiptHandle>/g;

/** Bare client: `loops` × (BatchReceive 16 → BatchDelete those handles), nothing else. */
export async function runBare({ coords, count, loops = 2, capMs = Infinity }) {
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  const origin = coords.endpoints.mns;
  const path = `/queues/${coords.queues.SmsReport}/messages`;
  let done = 0;
  let lastAt = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const deadline = t0 + capMs;
  const loop = async () => {
    while (done < count && performance.now() < deadline) {
      const resource = `${path}?numOfMessages=16&waitseconds=1`;
      const res = await agent.request({ origin, path: resource, method: 'GET', headers: signMns('GET', resource, coords.bareKey) });
      const xml = await res.body.text();
      if (res.statusCode !== 200) continue;
      let body = '<?xml version="1.0" encoding="UTF-8"?><ReceiptHandles xmlns="http://mns.aliyuncs.com/doc/v1/">';
      let n = 0;
      for (const m of xml.matchAll(HANDLE)) {
        body += `<ReceiptHandle>${m[1]}</ReceiptHandle>`;
        n++;
      }
      body += '</ReceiptHandles>';
      const del = await agent.request({ origin, path, method: 'DELETE', headers: signMns('DELETE', path, coords.bareKey, { body }), body, reset: false });
      await del.body.text();
      if (del.statusCode !== 204) throw new Error(`bare BatchDelete answered ${del.statusCode}`);
      done += n;
      lastAt = performance.now();
    }
  };
  await Promise.all(Array.from({ length: loops }, loop));
  const cpu = process.cpuUsage(cpu0);
  await agent.close();
  return { received: done, elapsedMs: lastAt - t0, cpu };
}

export { defaultLib as lib, SMSClient, officialClient, loadLibFrom };
export function sinkValue() {
  return sink;
}
