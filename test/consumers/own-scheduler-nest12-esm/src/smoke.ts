// Boots the built app (NestFactory application context, configuration from the environment)
// against the emulator from nestjs-alicom-sms/testing: sends an SMS, waits for its report in the
// app's @OnSmsReport() handler, and checks that the app's SchedulerRegistry shows its own job
// and the library's compensation sweep.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NestFactory } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import { COMPENSATION_SWEEP_JOB } from 'nestjs-alicom-sms';
import { AlicomEmulator } from 'nestjs-alicom-sms/testing';
import { AppModule } from './app.module.js';
import { VerificationService } from './verification.service.js';

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const emulator = await AlicomEmulator.start();
Object.assign(process.env, {
  ALICOM_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
  ALICOM_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret,
  ALICOM_SMS_ENDPOINT: emulator.endpoints.sms,
  ALICOM_TOKEN_ENDPOINT: emulator.endpoints.token,
  ALICOM_MNS_ENDPOINT: emulator.endpoints.mns,
  ALICOM_QUEUE_PREFIX: emulator.queuePrefix,
});
const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
try {
  const verification = app.get(VerificationService);
  const { bizId } = await verification.sendCode('13800138000');
  assert.equal(emulator.findSends({ bizId }).length, 1, 'the send reached the emulator');
  const report = await waitFor('the report in the app handler', () => verification.reportFor(bizId));
  assert.equal(report.success, true);

  const intervals = app.get(SchedulerRegistry).getIntervals();
  assert.deepEqual([...intervals].sort(), [COMPENSATION_SWEEP_JOB, 'user-ticker'].sort());
  const copies = (globalThis as Record<symbol, unknown>)[Symbol.for('nestjs-alicom-sms.loaded-copies')];
  assert.deepEqual(copies, [{ format: 'esm', path: dirname(fileURLToPath(import.meta.resolve('nestjs-alicom-sms'))) }]);
  console.log(`smoke: sent ${bizId} through the emulator, report received by the app; intervals: ${intervals.join(', ')}`);
} finally {
  await app.close();
  await emulator.close();
}
