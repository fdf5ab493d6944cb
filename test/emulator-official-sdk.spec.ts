// The emulator as the official Node SDK (`@alicloud/sms-sdk` 1.1.6 with its pop-core and MNS
// clients) sees it: where a real client could tell the emulator from Alibaba, it must not.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, afterEach, before, describe, it } from 'node:test';
import { AlicomEmulator } from '../lib/testing/index.js';

const require = createRequire(import.meta.url);
// The SDK ships no types; these are the parts the tests call.
interface OfficialSmsClient {
  sendSMS(params: Record<string, string>): Promise<{ Code: string; BizId?: string }>;
  /** The SDK's own MNS client for a queue (0 SmsReport, 1 SmsUp), with a token from QueryTokenForMnsQueue. */
  _getMNSClient(typeIndex: number): Promise<OfficialMnsClient>;
  queryDetail(params: Record<string, string | number>): Promise<{ Code: string; TotalCount: number }>;
  receiveMsg(typeIndex: number, queuePrefix: string, waitSeconds: number, deleteIt: boolean): Promise<{ code: number; body: Record<string, string> }>;
}
interface OfficialMnsClient {
  peekMessage(queue: string): Promise<{ code: number; body: Record<string, string> }>;
  batchPeekMessage(queue: string, count: number): Promise<{ code: number; body: Record<string, string>[] }>;
  receiveMessage(queue: string, waitSeconds: number): Promise<{ code: number; body: Record<string, string> }>;
}
const SMSClient = require('@alicloud/sms-sdk') as new (options: Record<string, unknown>) => OfficialSmsClient;

const SEND = { PhoneNumbers: '13912345678', SignName: '示例签名', TemplateCode: 'SMS_100000001', TemplateParam: '{"code":"9527"}' };

/** The SDK configured the way its README says, with every host pointed at the emulator. */
function officialClient(emulator: AlicomEmulator, hosts: { sms: string; token: string }): OfficialSmsClient {
  return new SMSClient({
    accessKeyId: emulator.credentials.accessKeyId,
    secretAccessKey: emulator.credentials.accessKeySecret,
    smsApiEndpoint: hosts.sms,
    baseApiEndpoint: hosts.token,
    mnsVpc: { endpoint: emulator.endpoints.mns },
  });
}

/** Today as QuerySendDetails wants it: the Beijing `yyyyMMdd`. */
function beijingToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
}

describe('AlicomEmulator through the official @alicloud/sms-sdk', () => {
  let emulator: AlicomEmulator;

  before(async () => {
    emulator = await AlicomEmulator.start();
  });
  afterEach(() => emulator.reset());
  after(() => emulator.close());

  it('sends, queries and receives the report when each product has its own endpoint', async () => {
    const client = officialClient(emulator, emulator.endpoints);
    const sent = await client.sendSMS(SEND);
    assert.equal(sent.Code, 'OK');
    const details = await client.queryDetail({ PhoneNumber: SEND.PhoneNumbers, SendDate: beijingToday(), PageSize: 10, CurrentPage: 1 });
    assert.equal(details.Code, 'OK');
    assert.equal(details.TotalCount, 1);
    const received = await client.receiveMsg(0, emulator.queuePrefix, 1, true);
    assert.equal(received.code, 200);
    const report = JSON.parse(Buffer.from(received.body.MessageBody, 'base64').toString('utf8'));
    assert.equal(report.biz_id, sent.BizId);
  });

  it('peeks at a report without taking it: the next receive gets it as its first delivery', async () => {
    const client = officialClient(emulator, emulator.endpoints);
    const first = await client.sendSMS(SEND);
    const second = await client.sendSMS({ ...SEND, PhoneNumbers: '13800138000' });
    const mns = await client._getMNSClient(0);
    const reportQueue = emulator.queues.SmsReport;
    const receivedBefore = emulator.mns.stats(reportQueue).received;
    const bizIdOf = (body: string) => JSON.parse(Buffer.from(body, 'base64').toString('utf8')).biz_id;

    const peeked = await mns.peekMessage(reportQueue);
    assert.equal(peeked.code, 200);
    assert.equal(bizIdOf(peeked.body.MessageBody), first.BizId);
    assert.equal(peeked.body.ReceiptHandle, undefined);
    assert.equal(peeked.body.DequeueCount, '0');
    const batch = await mns.batchPeekMessage(reportQueue, 16);
    assert.deepEqual(batch.body.map((m) => bizIdOf(m.MessageBody)), [first.BizId, second.BizId]);
    assert.deepEqual([emulator.mns.stats(reportQueue).received - receivedBefore, emulator.mns.stats(reportQueue).visible], [0, 2]);

    const received = await client.receiveMsg(0, emulator.queuePrefix, 1, true);
    assert.equal(bizIdOf(received.body.MessageBody), first.BizId);
    assert.equal(received.body.DequeueCount, '1');
    assert.equal((await client.receiveMsg(0, emulator.queuePrefix, 1, true)).body.DequeueCount, '1');
    await emulator.mns.whenDrained(reportQueue, 1000);
  });

  it('refuses Dysmsapi actions on the Dybaseapi host, as Alibaba does, and records no send', async () => {
    // The hosts swapped: a mistake a user can make in configuration.
    const client = officialClient(emulator, { sms: emulator.endpoints.token, token: emulator.endpoints.sms });
    const tokensBefore = emulator.mns.tokensIssued;
    await assert.rejects(client.sendSMS(SEND), { name: 'InvalidAction.NotFoundError', code: 'InvalidAction.NotFound' });
    await assert.rejects(
      client.queryDetail({ PhoneNumber: SEND.PhoneNumbers, SendDate: beijingToday(), PageSize: 10, CurrentPage: 1 }),
      { code: 'InvalidAction.NotFound' },
    );
    // QueryTokenForMnsQueue on the Dysmsapi host: no token, so no queue access.
    await assert.rejects(client.receiveMsg(0, emulator.queuePrefix, 1, true), { code: 'InvalidAction.NotFound' });
    assert.equal(emulator.sends.length, 0);
    assert.equal(emulator.mns.tokensIssued, tokensBefore);
    assert.deepEqual(
      emulator.rpcRequests.map((r) => [r.product, r.action, r.httpStatus]),
      [
        ['Dybaseapi', 'SendSms', 404],
        ['Dybaseapi', 'QuerySendDetails', 404],
        ['Dysmsapi', 'QueryTokenForMnsQueue', 404],
      ],
    );
  });
});
