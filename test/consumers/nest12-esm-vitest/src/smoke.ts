// Boots the built app as main.ts does (NestFactory, configuration from the environment) against
// the emulator from nestjs-alicom-sms/testing: sends a verification code over HTTP and waits for
// its delivery report to reach the app's @OnSmsReport() handler.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NestFactory } from '@nestjs/core';
import { AlicomEmulator } from 'nestjs-alicom-sms/testing';
import { AppModule } from './app.module.js';

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const duplicateWarnings: string[] = [];
process.on('warning', (warning) => {
  if ((warning as { code?: string }).code === 'ALICOM_SMS_DUPLICATE_PACKAGE') duplicateWarnings.push(warning.message);
});

const emulator = await AlicomEmulator.start();
// AppModule reads its configuration (forRootAsync) when the app starts.
Object.assign(process.env, {
  ALICOM_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
  ALICOM_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret,
  ALICOM_SMS_ENDPOINT: emulator.endpoints.sms,
  ALICOM_TOKEN_ENDPOINT: emulator.endpoints.token,
  ALICOM_MNS_ENDPOINT: emulator.endpoints.mns,
  ALICOM_QUEUE_PREFIX: emulator.queuePrefix,
});
const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
try {
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const sent = await fetch(`${url}/verification`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phoneNumber: '13800138000' }),
  });
  assert.equal(sent.status, 201, await sent.clone().text());
  const { bizId } = (await sent.json()) as { bizId: string };
  assert.equal(emulator.findSends({ bizId }).length, 1, 'the send reached the emulator');
  const report = await waitFor('the report in the app handler', async () => {
    const response = await fetch(`${url}/verification/${encodeURIComponent(bizId)}/report`);
    return response.status === 200 ? ((await response.json()) as { success: boolean }) : undefined;
  });
  assert.equal(report.success, true);

  const copies = (globalThis as Record<symbol, unknown>)[Symbol.for('nestjs-alicom-sms.loaded-copies')];
  const esmBuild = dirname(fileURLToPath(import.meta.resolve('nestjs-alicom-sms')));
  assert.deepEqual(copies, [{ format: 'esm', path: esmBuild }]);
  console.log(`smoke: sent ${bizId} through the emulator, report received by the app; one copy loaded: ${JSON.stringify(copies)}`);
} finally {
  await app.close();
  await emulator.close();
}
assert.deepEqual(duplicateWarnings, []);
