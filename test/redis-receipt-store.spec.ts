// RedisReceiptStore against the real Redis on 127.0.0.1:6379: the ReceiptStore semantics
// (correlation, claims, settlement, leases of due entries), what shared stores add (sends in
// flight, reports for waitForReport(), the shared query rate), expiries on every key, batching,
// and option validation. Every test has its own key prefix.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import { AlicomSmsConfigError, type PendingReceipt, RedisReceiptStore, type SmsReport } from '../lib/index.js';
import { connectTestRedis, countingClient, keysOf, REDIS_URL, removeKeysOf, uniquePrefix } from './support/redis.js';

let redis: Redis;
const prefixes: string[] = [];

before(async () => {
  redis = await connectTestRedis();
});

after(async () => {
  for (const prefix of prefixes) await removeKeysOf(redis, prefix);
  redis.disconnect();
});

function storeFor(name: string, options: Partial<ConstructorParameters<typeof RedisReceiptStore>[0]> = {}): { store: RedisReceiptStore; prefix: string } {
  const prefix = uniquePrefix(name);
  prefixes.push(prefix);
  return { store: new RedisReceiptStore({ client: redis, keyPrefix: prefix, ...options }), prefix };
}

const pending = (bizId: string, phoneNumber = '13800138000', extra: Partial<PendingReceipt> = {}): PendingReceipt => ({
  bizId,
  phoneNumber,
  templateCode: 'SMS_1',
  signName: 'Sig',
  outId: 'order-1',
  sentAt: 1_700_000_000_000,
  nextCheckAt: 1_700_000_600_000,
  checks: 0,
  ...extra,
});

const report = (bizId: string, phoneNumber = '13800138000'): SmsReport => ({
  type: 'SmsReport',
  bizId,
  phoneNumber,
  success: true,
  errCode: 'DELIVERED',
  errMsg: '用户接收成功',
  smsSize: 1,
  sendTime: new Date('2026-01-02T03:04:05Z'),
  reportTime: new Date('2026-01-02T03:04:09Z'),
  source: 'mns',
  messageId: 'M1',
  sent: { bizId, phoneNumber, templateCode: 'SMS_1', signName: 'Sig', sentAt: new Date('2026-01-02T03:04:00Z') },
  raw: { biz_id: bizId },
});

describe('RedisReceiptStore', () => {
  it('keeps pending sends with their send context, and forgets them when settled', async () => {
    const { store } = storeFor('pending');
    assert.deepEqual(await store.addPending([pending('B1'), pending('B2', '13900139000', { outId: undefined })]), []);
    assert.deepEqual(await store.getPending('B1', '13800138000'), pending('B1'));
    assert.deepEqual(await store.getPending('B2', '13900139000'), pending('B2', '13900139000', { outId: undefined }));
    assert.equal(await store.getPending('B1', '13900139000'), undefined);
    assert.equal(await store.pendingCount(), 2);
    await store.settle('report:B1:13800138000', { bizId: 'B1', phoneNumber: '13800138000' });
    assert.equal(await store.getPending('B1', '13800138000'), undefined);
    assert.equal(await store.pendingCount(), 1);
  });

  it('does not track again a send whose report was settled already', async () => {
    const { store } = storeFor('late-add');
    await store.settle('report:B1:13800138000');
    await store.addPending([pending('B1')]);
    assert.equal(await store.getPending('B1', '13800138000'), undefined);
    assert.equal(await store.pendingCount(), 0);
  });

  it('claims once: busy while claimed, settled after, claimable again after a release', async () => {
    const { store } = storeFor('claims');
    const other = new RedisReceiptStore({ client: redis, keyPrefix: prefixes.at(-1) as string });
    assert.equal(await store.claim('report:B1:1', 60_000), 'claimed');
    assert.equal(await other.claim('report:B1:1', 60_000), 'busy');
    await store.release('report:B1:1');
    assert.equal(await other.claim('report:B1:1', 60_000), 'claimed');
    await other.settle('report:B1:1');
    assert.equal(await store.claim('report:B1:1', 60_000), 'settled');
    assert.equal(await other.claim('up:13800138000:77', 60_000), 'claimed');
  });

  it('gives a claim the shorter of the asked lease and claimLeaseMs, as a Redis expiry', async () => {
    const { store, prefix } = storeFor('lease', { claimLeaseMs: 2_000 });
    await store.claim('report:B1:1', 300_000);
    const ttl = await redis.pttl(`{${prefix}}:c:report:B1:1`);
    assert.ok(ttl > 0 && ttl <= 2_000, `claim expires within claimLeaseMs (PTTL ${ttl})`);
  });

  it('answers the receipts of one batch with one script call per step', async () => {
    const prefix = uniquePrefix('batch');
    prefixes.push(prefix);
    const { client, commands } = countingClient(redis);
    const store = new RedisReceiptStore({ client, keyPrefix: prefix });
    const bizIds = Array.from({ length: 16 }, (_, i) => `B${i}`);
    await store.addPending(bizIds.map((b) => pending(b)));
    commands.length = 0;
    const found = await Promise.all(bizIds.map((b) => store.findSend(b, '13800138000')));
    assert.equal(commands.length, 1, 'one call finds 16 sends');
    assert.deepEqual(found.map((f) => (typeof f === 'object' ? f.bizId : f)), bizIds);
    const claims = await Promise.all(bizIds.map((b) => store.claim(`report:${b}:13800138000`, 60_000)));
    assert.equal(commands.length, 2, 'one call claims 16 receipts');
    assert.deepEqual(new Set(claims), new Set(['claimed']));
    await Promise.all(bizIds.map((b) => store.settle(`report:${b}:13800138000`, { bizId: b, phoneNumber: '13800138000' }, report(b))));
    assert.equal(commands.length, 3, 'one call settles 16 receipts');
    assert.equal(await store.pendingCount(), 0);
  });

  it('leases due entries to one caller at a time, even when two instances ask at once', async () => {
    const { store, prefix } = storeFor('due');
    const otherClient = await connectTestRedis();
    const other = new RedisReceiptStore({ client: otherClient, keyPrefix: prefix });
    await store.addPending(Array.from({ length: 40 }, (_, i) => pending(`B${i}`, '13800138000', { nextCheckAt: 1_000 + i })));
    const [a, b] = await Promise.all([store.claimDue(5_000, 25, 60_000), other.claimDue(5_000, 25, 60_000)]);
    const taken = [...a, ...b].map((e) => e.bizId);
    assert.equal(taken.length, 40, 'every due entry was leased');
    assert.equal(new Set(taken).size, 40, 'none was leased twice');
    assert.deepEqual(await store.claimDue(60_000, 100, 60_000), [], 'leased entries are hidden until the lease ends');
    assert.equal((await store.claimDue(65_001, 100, 60_000)).length, 40, 'and due again after it');
    await otherClient.quit();
  });

  it('reschedules a leased entry, counting only checks that answered', async () => {
    const { store } = storeFor('reschedule');
    await store.addPending([pending('B1', '13800138000', { nextCheckAt: 1_000 })]);
    const [entry] = await store.claimDue(2_000, 10, 60_000);
    assert.equal(entry.checks, 0);
    await store.reschedule('B1', '13800138000', 3_000, false);
    const [again] = await store.claimDue(3_000, 10, 60_000);
    assert.deepEqual({ next: again.nextCheckAt, checks: again.checks }, { next: 3_000, checks: 0 }, 'a failed query is no check');
    await store.reschedule('B1', '13800138000', 4_000, true);
    const [third] = await store.claimDue(4_000, 10, 60_000);
    assert.equal(third.checks, 1);
  });

  it("answers 'sending' for a number with a send in flight on some instance, until it ends or expires", async () => {
    const { store, prefix } = storeFor('sending');
    assert.equal(await store.findSend('B1', '13800138000'), undefined);
    const token = await store.beginSends(['13800138000', '13900139000'], 10_000);
    assert.equal(await store.findSend('B1', '13800138000'), 'sending');
    assert.equal(await store.getPending('B1', '13800138000'), undefined, 'getPending knows nothing of marks');
    const ttl = await redis.pttl(`{${prefix}}:s:13800138000`);
    assert.ok(ttl > 0 && ttl <= 10_000, `the mark expires by itself (PTTL ${ttl})`);
    await store.addPending([pending('B1')]);
    assert.equal((await store.findSend('B1', '13800138000')) instanceof Object, true, 'a registered send is found as such');
    await store.endSends(token, ['13800138000', '13900139000']);
    assert.equal(await store.findSend('B9', '13900139000'), undefined);
  });

  it('keeps a settled report for a later wait, and announces an awaited one to every watcher', async () => {
    const { store, prefix } = storeFor('reports');
    const elsewhere = new RedisReceiptStore({ client: redis, keyPrefix: prefix });
    await store.settle('report:B1:13800138000', { bizId: 'B1', phoneNumber: '13800138000' }, report('B1'));
    assert.deepEqual(await elsewhere.findReport('B1', '13800138000'), report('B1'), 'found with its Dates revived');

    const seen: SmsReport[] = [];
    const unsubscribe = await elsewhere.watchReports({ report: (r) => seen.push(r), resync: () => {} });
    assert.equal(await elsewhere.findReport('B2', '13800138000', 30_000), undefined, 'not settled yet: now awaited');
    await store.settle('report:B2:13800138000', undefined, report('B2'));
    await store.settle('report:B3:13800138000', undefined, report('B3'));
    const deadline = Date.now() + 2_000;
    while (seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(seen.map((r) => r.bizId), ['B2'], 'only the awaited report is published');
    assert.ok(seen[0].sendTime instanceof Date && seen[0].sent?.sentAt instanceof Date);
    await unsubscribe();
    await elsewhere.close();
  });

  it('shares one query-rate bucket between instances', async () => {
    const { store, prefix } = storeFor('rate');
    const other = new RedisReceiptStore({ client: redis, keyPrefix: prefix });
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) waits.push(await (i % 2 ? other : store).takeQueryToken(4, 10_000));
    assert.deepEqual(waits, [0, 0, 0, 0, 250, 500], 'a burst of one second, then 4 per second whoever asks');
    assert.equal(await store.takeQueryToken(4, 10_500), 250, 'refilled at the rate: 2 tokens in 500 ms cover the 2 reserved, the next waits');
  });

  it('gives every key it writes an expiry within the window it serves', async () => {
    const { store, prefix } = storeFor('ttl', { reportRetentionMs: 120_000 });
    store.configure({ dedupeWindowMs: 3_600_000, pendingTtlMs: 7_200_000 });
    await store.addPending([pending('B1'), pending('B2')]);
    const token = await store.beginSends(['13700137000'], 15_000);
    await store.claim('report:B3:13800138000', 300_000);
    await store.claim('report:B1:13800138000', 300_000);
    await store.settle('report:B1:13800138000', { bizId: 'B1', phoneNumber: '13800138000' }, report('B1'));
    await store.findReport('B4', '13800138000', 20_000);
    await store.takeQueryToken(10, 1_000);
    void token;
    const keys = await keysOf(redis, prefix);
    const windows: Record<string, number> = { p: 7_200_000, due: 7_200_000, s: 15_000, c: 300_000, d: 3_600_000, r: 120_000, w: 20_000, rate: 60_000 };
    const kinds = new Set<string>();
    for (const key of keys) {
      const kind = key.slice(`{${prefix}}:`.length).split(':')[0];
      kinds.add(kind);
      const ttl = await redis.pttl(key);
      assert.ok(ttl > 0 && ttl <= windows[kind], `${key} expires within its window (PTTL ${ttl}, window ${windows[kind]})`);
    }
    assert.deepEqual([...kinds].sort(), Object.keys(windows).sort(), 'every kind of key was written and checked');
  });

  it('connects by itself from a URL (loading ioredis then) and closes that connection', async () => {
    const prefix = uniquePrefix('url');
    prefixes.push(prefix);
    const store = new RedisReceiptStore({ connection: REDIS_URL, keyPrefix: prefix });
    await store.addPending([pending('B1')]);
    assert.equal(await store.pendingCount(), 1);
    await store.close();
  });

  it('fails a call Redis does not answer within commandTimeoutMs, as a ReceiptStoreError', async () => {
    const prefix = uniquePrefix('down');
    const { Redis: RedisClient } = await import('ioredis');
    // A port nobody listens on: ioredis keeps the commands queued while it tries to reconnect.
    const unreachable = new RedisClient('redis://127.0.0.1:1', { retryStrategy: () => 200, maxRetriesPerRequest: null });
    unreachable.on('error', () => {});
    const store = new RedisReceiptStore({ client: unreachable, keyPrefix: prefix, commandTimeoutMs: 300 });
    await assert.rejects(store.claim('report:B1:1', 1_000), (error: Error & { code?: string }) => {
      assert.equal(error.name, 'ReceiptStoreError');
      assert.equal(error.code, 'ReceiptStoreUnavailable');
      assert.match(error.message, /no answer within 300 ms/);
      return true;
    });
    unreachable.disconnect();
  });

  it('validates its options, naming each bad field and the fix', () => {
    const problems = (options: unknown) => {
      try {
        new RedisReceiptStore(options as ConstructorParameters<typeof RedisReceiptStore>[0]);
      } catch (error) {
        assert.ok(error instanceof AlicomSmsConfigError);
        return error.problems.map((p) => `${p.field}: ${p.problem}`);
      }
      throw new Error('expected a config error');
    };
    assert.match(problems({ client: redis }).join('\n'), /RedisReceiptStore keyPrefix: is required.*e\.g\. 'sms-prod'/);
    assert.match(problems({ keyPrefix: 'a{b}', client: redis }).join('\n'), /keyPrefix: is required: 1-64 letters/);
    assert.match(problems({ keyPrefix: 'p' }).join('\n'), /client: is required: pass your ioredis Redis or Cluster instance/);
    assert.match(problems({ keyPrefix: 'p', client: { get() {} } }).join('\n'), /client: must be an ioredis Redis or Cluster instance/);
    assert.match(problems({ keyPrefix: 'p', client: redis, connection: REDIS_URL }).join('\n'), /either client .* or connection/);
    assert.match(problems({ keyPrefix: 'p', connection: '127.0.0.1:6379' }).join('\n'), /connection: must be a URL starting with redis:\/\//);
    assert.deepEqual(problems({ keyPrefix: 'p', client: redis, claimLeaseMs: 10, reportRetentionMs: -1, commandTimeoutMs: 'x' }), [
      'RedisReceiptStore claimLeaseMs: must be an integer from 1000 to 3600000, got number 10',
      'RedisReceiptStore reportRetentionMs: must be an integer from 0 to 86400000, got number -1',
      'RedisReceiptStore commandTimeoutMs: must be an integer from 100 to 60000, got the string "x"',
    ]);
  });

  it('is accepted as compensation.store, and the module does not load ioredis unless it is used', () => {
    // A fresh process: importing the module (and running an app on the in-memory store) loads no ioredis.
    const script = `
      import 'reflect-metadata';
      import { createRequire } from 'node:module';
      const lib = await import(${JSON.stringify(new URL('../lib/index.js', import.meta.url).href)});
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('/node_modules/ioredis/'));
      const before = loaded();
      const store = new lib.RedisReceiptStore({ connection: ${JSON.stringify(REDIS_URL)}, keyPrefix: 'load-check' });
      const constructed = loaded();
      await store.pendingCount();
      const used = loaded();
      await store.close();
      console.log(JSON.stringify({ before, constructed, used }));
    `;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: new URL('..', import.meta.url).pathname });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout.trim().split('\n').at(-1) as string), { before: false, constructed: false, used: true });
  });
});
