import assert from 'node:assert/strict';
import { AlicomEmulator } from 'nestjs-alicom-sms/testing';

/** Alibaba's HTTP batch push aimed at your app's receiver, its schedule compressed for tests. */
export async function startPushingAlibaba(receiverUrl: string): Promise<AlicomEmulator> {
  return AlicomEmulator.start({
    push: {
      url: receiverUrl, // may carry a secret in its path or query: the emulator never logs it
      types: ['SmsReport', 'SmsUp'], // pushed types skip their MNS queues; or urls: { SmsReport, SmsUp }
      timeoutMs: 200, // Alibaba: 700 ms
      retryDelaysMs: [50, 100], // Alibaba: 1, 5 and 10 minutes, then the receipt is dropped
    },
  });
}

export async function checkWhatWasPushed(emulator: AlicomEmulator): Promise<void> {
  await emulator.push.whenSettled(); // nothing gathering, in flight or waiting for a retry
  assert.ok(emulator.push.attempts.every((attempt) => attempt.received)); // HTTP 200 {"code":0}
  await emulator.push.sendMalformed('SmsReport', 'not-json'); // or not-array, bad-items, oversized
  await emulator.push.resendRequest(1); // the same request again, as after a lost answer
}
