import { Inject, Injectable } from '@nestjs/common';
import { ALICOM_SMS_RESOLVED_OPTIONS } from '../../alicom-sms.constants.js';
import { AlicomApiError } from '../../errors/alicom-api.error.js';
import type { AlicomMessageType } from '../../options/alicom-sms-module-options.interface.js';
import type { ResolvedAlicomSmsOptions } from '../../options/resolved-alicom-sms-options.js';
import { PopRpcClient } from '../../rpc/pop-rpc.client.js';
import { AccessKeyCredentials } from '../../utils/access-key-credentials.js';
import { parseBeijingDateTime } from '../../utils/beijing-time.js';
import { InspectsAs } from '../../utils/inspects-as.js';

/** The credentials of one queue, with the hook to drop a token MNS refused. */
export interface QueueCredentials {
  get(signal?: AbortSignal): Promise<AccessKeyCredentials>;
  invalidate(rejected: AccessKeyCredentials): void;
}

interface CachedToken {
  credentials: AccessKeyCredentials;
  /** Local instant after which the token is refreshed before use. */
  refreshAt: number;
}

/**
 * Temporary STS credentials for the Alicom queues (QueryTokenForMnsQueue), one per message type.
 *
 * Cached until shortly before their real `ExpireTime` (Beijing time) — bounded by the local
 * receive time plus the issued lifetime, so a skewed clock cannot keep a dead token — fetched
 * single-flight (concurrent pollers share one request), and dropped at once when MNS rejects it.
 */
@Injectable()
@InspectsAs()
export class QueueTokenProvider {
  private readonly cache = new Map<AlicomMessageType, CachedToken>();
  private readonly pending = new Map<AlicomMessageType, Promise<AccessKeyCredentials>>();
  /** Tokens fetched so far (health / tests). */
  fetches = 0;

  constructor(
    @Inject(ALICOM_SMS_RESOLVED_OPTIONS) private readonly options: ResolvedAlicomSmsOptions,
    private readonly rpc: PopRpcClient,
  ) {}

  /** The credentials of the queue of `type`. */
  forQueue(type: AlicomMessageType): QueueCredentials {
    return {
      get: (signal) => this.get(type, signal),
      invalidate: (rejected) => this.invalidate(type, rejected),
    };
  }

  /** Valid credentials for the queue of `type`, fetching them when needed. */
  get(type: AlicomMessageType, signal?: AbortSignal): Promise<AccessKeyCredentials> {
    const cached = this.cache.get(type);
    if (cached && Date.now() < cached.refreshAt) return Promise.resolve(cached.credentials);
    let pending = this.pending.get(type);
    if (!pending) {
      pending = this.fetch(type, signal).finally(() => this.pending.delete(type));
      this.pending.set(type, pending);
    }
    return pending;
  }

  /** Forgets `rejected` (MNS refused it); the next `get` fetches a new token. */
  invalidate(type: AlicomMessageType, rejected: AccessKeyCredentials): void {
    // Only the token that was actually refused: another poller may already hold a fresh one.
    if (this.cache.get(type)?.credentials === rejected) this.cache.delete(type);
  }

  private async fetch(type: AlicomMessageType, signal?: AbortSignal): Promise<AccessKeyCredentials> {
    const receipts = this.options.receipts;
    const params: Record<string, string> = { MessageType: type };
    if (receipts) params.QueueName = receipts.queuePrefix + type;
    const receivedAt = Date.now();
    const body = await this.rpc.call({
      endpoint: this.options.endpoints.token,
      action: 'QueryTokenForMnsQueue',
      params,
      idempotent: true,
      signal,
    });
    this.fetches++;
    const dto = body.MessageTokenDTO as Record<string, unknown> | undefined;
    const expire = parseBeijingDateTime(String(dto?.ExpireTime ?? ''));
    const create = parseBeijingDateTime(String(dto?.CreateTime ?? ''));
    if (!dto || typeof dto.AccessKeyId !== 'string' || typeof dto.AccessKeySecret !== 'string' || typeof dto.SecurityToken !== 'string' || !expire) {
      throw new AlicomApiError(`QueryTokenForMnsQueue(${type}) answered OK without a usable MessageTokenDTO (RequestId ${body.RequestId})`, {
        code: 'MalformedResponse',
        action: 'QueryTokenForMnsQueue',
        requestId: body.RequestId,
        httpStatus: 200,
        resendSafe: true,
        retryable: true,
      });
    }
    const lifetime = create ? expire.getTime() - create.getTime() : expire.getTime() - receivedAt;
    const expiresAt = Math.min(expire.getTime(), receivedAt + Math.max(0, lifetime));
    // Short-lived tokens (tests, emulators) still get most of their life used.
    const margin = Math.min(receipts ? receipts.tokenRefreshMarginMs : 120_000, Math.max(0, lifetime) / 2);
    const credentials = new AccessKeyCredentials(dto.AccessKeyId, dto.AccessKeySecret, dto.SecurityToken);
    this.cache.set(type, { credentials, refreshAt: expiresAt - margin });
    return credentials;
  }
}
