// util.inspect (depth 50, showHidden) of every injectable the module exports and of the options token shows no
// secret while receipts are polled and a send is in flight; the options token holds its secrets
// redacted. See test/support/secret-inspection.ts.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { inspect } from 'node:util';
import { ALICOM_SMS_MODULE_OPTIONS, RedactedSecret, SmsReceiptListener, SmsService } from '../lib/index.js';
import { describeInspection } from './support/secret-inspection.js';

describeInspection(['SmsService', 'SmsReceiptListener', 'CompensationSweeper', 'SmsPushReceiver', 'AlicomSmsClock', 'ALICOM_SMS_MODULE_OPTIONS'], (harness) => {
  it('hands out the options with the secrets as RedactedSecret holders', () => {
    const h = harness();
    const stored = h.moduleRef.get<Record<string, unknown>>(ALICOM_SMS_MODULE_OPTIONS);
    assert.ok(stored.accessKeySecret instanceof RedactedSecret);
    assert.ok(stored.securityToken instanceof RedactedSecret);
    assert.ok((stored.push as { secret: unknown }).secret instanceof RedactedSecret);
    assert.equal(String(stored.accessKeySecret), '<redacted>');
    assert.equal(`${String(stored.securityToken)}`, '<redacted>');
    assert.ok(!JSON.stringify(stored).includes(h.emulator.credentials.accessKeySecret));
    assert.equal(stored.accessKeyId, h.emulator.credentials.accessKeyId, 'the rest is as given');
    assert.deepEqual(stored.endpoints, h.emulator.endpoints);
  });

  it('prints a short summary of each service instead of walking into Nest and the HTTP pool', () => {
    const h = harness();
    const service = inspect(h.moduleRef.get(SmsService), { depth: 50, showHidden: true });
    assert.equal(service, `SmsService { endpoint: '${h.emulator.endpoints.sms}' }`);
    const listener = inspect(h.moduleRef.get(SmsReceiptListener), { depth: 50, showHidden: true });
    assert.ok(listener.startsWith('SmsReceiptListener {') && listener.length < 400, listener);
    for (const queue of Object.values(h.emulator.queues)) assert.ok(listener.includes(queue), `${queue} in ${listener}`);
  });
});
