import type { Logger } from '@nestjs/common';
import type { MnsClient } from '../mns/mns.client.js';
import { MnsRequestError } from '../errors/mns-request.error.js';
import type { AccessKeyCredentials } from '../utils/access-key-credentials.js';
import { delay, retryDelayMs } from '../utils/backoff.js';

/** How a delete ended: `deleted`, or `stale` when MNS no longer knew the handle (it will be redelivered). */
export type AckOutcome = 'deleted' | 'stale';

/** Told once per acknowledged handle: its outcome, or `'failed'` with the error that kept it from being deleted. */
export type AckCallback = (outcome: AckOutcome | 'failed', error?: unknown) => void;

interface PendingAck {
  receiptHandle: string;
  done: AckCallback;
}

/** Credentials source of one queue, with the hook to drop a token MNS refused. */
export interface QueueCredentials {
  get(signal?: AbortSignal): Promise<AccessKeyCredentials>;
  invalidate(rejected: AccessKeyCredentials): void;
}

const MAX_BATCH = 16;
const MAX_CONCURRENT_DELETES = 4;
const MAX_DELETE_ATTEMPTS = 4;

/**
 * Pipelined BatchDeleteMessage for one queue: handles acknowledged while a delete is in flight
 * are gathered into the next batch (up to 16), a few batches run in parallel, and the poll loop
 * never waits for them. Each `ack()` is called back once its own handle's fate is known (a
 * callback, not a promise per message: this runs for every receipt).
 */
export class MessageAcknowledger {
  private readonly queued: PendingAck[] = [];
  private readonly running = new Set<Promise<void>>();
  private scheduled = false;
  /** Handles deleted so far. */
  deleted = 0;

  constructor(
    private readonly mns: MnsClient,
    private readonly queue: string,
    private readonly credentials: QueueCredentials,
    private readonly logger: Logger,
  ) {}

  /** Deletes the message behind `receiptHandle` (batched), then calls `done`. */
  ack(receiptHandle: string, done: AckCallback): void {
    this.queued.push({ receiptHandle, done });
    this.schedule();
  }

  /** Resolves when every acknowledged handle has been sent and answered. */
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
    // Gather the acks of one tick (a whole received batch finishing together) into one request.
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

  private async deleteBatch(batch: PendingAck[]): Promise<void> {
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
            this.deleted++;
            this.settle(pending, 'deleted');
          } else {
            // The handle expired (visibility timeout passed) or was rotated: MNS will redeliver.
            this.logger.warn(`Delete on ${this.queue} not applied (${failure.code}): the message will be delivered again`);
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
          this.logger.error(
            `BatchDeleteMessage on ${this.queue} failed for ${batch.length} message(s): ${(error as Error).message}. ` +
              'They will be delivered again after their visibility timeout.',
          );
          for (const pending of batch) this.settle(pending, 'failed', error);
          return;
        }
        await delay(retryDelayMs(attempt, 100, 2_000));
      }
    }
  }

  /** Calls one handle's owner back; a throwing callback must not be taken for a failed delete. */
  private settle(pending: PendingAck, outcome: AckOutcome | 'failed', error?: unknown): void {
    try {
      pending.done(outcome, error);
    } catch (callbackError) {
      this.logger.error(`Acknowledgement callback failed on ${this.queue}: ${(callbackError as Error)?.message}`, (callbackError as Error)?.stack);
    }
  }
}
