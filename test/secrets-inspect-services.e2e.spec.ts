// util.inspect (depth 50, showHidden) of the module's injectables shows no secret while receipts
// are polled and a send is in flight; the options token holds its secrets redacted. See
// test/support/secret-inspection.ts.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ALICOM_SMS_MODULE_OPTIONS, RedactedSecret } from '../lib/index.js';
import { closeHarness, forRootHarness, inspectTargets, type Harness } from './support/secret-inspection.js';

describe('secrets and util.inspect: SmsService, SmsReceiptListener, AlicomSmsClock, the options token (forRoot)', () => {
  let h: Harness;
  before(async () => {
    h = await forRootHarness();
  });
  after(() => closeHarness(h));

  it('shows no secret in SmsService, SmsReceiptListener, AlicomSmsClock or the options token', async () => {
    await inspectTargets(h, ['SmsService', 'SmsReceiptListener', 'AlicomSmsClock', 'ALICOM_SMS_MODULE_OPTIONS']);
  });

  it('hands out the options with the secrets as RedactedSecret holders', () => {
    const stored = h.moduleRef.get<Record<string, unknown>>(ALICOM_SMS_MODULE_OPTIONS);
    assert.ok(stored.accessKeySecret instanceof RedactedSecret);
    assert.ok(stored.securityToken instanceof RedactedSecret);
    assert.equal(String(stored.accessKeySecret), '<redacted>');
    assert.equal(`${String(stored.securityToken)}`, "<redacted>");
    assert.ok(!JSON.stringify(stored).includes(h.emulator.credentials.accessKeySecret));
    assert.equal(stored.accessKeyId, h.emulator.credentials.accessKeyId, 'the rest is as given');
    assert.deepEqual(stored.endpoints, h.emulator.endpoints);
  });
});
