// The sample with ALICOM_REDIS_URL: its receipts are settled in the shared Redis store, so a second
// instance on the same Redis sees the first one's report (real Redis, never a mock).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import { SmsService } from 'nestjs-alicom-sms';
import { startSampleApp, type SampleAppServer } from './support/sample-app-server.js';
import { connectTestRedis, keysOf, REDIS_URL, removeKeysOf, uniquePrefix } from './support/redis.js';
import { openSse, type SseReader } from './support/sse-reader.js';

describe('sample app with ALICOM_REDIS_URL (emulator mode, shared Redis store)', () => {
  const prefix = uniquePrefix('sample');
  let redis: Redis;
  let server: SampleAppServer;
  let events: SseReader;

  before(async () => {
    redis = await connectTestRedis();
    server = await startSampleApp({ env: { ALICOM_REDIS_URL: REDIS_URL, ALICOM_REDIS_KEY_PREFIX: prefix } });
    events = await openSse(`${server.url}/events`);
  });

  after(async () => {
    events?.close();
    await server?.close();
    await removeKeysOf(redis, prefix);
    redis?.disconnect();
  });

  it('sends, receives the report through the Redis store, and keeps it there for other instances', async () => {
    const response = await fetch(`${server.url}/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phoneNumber: '13800138201', simulate: { outcome: 'delivered', reply: false } }),
    });
    assert.equal(response.status, 201);
    const { bizId } = (await response.json()) as { bizId: string };
    const report = await events.waitFor<{ type: string; bizId: string; source: string }>((e) => e.type === 'report' && e.bizId === bizId, 'the report');
    assert.equal(report.source, 'mns');
    assert.ok((await keysOf(redis, prefix)).length > 0, 'the sample keeps its receipts in Redis under its key prefix');

    const other = await startSampleApp({ env: { ALICOM_REDIS_URL: REDIS_URL, ALICOM_REDIS_KEY_PREFIX: prefix } });
    try {
      const seen = await other.app.get(SmsService).waitForReport(bizId, '13800138201', { timeoutMs: 5_000 });
      assert.equal(seen.bizId, bizId, "a second instance sees the first one's report");
    } finally {
      await other.close();
    }
  });
});
