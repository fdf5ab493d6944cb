// The sample app over real HTTP: send → receipt on the SSE stream (from MNS, and back-filled by
// compensation when the report is lost), waitForReport, QuerySendDetails, replies, input
// validation, error mapping, health and a clean shutdown with an open event stream.
// The emulated account answers at once (TEST_TIMING); the back-fill test moves a ManualClock and
// runs the compensation sweep itself.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CompensationSweeper } from 'nestjs-alicom-sms';
import { ManualClock } from 'nestjs-alicom-sms/testing';
import { startSampleApp, TEST_TIMING, type SampleAppServer } from './support/sample-app-server.js';
import { openSse, type SseReader } from './support/sse-reader.js';

interface SmsEvent {
  id: string;
  type: 'sent' | 'report' | 'reply' | 'error';
  source: string;
  status: string;
  bizId?: string;
  phoneNumber?: string;
  outId?: string;
  errCode?: string;
  content?: string;
  time: string;
}

async function postSms(server: SampleAppServer, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}/sms`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

async function getJson(url: string): Promise<{ status: number; body: any }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

describe('sample app (HTTP, emulator mode)', () => {
  let server: SampleAppServer;
  let events: SseReader;

  before(async () => {
    server = await startSampleApp();
    events = await openSse(`${server.url}/events`);
  });

  after(async () => {
    events?.close();
    await server?.close();
  });

  it('sends an SMS and streams its delivery report from MNS', async () => {
    const sent = await postSms(server, {
      phoneNumber: '13800138101',
      templateParam: { code: 123456 },
      outId: 'order-101',
      simulate: { outcome: 'delivered', reply: false },
    });
    assert.equal(sent.status, 201);
    assert.equal(typeof sent.body.bizId, 'string');
    assert.equal(sent.body.outId, 'order-101');

    const bizId: string = sent.body.bizId;
    const sentEvent = await events.waitFor<SmsEvent>((e) => e.type === 'sent' && e.bizId === bizId, 'the sent event');
    assert.equal(sentEvent.status, 'waiting');
    const report = await events.waitFor<SmsEvent>((e) => e.type === 'report' && e.bizId === bizId, 'the report');
    assert.equal(report.source, 'mns');
    assert.equal(report.status, 'delivered');
    assert.equal(report.errCode, 'DELIVERED');
    assert.equal(report.phoneNumber, '13800138101');
    assert.equal(report.outId, 'order-101');
    assert.ok(!Number.isNaN(Date.parse(report.time)));
  });

  it('awaits the report over HTTP (waitForReport) and reports failed deliveries', async () => {
    const sent = await postSms(server, { phoneNumber: '13800138102', simulate: { outcome: 'failed', reply: false } });
    assert.equal(sent.status, 201);
    const waited = await getJson(`${server.url}/sms/${encodeURIComponent(sent.body.bizId)}/report?phone=13800138102&timeoutMs=30000`);
    assert.equal(waited.status, 200);
    assert.equal(waited.body.bizId, sent.body.bizId);
    assert.equal(waited.body.success, false);
    assert.equal(waited.body.errCode, 'UNDELIV');
    const report = await events.waitFor<SmsEvent>((e) => e.type === 'report' && e.bizId === sent.body.bizId, 'the failed report');
    assert.equal(report.status, 'failed');
  });

  it('streams simulated replies', async () => {
    const sent = await postSms(server, { phoneNumber: '13800138104', simulate: { outcome: 'delivered', reply: '退订 TD' } });
    assert.equal(sent.status, 201);
    const reply = await events.waitFor<SmsEvent>((e) => e.type === 'reply' && e.phoneNumber === '13800138104', 'the reply');
    assert.equal(reply.content, '退订 TD');
    assert.equal(reply.source, 'mns');
    assert.equal(reply.status, 'received');
  });

  it('lists delivery records (QuerySendDetails)', async () => {
    const sent = await postSms(server, { phoneNumber: '13800138105', outId: 'order-105', simulate: { outcome: 'delivered', reply: false } });
    const details = await getJson(`${server.url}/sms/details?phone=13800138105`);
    assert.equal(details.status, 200);
    assert.equal(details.body.details.length, 1);
    assert.equal(details.body.details[0].outId, 'order-105');
    assert.equal(details.body.details[0].phoneNumber, '13800138105');
    assert.match(details.body.details[0].content, /^【.+】/);
    assert.ok(sent.body.bizId);
  });

  it('answers 400 naming every bad field of the body, and sends nothing', async () => {
    const before = server.emulator.sends.length;
    const bad = await postSms(server, { phoneNumber: '', templateParam: { code: { nested: true } }, colour: 'red', simulate: { outcome: 'maybe' } });
    assert.equal(bad.status, 400);
    const fields = bad.body.problems.map((p: { field: string }) => p.field).sort();
    assert.deepEqual(fields, ['colour', 'phoneNumber', 'simulate.outcome', 'templateParam']);
    assert.match(bad.body.message, /phoneNumber: is required/);
    assert.match(bad.body.message, /templateParam: variable "code" must be a string or a number/);

    const notObject = await postSms(server, ['13800138000']);
    assert.equal(notObject.status, 400);
    assert.equal(notObject.body.problems[0].field, 'body');
    assert.equal(server.emulator.sends.length, before);
  });

  it("maps the library's SmsInputError to 400 with its problems", async () => {
    const bad = await postSms(server, { phoneNumber: '12345' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'InvalidInput');
    assert.equal(bad.body.problems[0].field, 'phoneNumbers');
  });

  it("maps Alibaba's refusals to 502 with code, requestId and resendSafe", async () => {
    server.emulator.failNext('SendSms', { code: 'isv.BUSINESS_LIMIT_CONTROL', message: '触发分钟级流控Permits:1' });
    const refused = await postSms(server, { phoneNumber: '13800138106' });
    assert.equal(refused.status, 502);
    assert.equal(refused.body.code, 'isv.BUSINESS_LIMIT_CONTROL');
    assert.equal(refused.body.action, 'SendSms');
    assert.equal(typeof refused.body.requestId, 'string');
    assert.equal(typeof refused.body.resendSafe, 'boolean');
    assert.ok(!JSON.stringify(refused.body).includes(server.emulator.credentials.accessKeySecret));
  });

  it('answers 504 when no report arrives in time, and 400 on bad query parameters', async () => {
    const timedOut = await getJson(`${server.url}/sms/${encodeURIComponent('424242424242^0')}/report?phone=13800138107&timeoutMs=50`);
    assert.equal(timedOut.status, 504);
    assert.equal(timedOut.body.code, 'ReportTimeout');

    const bad = await getJson(`${server.url}/sms/1^0/report?timeoutMs=abc`);
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.problems.map((p: { field: string }) => p.field).sort(), ['phone', 'timeoutMs']);

    const badDay = await getJson(`${server.url}/sms/details?phone=13800138107&date=2026-13`);
    assert.equal(badDay.status, 400);
    assert.deepEqual(badDay.body.problems.map((p: { field: string }) => p.field), ['date']);
  });

  it('reports the receipt listener up on /health', async () => {
    const health = await getJson(`${server.url}/health`);
    assert.equal(health.status, 200);
    assert.equal(health.body.status, 'ok');
    assert.equal(health.body.info['alicom-sms'].status, 'up');
    assert.equal(health.body.info['alicom-sms'].running, true);
  });

  it('serves the page, its assets and nothing else from public/', async () => {
    const page = await fetch(`${server.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await page.text(), /<form id="send-form"/);
    const script = await fetch(`${server.url}/assets/app.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /javascript/);
    await script.text();
    const other = await fetch(`${server.url}/assets/index.html`);
    assert.equal(other.status, 404);
    await other.text();
  });
});

describe('sample app compensation (emulator mode, manual clock)', () => {
  let server: SampleAppServer;
  let events: SseReader;
  const clock = new ManualClock();

  before(async () => {
    server = await startSampleApp({ clock });
    events = await openSse(`${server.url}/events`);
  });

  after(async () => {
    events?.close();
    await server?.close();
  });

  it('back-fills a report lost on the queue from QuerySendDetails (source "query")', async () => {
    const sent = await postSms(server, { phoneNumber: '13800138103', simulate: { outcome: 'report-lost', reply: false } });
    assert.equal(sent.status, 201);
    const sweeper = server.app.get(CompensationSweeper);
    await sweeper.sweep();
    assert.equal(server.emulator.requestCount('QuerySendDetails'), 0, 'checked before it was due');

    await clock.advance(TEST_TIMING.compensation.queryAfterMs!);
    await sweeper.sweep();
    const report = await events.waitFor<SmsEvent>((e) => e.type === 'report' && e.bizId === sent.body.bizId, 'the back-filled report');
    assert.equal(report.source, 'query');
    assert.equal(report.status, 'delivered');
  });
});

describe('sample app shutdown', () => {
  it('ends open event streams and closes', async () => {
    const server = await startSampleApp();
    const events = await openSse(`${server.url}/events`);
    await server.close();
    await events.ended; // the server ended the stream rather than the test hanging on it
    await assert.rejects(fetch(`${server.url}/health`));
  });
});
