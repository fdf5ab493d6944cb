// The sample app in push mode (ALICOM_RECEIPTS=push): the embedded emulator pushes receipts to the
// app's own URL, and they reach the page's event stream with source 'push'; /info and /health say
// so. Plus the push settings of the sample's configuration.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CompensationSweeper } from 'nestjs-alicom-sms';
import { ManualClock } from 'nestjs-alicom-sms/testing';
import { readSampleConfig } from '../sample-app/src/config/sample.config.js';
import { startSampleApp, type SampleAppServer } from './support/sample-app-server.js';
import { openSse, type SseReader } from './support/sse-reader.js';

interface SmsEvent {
  type: 'sent' | 'report' | 'reply' | 'error';
  source: string;
  status: string;
  bizId?: string;
  phoneNumber?: string;
  content?: string;
}

async function postSms(server: SampleAppServer, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}/sms`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

async function getJson(url: string): Promise<{ status: number; body: any }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

describe('sample app in push mode (HTTP, emulator pushing to the app)', () => {
  let server: SampleAppServer;
  let events: SseReader;
  const clock = new ManualClock();

  before(async () => {
    server = await startSampleApp({ env: { ALICOM_RECEIPTS: 'push' }, clock });
    events = await openSse(`${server.url}/events`);
  });

  after(async () => {
    events?.close();
    await server?.close();
  });

  it('shows the receipts mode on /info, without the secret', async () => {
    const info = await getJson(`${server.url}/info`);
    assert.deepEqual([info.body.mode, info.body.receipts], ['emulator', 'push']);
    assert.equal(Object.hasOwn(info.body, 'secret'), false);
  });

  it('streams a report and a reply that the emulator pushed to the app', async () => {
    const sent = await postSms(server, { phoneNumber: '13800138201', simulate: { outcome: 'delivered', reply: '收到' } });
    assert.equal(sent.status, 201);
    const report = await events.waitFor<SmsEvent>((e) => e.type === 'report' && e.bizId === sent.body.bizId, 'the report');
    assert.deepEqual([report.source, report.status], ['push', 'delivered']);
    const reply = await events.waitFor<SmsEvent>((e) => e.type === 'reply' && e.phoneNumber === '13800138201', 'the reply');
    assert.deepEqual([reply.source, reply.content], ['push', '收到']);
    await server.emulator.push.whenSettled();
    assert.ok(server.emulator.push.attempts.length >= 2);
    assert.ok(server.emulator.push.attempts.every((attempt) => attempt.received), 'every push was acknowledged');
    assert.equal(server.emulator.mns.stats().enqueued, 0, 'nothing went to the queues');
  });

  it('back-fills a report the push lost, as in MNS mode', async () => {
    const sent = await postSms(server, { phoneNumber: '13800138202', simulate: { outcome: 'report-lost', reply: false } });
    await clock.advance(1_000);
    await server.app.get(CompensationSweeper).sweep();
    const report = await events.waitFor<SmsEvent>((e) => e.type === 'report' && e.bizId === sent.body.bizId, 'the back-filled report');
    assert.equal(report.source, 'query');
  });

  it('reports the push receiver up on /health, with its counters', async () => {
    const health = await getJson(`${server.url}/health`);
    assert.equal(health.status, 200);
    const entry = health.body.info['alicom-sms'];
    assert.equal(entry.status, 'up');
    assert.deepEqual(entry.push.types, ['SmsReport', 'SmsUp']);
    assert.equal(entry.push.accepting, true);
    assert.ok(entry.push.acknowledged >= 2 && entry.push.handled >= 2);
  });
});

describe('sample configuration of push mode', () => {
  it('makes up a secret on the emulator, and needs one with an AccessKey', () => {
    const emulated = readSampleConfig({ ALICOM_RECEIPTS: 'push' });
    assert.ok(emulated.receipts && emulated.receipts.via === 'push');
    assert.match(emulated.receipts.secret, /^[A-Za-z0-9_-]{32}$/);
    assert.notEqual((readSampleConfig({ ALICOM_RECEIPTS: 'push' }).receipts as { secret: string }).secret, emulated.receipts.secret);
    const alibaba = { ALICOM_ACCESS_KEY_ID: 'LTAI5tExample', ALICOM_ACCESS_KEY_SECRET: 'secret', ALICOM_RECEIPTS: 'push' };
    assert.throws(() => readSampleConfig(alibaba), /ALICOM_PUSH_SECRET: is required with ALICOM_RECEIPTS=push/);
    assert.throws(() => readSampleConfig({ ...alibaba, ALICOM_PUSH_SECRET: 'short' }), /ALICOM_PUSH_SECRET: must be 16-100 characters/);
    const configured = readSampleConfig({ ...alibaba, ALICOM_PUSH_SECRET: 'Push-s3cr3t_0123456789abcdef' });
    assert.deepEqual(configured.receipts, { via: 'push', path: '/alicom/receipts', secret: 'Push-s3cr3t_0123456789abcdef' });
    assert.throws(() => readSampleConfig({ ALICOM_RECEIPTS: 'pull' }), /ALICOM_RECEIPTS: must be 'mns'/);
    assert.deepEqual(readSampleConfig({}).receipts, { via: 'mns' });
  });
});
