import type { Logger } from '@nestjs/common';
import type { AlicomSmsClock } from '../../clock/alicom-sms.clock.js';
import { MnsRequestError } from '../../errors/mns-request.error.js';
import type { MnsClient } from '../../mns/mns.client.js';
import type { AccessKeyCredentials } from '../../utils/access-key-credentials.js';
import { retryDelayMs } from '../../utils/backoff.js';
import { deleteFailedMessage, deleteNotAppliedMessage } from '../../alicom-sms.messages.js';
import type { QueueCredentials } from './queue-token.provider.js';

/** How a delete ended: `deleted`, `stale` when MNS no longer knew the handle (it will be redelivered), or `failed`. */
export type DeleteOutcome = 'deleted' | 'stale' | 'failed';

/** Told once per message: its delete's outcome, and the error when it `failed`. */
export type DeleteCallback = (outcome: DeleteOutcome, error?: unknown) => void;

interface PendingDelete {
  messageId: string;
  receiptHandle: string;
  done: DeleteCallback;
}

const MAX_BATCH = 16;
const MAX_CONCURRENT_DELETES = 4;
const MAX_DELETE_ATTEMPTS = 4;

/**
 * Pipelined BatchDeleteMessage for one queue: messages handled while a delete is in flight are
 * gathered into the next batch (up to 16), a few batches run in parallel, and the poll loop never
 * waits for them. Each message is called back once its own delete's fate is known.
 */
export class MessageDeleter {
  private readonly queued: PendingDelete[] = [];
  private readonly running = new Set<Promise<void>>();
  private scheduled = false;

  constructor(
    private readonly mns: MnsClient,
    private readonly queue: string,
    private readonly credentials: QueueCredentials,
    private readonly clock: AlicomSmsClock,
    private readonly logger: Logger,
  ) {}

  /** Deletes the message (batched), then calls `done`. */
  delete(message: { messageId: string; receiptHandle: string }, done: DeleteCallback): void {
    this.queued.push({ messageId: message.messageId, receiptHandle: message.receiptHandle, done });
    this.schedule();
  }

  /** Resolves when every requested delete has been sent and answered. */
  async flush(): Promise<void> {
    this.pump();
    while (this.running.size > 0) {
      await Promise.allSettled([...this.running]);
      this.pump();
    }
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // Gather the deletes of one tick (a whole received batch finishing together) into one request.
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.queued.length > 0 && this.running.size < MAX_CONCURRENT_DELETES) {
      const batch = this.queued.splice(0, MAX_BATCH);
      const run = this.deleteBatch(batch).finally(() => {
        this.running.delete(run);
        this.pump();
      });
      this.running.add(run);
    }
  }

  private async deleteBatch(batch: PendingDelete[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let credentials: AccessKeyCredentials | undefined;
      try {
        credentials = await this.credentials.get();
        const { failed } = await this.mns.batchDelete(
          this.queue,
          credentials,
          batch.map((p) => p.receiptHandle),
        );
        const failedHandles = failed.length === 0 ? undefined : new Map(failed.map((f) => [f.receiptHandle, f]));
        for (const pending of batch) {
          const failure = failedHandles?.get(pending.receiptHandle);
          if (!failure) {
            this.settle(pending, 'deleted');
          } else {
            // The handle expired (visibility timeout passed) or was rotated: MNS will redeliver.
            this.logger.warn(deleteNotAppliedMessage(this.queue, pending.messageId, failure.code));
            this.settle(pending, 'stale');
          }
        }
        return;
      } catch (error) {
        if (error instanceof MnsRequestError && error.credentialsRejected && credentials) {
          this.credentials.invalidate(credentials);
        }
        const retryable = !(error instanceof MnsRequestError) || error.retryable || error.credentialsRejected;
        if (!retryable || attempt >= MAX_DELETE_ATTEMPTS) {
          this.logger.error(deleteFailedMessage(this.queue, batch.length, (error as Error)?.message));
          for (const pending of batch) this.settle(pending, 'failed', error);
          return;
        }
        await this.clock.sleep(retryDelayMs(attempt, 100, 2_000));
      }
    }
  }

  /** Calls one message's owner back; a throwing callback must not be taken for a failed delete. */
  private settle(pending: PendingDelete, outcome: DeleteOutcome, error?: unknown): void {
    try {
      pending.done(outcome, error);
    } catch (callbackError) {
      this.logger.error(`Delete callback failed on ${this.queue}: ${(callbackError as Error)?.message}`, (callbackError as Error)?.stack);
    }
  }
}
