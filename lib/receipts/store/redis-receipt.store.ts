import { randomUUID } from 'node:crypto';
import { AlicomSmsConfigError } from '../../errors/alicom-sms-config.error.js';
import type { SmsReport } from '../../interfaces/sms-receipt.interface.js';
import { describeValue } from '../../utils/describe-value.js';
import { reportKey } from './receipt-keys.js';
import type {
  PendingReceipt,
  ReceiptClaim,
  ReceiptStore,
  ReceiptStoreWindows,
  SettledReportWatcher,
} from './receipt-store.interface.js';
import { connectRedis, isRedisClient, type RedisReceiptStoreClient } from './redis/redis-client.js';
import { RedisScriptRunner } from './redis/redis-script-runner.js';
import {
  ADD_PENDING,
  BEGIN_SENDS,
  CLAIM,
  CLAIM_DUE,
  END_SENDS,
  FIND_REPORT,
  FIND_SENDS,
  RELEASE,
  RESCHEDULE,
  SETTLE,
  TAKE_QUERY_TOKEN,
} from './redis/redis-scripts.js';
import { TickBatcher } from './redis/tick-batcher.js';
import { decodeSettledReport, encodeSettledReport } from './settled-report-codec.js';
import { InspectsAs } from '../../utils/inspects-as.js';

/**
 * Options of {@link RedisReceiptStore}: the app's ioredis client (`client`) or how to connect
 * (`connection`), and the key prefix.
 *
 * @publicApi
 */
export interface RedisReceiptStoreOptions {
  /**
   * Names this deployment's data: every key is `{<keyPrefix>}:...` (the braces are a Cluster hash
   * tag: all keys of one prefix share one slot, so every script stays on one node). Instances
   * consuming the same Alicom queues must use the same prefix; another deployment (another
   * account, staging) sharing the Redis must use another. Letters, digits and `-_.:` only.
   */
  keyPrefix: string;
  /**
   * Your ioredis `Redis` or `Cluster` client. The store never closes it; it opens one extra
   * connection (`client.duplicate()`) for the pub/sub of `waitForReport()` and closes that one.
   */
  client?: RedisReceiptStoreClient;
  /**
   * Instead of `client`: a `redis://` URL or ioredis `RedisOptions` for a connection the store
   * opens (ioredis is loaded only then) and closes when the module shuts down.
   */
  connection?: string | object;
  /**
   * How long a receipt's claim lasts while its handlers run, in ms (1000-3600000). If an instance
   * dies mid-handler, no other instance handles that receipt until this passes.
   * @default 300000 (5 min)
   */
  claimLeaseMs?: number;
  /**
   * How long a settled final report is kept for a `waitForReport()` started after it arrived (on
   * any instance), in ms (0-86400000; about 0.5 KB per report).
   * @default 600000 (10 min)
   */
  reportRetentionMs?: number;
  /**
   * A store call Redis has not answered within this is failed (the receipt stays on its queue, a
   * send's tracking is retried), in ms (100-60000).
   * @default 5000
   */
  commandTimeoutMs?: number;
}

/** A step's batch answers at most this many receipts (one script call). */
const MAX_BATCH = 256;
const DEFAULT_WINDOWS: ReceiptStoreWindows = { dedupeWindowMs: 259_200_000, pendingTtlMs: 259_200_000 + 86_400_000 };

type Problem = { field: string; problem: string };

interface ClaimRequest {
  key: string;
  leaseMs: number;
}
interface SettleRequest {
  key: string;
  pending?: { bizId: string; phoneNumber: string };
  report?: SmsReport;
}
interface FindRequest {
  bizId: string;
  phoneNumber: string;
  withSending: boolean;
}

function checkInteger(problems: Problem[], field: string, value: unknown, min: number, max: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    problems.push({ field: `RedisReceiptStore ${field}`, problem: `must be an integer from ${min} to ${max}, got ${describeValue(value)}` });
  }
}

function validate(options: RedisReceiptStoreOptions | undefined): void {
  const problems: Problem[] = [];
  if (typeof options !== 'object' || options === null) {
    throw new AlicomSmsConfigError([
      { field: 'RedisReceiptStore', problem: `needs options { keyPrefix, client } or { keyPrefix, connection }, got ${describeValue(options)}` },
    ]);
  }
  const { keyPrefix, client, connection } = options;
  if (typeof keyPrefix !== 'string' || !/^[A-Za-z0-9_.:-]{1,64}$/.test(keyPrefix)) {
    problems.push({
      field: 'RedisReceiptStore keyPrefix',
      problem: `is required: 1-64 letters, digits or -_.: naming this deployment's data, e.g. 'sms-prod', got ${describeValue(keyPrefix)}`,
    });
  }
  if (client !== undefined && connection !== undefined) {
    problems.push({ field: 'RedisReceiptStore client', problem: 'give either client (your ioredis instance) or connection (URL/options), not both' });
  } else if (client === undefined && connection === undefined) {
    problems.push({ field: 'RedisReceiptStore client', problem: "is required: pass your ioredis Redis or Cluster instance (or connection: 'redis://host:6379')" });
  } else if (client !== undefined && !isRedisClient(client)) {
    problems.push({
      field: 'RedisReceiptStore client',
      problem: `must be an ioredis Redis or Cluster instance (new Redis(...) from 'ioredis'), got ${describeValue(client)}`,
    });
  } else if (connection !== undefined && (typeof connection !== 'object' || connection === null) && typeof connection !== 'string') {
    problems.push({ field: 'RedisReceiptStore connection', problem: `must be a redis:// URL or ioredis RedisOptions, got ${describeValue(connection)}` });
  } else if (typeof connection === 'string' && !/^rediss?:\/\//.test(connection)) {
    problems.push({ field: 'RedisReceiptStore connection', problem: "must be a URL starting with redis:// or rediss://, e.g. 'redis://127.0.0.1:6379'" });
  }
  checkInteger(problems, 'claimLeaseMs', options.claimLeaseMs, 1_000, 3_600_000);
  checkInteger(problems, 'reportRetentionMs', options.reportRetentionMs, 0, 86_400_000);
  checkInteger(problems, 'commandTimeoutMs', options.commandTimeoutMs, 100, 60_000);
  if (problems.length > 0) throw new AlicomSmsConfigError(problems);
}

/**
 * A {@link ReceiptStore} on Redis (or Redis Cluster), shared by every app instance consuming the
 * same Alicom queues: pending sends with their send context, de-duplication claims and settled
 * receipts, sends in flight, recent final reports (for `waitForReport()` on any instance) and the
 * QuerySendDetails rate. Every key expires with the window it serves (see the README, "Running
 * several instances"). Needs the `ioredis` package (6.x), an optional peer dependency.
 *
 * The receipts of one received batch go through each step together: one script call per step
 * and batch (find the send, claim, settle), whatever the batch size.
 *
 * @example
 * AlicomSmsModule.forRootAsync({
 *   inject: [REDIS],
 *   useFactory: (redis: Redis) => ({
 *     ...,
 *     compensation: { store: new RedisReceiptStore({ client: redis, keyPrefix: 'sms-prod' }) },
 *   }),
 * })
 *
 * @publicApi
 */
@InspectsAs((store: RedisReceiptStore) => ({ keys: `${store['tag']}:*` }))
export class RedisReceiptStore implements ReceiptStore {
  private readonly tag: string;
  private readonly dueKey: string;
  private readonly channel: string;
  private readonly owner = randomUUID();
  private readonly claimLeaseMs: number;
  private readonly reportRetentionMs: number;
  private readonly scripts: RedisScriptRunner;
  private readonly ownsClient: boolean;
  private clientPromise?: Promise<RedisReceiptStoreClient>;
  private windows = DEFAULT_WINDOWS;
  private subscriber?: Promise<RedisReceiptStoreClient>;
  private readonly watchers = new Set<SettledReportWatcher>();
  private readonly finds: TickBatcher<FindRequest, PendingReceipt | 'sending' | undefined>;
  private readonly claims: TickBatcher<ClaimRequest, ReceiptClaim>;
  private readonly settles: TickBatcher<SettleRequest, void>;

  constructor(private readonly options: RedisReceiptStoreOptions) {
    validate(options);
    this.tag = `{${options.keyPrefix}}`;
    this.dueKey = `${this.tag}:due`;
    this.channel = `${this.tag}:reports`;
    this.claimLeaseMs = options.claimLeaseMs ?? 300_000;
    this.reportRetentionMs = options.reportRetentionMs ?? 600_000;
    this.ownsClient = options.client === undefined;
    if (options.client) this.clientPromise = Promise.resolve(options.client);
    this.scripts = new RedisScriptRunner(() => this.client(), options.commandTimeoutMs ?? 5_000);
    this.finds = new TickBatcher((batch) => this.findBatch(batch), MAX_BATCH);
    this.claims = new TickBatcher((batch) => this.claimBatch(batch), MAX_BATCH);
    this.settles = new TickBatcher((batch) => this.settleBatch(batch), MAX_BATCH);
  }

  /** The key prefix's hash tag, `{<keyPrefix>}`: every key of this store starts with it. */
  get keyTag(): string {
    return this.tag;
  }

  configure(windows: ReceiptStoreWindows): void {
    this.windows = windows;
  }

  async addPending(entries: readonly PendingReceipt[]): Promise<PendingReceipt[]> {
    if (entries.length === 0) return [];
    for (let start = 0; start < entries.length; start += MAX_BATCH) {
      const chunk = entries.slice(start, start + MAX_BATCH);
      const keys = [this.dueKey];
      const args: Array<string | number> = [this.windows.pendingTtlMs];
      for (const entry of chunk) {
        keys.push(this.pendingKey(entry.bizId, entry.phoneNumber), this.doneKey(reportKey(entry.bizId, entry.phoneNumber)));
        args.push(
          dueMember(entry.bizId, entry.phoneNumber),
          entry.templateCode,
          entry.signName,
          entry.outId ?? '',
          entry.sentAt,
          entry.nextCheckAt,
          entry.checks,
        );
      }
      await this.scripts.run(ADD_PENDING, keys, args);
    }
    // Bounded by expiry, not by count: nothing is ever evicted.
    return [];
  }

  async getPending(bizId: string, phoneNumber: string): Promise<PendingReceipt | undefined> {
    const found = await this.finds.add({ bizId, phoneNumber, withSending: false });
    return typeof found === 'object' ? found : undefined;
  }

  findSend(bizId: string, phoneNumber: string): Promise<PendingReceipt | 'sending' | undefined> {
    return this.finds.add({ bizId, phoneNumber, withSending: true });
  }

  claim(key: string, leaseMs: number): Promise<ReceiptClaim> {
    return this.claims.add({ key, leaseMs: Math.min(leaseMs, this.claimLeaseMs) });
  }

  settle(key: string, pending?: { bizId: string; phoneNumber: string }, report?: SmsReport): Promise<void> {
    return this.settles.add({ key, pending, report });
  }

  async release(key: string): Promise<void> {
    await this.scripts.run(RELEASE, [this.claimKey(key)], []);
  }

  async claimDue(now: number, limit: number, leaseMs: number): Promise<PendingReceipt[]> {
    const rows = (await this.scripts.run(CLAIM_DUE, [this.dueKey], [now, limit, leaseMs, `${this.tag}:p:`])) as string[][];
    return rows.map(([member, ...fields]) => {
      const { bizId, phoneNumber } = parseDueMember(member);
      return pendingFrom(bizId, phoneNumber, fields);
    });
  }

  async reschedule(bizId: string, phoneNumber: string, nextCheckAt: number, checked: boolean): Promise<void> {
    await this.scripts.run(RESCHEDULE, [this.dueKey, this.pendingKey(bizId, phoneNumber)], [dueMember(bizId, phoneNumber), nextCheckAt, checked ? '1' : '0']);
  }

  async pendingCount(): Promise<number> {
    return this.scripts.bounded('pendingCount', this.client().then((client) => client.zcard(this.dueKey)));
  }

  async beginSends(phoneNumbers: readonly string[], ttlMs: number): Promise<string> {
    const token = randomUUID();
    if (phoneNumbers.length > 0) await this.scripts.run(BEGIN_SENDS, [...new Set(phoneNumbers)].map((p) => this.sendingKey(p)), [ttlMs, token]);
    return token;
  }

  async endSends(token: string, phoneNumbers: readonly string[]): Promise<void> {
    if (phoneNumbers.length > 0) await this.scripts.run(END_SENDS, [...new Set(phoneNumbers)].map((p) => this.sendingKey(p)), [token]);
  }

  async findReport(bizId: string, phoneNumber: string, watchForMs = 0): Promise<SmsReport | undefined> {
    const json = await this.scripts.run(FIND_REPORT, [this.savedReportKey(bizId, phoneNumber), this.awaitedKey(bizId, phoneNumber)], [Math.max(0, Math.ceil(watchForMs))]);
    return typeof json === 'string' ? decodeSettledReport(json) : undefined;
  }

  async watchReports(watcher: SettledReportWatcher): Promise<() => Promise<void>> {
    this.watchers.add(watcher);
    try {
      await this.scripts.bounded('subscribe', (this.subscriber ??= this.subscribe()));
    } catch (error) {
      this.watchers.delete(watcher);
      this.subscriber = undefined;
      throw error;
    }
    return async () => {
      this.watchers.delete(watcher);
      if (this.watchers.size === 0) await this.closeSubscriber();
    };
  }

  async takeQueryToken(ratePerSecond: number, now: number): Promise<number> {
    return Number(await this.scripts.run(TAKE_QUERY_TOKEN, [`${this.tag}:rate`], [ratePerSecond, now]));
  }

  /** Closes the store's own connections (the pub/sub one, and the client when it came from `connection`). */
  async close(): Promise<void> {
    await this.closeSubscriber();
    if (this.ownsClient && this.clientPromise) {
      const client = this.clientPromise;
      this.clientPromise = undefined;
      await quietly(client.then((c) => c.quit()));
    }
  }

  private client(): Promise<RedisReceiptStoreClient> {
    if (!this.clientPromise) {
      const connecting = connectRedis(this.options.connection as string | object);
      // A failed import must not be cached: the next call tries again.
      connecting.catch(() => {
        if (this.clientPromise === connecting) this.clientPromise = undefined;
      });
      this.clientPromise = connecting;
    }
    return this.clientPromise;
  }

  private async subscribe(): Promise<RedisReceiptStoreClient> {
    const subscriber = (await this.client()).duplicate();
    let subscribedOnce = false;
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      let report: SmsReport;
      try {
        report = decodeSettledReport(message);
      } catch {
        return;
      }
      for (const watcher of this.watchers) watcher.report(report);
    });
    // After a reconnect (ioredis resubscribes by itself) reports settled meanwhile may have been missed.
    subscriber.on('ready', () => {
      if (!subscribedOnce) return;
      for (const watcher of this.watchers) watcher.resync();
    });
    subscriber.on('error', () => {
      // Reconnection is ioredis's; store calls report the outage.
    });
    await subscriber.subscribe(this.channel);
    subscribedOnce = true;
    return subscriber;
  }

  private async closeSubscriber(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber) await quietly(subscriber.then((s) => s.quit()));
  }

  private async findBatch(batch: FindRequest[]): Promise<Array<PendingReceipt | 'sending' | undefined>> {
    const keys: string[] = [];
    let withSending = false;
    for (const request of batch) {
      keys.push(this.pendingKey(request.bizId, request.phoneNumber), this.sendingKey(request.phoneNumber));
      withSending ||= request.withSending;
    }
    const rows = (await this.scripts.run(FIND_SENDS, keys, [withSending ? '1' : '0'])) as Array<string[] | string | number>;
    return batch.map((request, i) => {
      const row = rows[i];
      if (Array.isArray(row)) return pendingFrom(request.bizId, request.phoneNumber, row);
      return row === 'S' && request.withSending ? 'sending' : undefined;
    });
  }

  private async claimBatch(batch: ClaimRequest[]): Promise<ReceiptClaim[]> {
    const keys: string[] = [];
    for (const request of batch) keys.push(this.doneKey(request.key), this.claimKey(request.key));
    const leaseMs = Math.max(...batch.map((request) => request.leaseMs));
    try {
      return (await this.scripts.run(CLAIM, keys, [leaseMs, this.owner])) as ReceiptClaim[];
    } catch (error) {
      // The script may still run once Redis answers again: drop those claims after it (same
      // connection, so in order), or the receipts would wait out a lease nobody holds.
      this.scripts.run(RELEASE, batch.map((request) => this.claimKey(request.key)), []).catch(() => {});
      throw error;
    }
  }

  private async settleBatch(batch: SettleRequest[]): Promise<void[]> {
    const keys = [this.dueKey];
    const args: Array<string | number> = [this.windows.dedupeWindowMs, Math.max(1, this.reportRetentionMs), this.channel];
    for (const { key, pending, report } of batch) {
      const bizId = pending?.bizId ?? report?.bizId ?? '';
      const phoneNumber = pending?.phoneNumber ?? report?.phoneNumber ?? '';
      keys.push(this.doneKey(key), this.claimKey(key), this.pendingKey(bizId, phoneNumber), this.savedReportKey(bizId, phoneNumber), this.awaitedKey(bizId, phoneNumber));
      args.push(pending ? dueMember(pending.bizId, pending.phoneNumber) : '', report && this.reportRetentionMs > 0 ? encodeSettledReport(report) : '');
    }
    await this.scripts.run(SETTLE, keys, args);
    return batch.map(() => undefined);
  }

  private pendingKey(bizId: string, phoneNumber: string): string {
    return `${this.tag}:p:${dueMember(bizId, phoneNumber)}`;
  }

  private sendingKey(phoneNumber: string): string {
    return `${this.tag}:s:${phoneNumber}`;
  }

  private claimKey(receiptKey: string): string {
    return `${this.tag}:c:${receiptKey}`;
  }

  private doneKey(receiptKey: string): string {
    return `${this.tag}:d:${receiptKey}`;
  }

  private savedReportKey(bizId: string, phoneNumber: string): string {
    return `${this.tag}:r:${dueMember(bizId, phoneNumber)}`;
  }

  private awaitedKey(bizId: string, phoneNumber: string): string {
    return `${this.tag}:w:${dueMember(bizId, phoneNumber)}`;
  }
}

/** `<phone>:<bizId>`: a phone number has no ':', so the first one splits them again. */
function dueMember(bizId: string, phoneNumber: string): string {
  return `${phoneNumber}:${bizId}`;
}

function parseDueMember(member: string): { bizId: string; phoneNumber: string } {
  const split = member.indexOf(':');
  return { phoneNumber: member.slice(0, split), bizId: member.slice(split + 1) };
}

function pendingFrom(bizId: string, phoneNumber: string, [templateCode, signName, outId, sentAt, nextCheckAt, checks]: string[]): PendingReceipt {
  return {
    bizId,
    phoneNumber,
    templateCode,
    signName,
    outId: outId === '' ? undefined : outId,
    sentAt: Number(sentAt),
    nextCheckAt: Number(nextCheckAt),
    checks: Number(checks),
  };
}

async function quietly(closing: Promise<unknown>): Promise<void> {
  try {
    await closing;
  } catch {
    // Closing a connection that is already gone.
  }
}
