import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatedMnsOptions } from './emulated-mns-options.js';
import { EmulatedQueue } from './emulated-queue.js';
import type { EmulatedMessageSnapshot, EmulatedQueueAttributes, EmulatedQueueStats } from './emulated-queue.types.js';
import { FaultInjector, type EmulatedMnsFaults } from './fault-injector.js';
import { MnsError, MnsErrors } from './mns-error.js';
import { newMnsRequestId, writeMnsResponse } from './mns-http-response.js';
import type { MnsCredential } from './mns-request-authenticator.js';
import { serveMnsRequest } from './mns-request-handler.js';
import { renderErrorDocument } from './mns-xml.js';
import { createSeededRandom } from '../seeded-random.js';
import { StsTokenRegistry, type EmulatedMnsToken } from './sts-token-registry.js';

export type { EmulatedMnsOptions } from './emulated-mns-options.js';
export type { EmulatedMnsToken } from './sts-token-registry.js';

/** One request the emulator refused, for diagnosing a failing test. */
export interface EmulatedMnsRejection {
  /** Epoch ms of the answer. */
  readonly time: number;
  readonly method: string;
  /** Raw request-target. */
  readonly target: string;
  readonly status: number;
  /** MNS error code sent to the client. */
  readonly code: string;
  /** Emulator-side detail, e.g. the string-to-sign it computed; never a secret. */
  readonly detail?: string;
}

interface DrainWatcher {
  readonly queueName?: string;
  readonly resolve: () => void;
}

const DEFAULT_TOKEN_LIFETIME_MS = 60 * 60 * 1000;
const DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30;
const MAX_REMEMBERED_REJECTIONS = 100;
/** First sequence number, as in the observed handle `8589934593-…` (PROTOCOL.md §4.6). */
const FIRST_MESSAGE_SEQ = 8589934593;

function md5UpperHex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex').toUpperCase();
}

/**
 * The Alicom MNS receipt queues of the emulator: real MNS REST + XML (PROTOCOL.md §4), verified
 * independently of the client (own signature check, own XML), with STS-scoped tokens, visibility
 * and redelivery, long-polling, fault injection and counters that let a test prove no receipt was
 * lost.
 *
 * Serve it from any `http.Server` by buffering the request body and calling `handle()` for paths
 * starting with `/queues/`.
 * @publicApi
 */
export class EmulatedMns {
  /** Lifetime of tokens issued from now on, in ms. */
  tokenLifetimeMs: number;
  /** Live fault settings, applied to receive, peek, delete and change-visibility requests. */
  readonly faults: EmulatedMnsFaults;
  /** The seed behind fault injection; pass it back as `options.seed` to replay a run. */
  readonly seed: number;

  private readonly queues = new Map<string, EmulatedQueue>();
  private readonly tokens: StsTokenRegistry;
  private readonly faultInjector: FaultInjector;
  private readonly drainWatchers = new Set<DrainWatcher>();
  private readonly rejections: EmulatedMnsRejection[] = [];
  private readonly messageIdPrefix = randomBytes(8).toString('hex').toUpperCase();
  private nextSeq = FIRST_MESSAGE_SEQ;
  private nextMessageNumber = 1;
  private nextHandleGeneration = 1;

  constructor(readonly options: EmulatedMnsOptions = {}) {
    this.tokenLifetimeMs = options.tokenLifetimeMs ?? DEFAULT_TOKEN_LIFETIME_MS;
    this.tokens = new StsTokenRegistry(() => this.tokenLifetimeMs);
    this.faults = { errorRate: 0, resetRate: 0, latencyMs: 0, duplicateRate: 0, ...options.faults };
    this.seed = options.seed ?? randomInt(0, 2 ** 31);
    this.faultInjector = new FaultInjector(this.faults, createSeededRandom(this.seed));
  }

  /** Creates a queue if it does not exist; attributes default to the emulator options. */
  createQueue(name: string, attributes: EmulatedQueueAttributes = {}): void {
    if (this.queues.has(name)) return;
    const queue = new EmulatedQueue(
      name,
      {
        visibilityTimeoutSeconds:
          attributes.visibilityTimeoutSeconds ?? this.options.visibilityTimeoutSeconds ?? DEFAULT_VISIBILITY_TIMEOUT_SECONDS,
        pollingWaitSeconds: attributes.pollingWaitSeconds ?? this.options.pollingWaitSeconds ?? 0,
      },
      {
        clock: Date.now,
        nextSeq: () => this.nextSeq++,
        nextMessageId: (enqueueTime) =>
          `${this.messageIdPrefix}-1-${enqueueTime.toString(16).toUpperCase()}-${String(this.nextMessageNumber++).padStart(9, '0')}`,
        nextHandleGeneration: () => this.nextHandleGeneration++,
        shouldDuplicate: () => this.faultInjector.shouldDuplicate(),
        onChange: () => this.checkDrainWatchers(),
      },
    );
    this.queues.set(name, queue);
  }

  /** Changes a queue's attributes at runtime; affects receives from now on. */
  configureQueue(name: string, attributes: EmulatedQueueAttributes): void {
    const queue = this.queue(name);
    if (attributes.visibilityTimeoutSeconds !== undefined) queue.visibilityTimeoutSeconds = attributes.visibilityTimeoutSeconds;
    if (attributes.pollingWaitSeconds !== undefined) queue.pollingWaitSeconds = attributes.pollingWaitSeconds;
  }

  /** Whether a queue exists. */
  hasQueue(name: string): boolean {
    return this.queues.has(name);
  }

  /** Names of all queues. */
  queueNames(): string[] {
    return [...this.queues.keys()];
  }

  /** Issues an STS-style token that grants access to one queue (what QueryTokenForMnsQueue returns). */
  issueToken(messageType: string, queueName: string): EmulatedMnsToken {
    return this.tokens.issue(messageType, queueName);
  }

  /** Number of tokens issued so far. */
  get tokensIssued(): number {
    return this.tokens.issued;
  }

  /** Makes every token issued so far expire now (requests using them get 403 `SecurityTokenExpired`). */
  expireAllTokens(): void {
    this.tokens.expireAll();
  }

  /**
   * Enqueues a message whose body is Base64 of the UTF-8 `JSON.stringify(json)`, like an Alicom
   * receipt (PROTOCOL.md §5.1). Returns the MessageId.
   */
  enqueueJson(queueName: string, json: unknown, options: { delayMs?: number } = {}): string {
    const body = Buffer.from(JSON.stringify(json), 'utf8').toString('base64');
    return this.queue(queueName).enqueue(body, md5UpperHex(body), options.delayMs);
  }

  /**
   * Enqueues a message whose MessageBody text is `bodyText` verbatim — for malformed messages
   * (bad Base64, invalid JSON). `md5` overrides the MessageBodyMD5 (default: the correct
   * upper-case hex MD5 of the text). Returns the MessageId.
   */
  enqueueRaw(queueName: string, bodyText: string, options: { md5?: string; delayMs?: number } = {}): string {
    return this.queue(queueName).enqueue(bodyText, options.md5 ?? md5UpperHex(bodyText), options.delayMs);
  }

  /** Counters of one queue, or summed over all queues when no name is given. */
  stats(queueName?: string): EmulatedQueueStats {
    if (queueName !== undefined) return this.queue(queueName).stats();
    const total = { enqueued: 0, deleted: 0, received: 0, duplicated: 0, visible: 0, inFlight: 0, delayed: 0, waitingReceives: 0 };
    for (const queue of this.queues.values()) {
      const s = queue.stats();
      for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += s[key];
    }
    return total;
  }

  /** Every message of a queue (deleted ones included) in enqueue order. */
  messages(queueName: string): EmulatedMessageSnapshot[] {
    return this.queue(queueName).snapshot();
  }

  /**
   * Resolves once nothing is visible, in flight or delayed (in one queue, or in all); rejects
   * after `timeoutMs` with the counters in the message.
   */
  whenDrained(queueName?: string, timeoutMs = 10_000): Promise<void> {
    if (queueName !== undefined) this.queue(queueName);
    if (this.isDrained(queueName)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.drainWatchers.delete(watcher);
        const scope = queueName ?? 'all queues';
        reject(new Error(`EmulatedMns: ${scope} not drained within ${timeoutMs} ms: ${JSON.stringify(this.stats(queueName))}`));
      }, timeoutMs).unref();
      const watcher: DrainWatcher = {
        queueName,
        resolve: () => {
          clearTimeout(timer);
          this.drainWatchers.delete(watcher);
          resolve();
        },
      };
      this.drainWatchers.add(watcher);
    });
  }

  /** The most recent refused requests (up to 100), oldest first. */
  recentRejections(): readonly EmulatedMnsRejection[] {
    return [...this.rejections];
  }

  /**
   * Serves a request whose path starts with `/queues/`. `rawBody` is the complete request body.
   * Never throws: every failure becomes an MNS `<Error>` answer (or an injected reset).
   */
  async handle(req: IncomingMessage, res: ServerResponse, rawBody: Buffer): Promise<void> {
    const requestId = newMnsRequestId();
    const clientGone = new AbortController();
    const onClose = () => clientGone.abort();
    res.once('close', onClose);
    try {
      const outcome = await serveMnsRequest(
        {
          lookupCredential: (id) => this.lookupCredential(id),
          findQueue: (name) => this.queues.get(name),
          faults: this.faultInjector,
        },
        req,
        rawBody,
        clientGone.signal,
      );
      if (outcome.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      writeMnsResponse(res, outcome.status, requestId, outcome.xml);
    } catch (error) {
      const mnsError = error instanceof MnsError ? error : MnsErrors.internalError();
      // An empty long-poll is the normal outcome of a receive, not a refusal worth remembering.
      const isEmptyReceive = req.method === 'GET' && mnsError.code === 'MessageNotExist';
      if (!isEmptyReceive) {
        this.remember({
          time: Date.now(),
          method: req.method ?? '',
          target: req.url ?? '',
          status: mnsError.status,
          code: mnsError.code,
          detail: mnsError.detail ?? (error instanceof MnsError ? undefined : String(error)),
        });
      }
      const hostId = this.options.hostId ?? `http://${req.headers.host ?? 'localhost'}`;
      writeMnsResponse(res, mnsError.status, requestId, renderErrorDocument(mnsError.code, mnsError.message, requestId, hostId));
    } finally {
      res.off('close', onClose);
    }
  }

  /** Answers held long-polls with `MessageNotExist` and clears all timers. Later requests are still served, without waiting. */
  close(): void {
    for (const queue of this.queues.values()) queue.close();
  }

  private queue(name: string): EmulatedQueue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`EmulatedMns: queue "${name}" does not exist; call createQueue() first.`);
    return queue;
  }

  private lookupCredential(accessKeyId: string): MnsCredential | undefined {
    const longTermSecret = this.options.accessKeys?.[accessKeyId];
    if (longTermSecret !== undefined) return { accessKeySecret: longTermSecret };
    const sts = this.tokens.find(accessKeyId);
    if (!sts) return undefined;
    return {
      accessKeySecret: sts.accessKeySecret,
      securityToken: sts.securityToken,
      expiresAt: sts.expiresAt,
      queueName: sts.queueName,
    };
  }

  private isDrained(queueName?: string): boolean {
    const s = this.stats(queueName);
    return s.visible === 0 && s.inFlight === 0 && s.delayed === 0;
  }

  private checkDrainWatchers(): void {
    for (const watcher of [...this.drainWatchers]) {
      if (this.isDrained(watcher.queueName)) watcher.resolve();
    }
  }

  private remember(rejection: EmulatedMnsRejection): void {
    this.rejections.push(rejection);
    if (this.rejections.length > MAX_REMEMBERED_REJECTIONS) this.rejections.shift();
  }
}
