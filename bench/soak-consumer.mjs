// One consumer process of the soak (bench/soak.mjs): a Nest application context with the module's
// receipt listener pointed at the parent's emulator, shut down by SIGTERM through Nest's shutdown
// hooks. Every receipt its handler finished is appended, synchronously, to SOAK_OUT as
// `bizId/phone` — written before the handler resolves, so a line exists for everything the
// module may then delete. A deterministic share of receipts fails on its first attempt here.
import { appendFileSync } from 'node:fs';
import { loadLib } from './lib.mjs';

const lib = await loadLib();
const { Injectable, Module } = await import('@nestjs/common');
const { NestFactory } = await import('@nestjs/core');

const coords = JSON.parse(process.env.SOAK_COORDS);
const out = process.env.SOAK_OUT;
const failEvery = Number(process.env.SOAK_FAIL_EVERY ?? 50);
const failedOnce = new Set();
let handled = 0;

/** Fails the first attempt of one receipt in `failEvery` (by its number), succeeds afterwards. */
function shouldFail(report) {
  const n = Number(report.bizId.split('^')[0]);
  return n % failEvery === 0 && !failedOnce.has(report.bizId);
}

class SoakHandler {
  async onReport(report) {
    // A little asynchronous work, so handlers are in flight when SIGTERM comes.
    await new Promise((resolve) => setImmediate(resolve));
    if (shouldFail(report)) {
      failedOnce.add(report.bizId);
      throw new Error(`soak: first attempt of ${report.bizId} fails on purpose`);
    }
    appendFileSync(out, `${report.bizId}/${report.phoneNumber}\n`);
    handled++;
    if (handled % 250 === 0) process.send?.({ type: 'progress', handled });
  }
}
Injectable()(SoakHandler);
lib.OnSmsReport()(SoakHandler.prototype, 'onReport', Object.getOwnPropertyDescriptor(SoakHandler.prototype, 'onReport'));

class SoakModule {}
Module({
  imports: [
    lib.AlicomSmsModule.forRoot({
      ...coords.credentials,
      endpoints: coords.endpoints,
      receipts: {
        queuePrefix: coords.queuePrefix,
        types: ['SmsReport'],
        retryBackoffSeconds: 1,
        maxRetryBackoffSeconds: 4,
        shutdownTimeoutMs: 10_000,
      },
      compensation: false,
    }),
  ],
  providers: [SoakHandler],
})(SoakModule);

const app = await NestFactory.createApplicationContext(SoakModule, { logger: ['error', 'warn'] });
app.enableShutdownHooks(['SIGTERM']);
await app.init();
process.send?.({ type: 'ready' });
