import type { Logger } from '@nestjs/common';
import { extraMessagesMessage, receiveFailureMessages } from '../../alicom-sms.messages.js';
import type { AlicomSmsClock } from '../../clock/alicom-sms.clock.js';
import { MnsRequestError } from '../../errors/mns-request.error.js';
import type { QueueHealth } from '../../interfaces/receipt-events.interface.js';
import type { MnsMessage } from '../../mns/mns.types.js';
import { retryDelayMs } from '../../utils/backoff.js';
import { FailureStreakLog } from '../../utils/failure-streak-log.js';
import type { InFlightLimiter } from './in-flight-limiter.js';
import { MessageProcessor, type MessageProcessorContext } from './message-processor.js';

/**
 * Pause before the next receive after an empty answer that came back sooner than a long poll
 * should (a `waitSeconds` of 0, or a server that does not hold the poll): from one second,
 * doubling while the queue stays empty, up to the longest long poll MNS allows. A queue that
 * holds its long polls is asked again at once.
 */
const EMPTY_RECEIVE_PAUSE_MIN_MS = 1_000;
const EMPTY_RECEIVE_PAUSE_MAX_MS = 30_000;
/** An answer this close to the full wait counts as a held long poll (timers are not exact). */
const HELD_POLL_TOLERANCE = 0.8;

/** Longest pause between receives while the receipt store fails: short enough to notice its recovery soon. */
const STORE_FAILING_PAUSE_MAX_MS = 2_000;

/** What a poller works with: its queue's processor context plus the shared in-flight bound. */
export interface QueuePollerContext extends MessageProcessorContext {
  limiter: InFlightLimiter;
}

/**
 * Consumes one Alicom queue: runs its long-poll loops (BatchReceiveMessage), hands each message
 * to the queue's {@link MessageProcessor}, and keeps the queue's health. The loops never end on an
 * error, only when their signal aborts.
 */
export class QueuePoller {
  readonly processor: MessageProcessor;
  private readonly state: Omit<QueueHealth, 'receivesInProgress' | 'receivingSince'>;
  /** Start (module clock) of each receive in progress, one entry per loop waiting on MNS. */
  private readonly receiving = new Map<object, number>();
  private readonly failureLog: FailureStreakLog;
  private lastExtraWarningAt = -Infinity;

  constructor(private readonly ctx: QueuePollerContext) {
    this.state = { type: ctx.type, queue: ctx.queue, consecutiveErrors: 0 };
    this.processor = new MessageProcessor(ctx);
    this.failureLog = new FailureStreakLog(receiveFailureMessages(ctx.queue), ctx.logger, () => ctx.clock.now());
  }

  get queue(): string {
    return this.ctx.queue;
  }

  /** A snapshot of this queue's poll state. */
  get health(): QueueHealth {
    let oldest: number | undefined;
    for (const startedAt of this.receiving.values()) oldest = oldest === undefined ? startedAt : Math.min(oldest, startedAt);
    return {
      ...this.state,
      receivesInProgress: this.receiving.size,
      ...(oldest === undefined ? {} : { receivingSince: new Date(oldest) }),
    };
  }

  /**
   * Runs one long-poll loop until `signal` aborts; never rejects. Each receive asks for at most
   * `share` messages (its fair part of `maxInFlight`), so one queue's open long-polls cannot hold
   * every permit while another queue has work; while the queue is idle, a loop holds one permit.
   */
  async poll(signal: AbortSignal, share: number): Promise<void> {
    const { limiter, clock } = this.ctx;
    let want = 1;
    let emptyStreak = 0;
    while (!signal.aborted) {
      if (this.ctx.storeHealth.failing) {
        // Receipts cannot be settled now: take them one at a time, slowly, until the store answers.
        want = 1;
        await clock.sleep(retryDelayMs(this.ctx.storeHealth.consecutiveFailures - 1, 500, STORE_FAILING_PAUSE_MAX_MS), signal);
        if (signal.aborted) break;
      }
      const lease = await limiter.acquireUpTo(want, signal, want);
      const permits = lease.held;
      if (permits === 0) break;
      const startedAt = performance.now();
      const receive = {};
      this.receiving.set(receive, clock.now());
      let messages: MnsMessage[];
      try {
        messages = await this.receive(permits, signal);
      } catch (error) {
        this.receiving.delete(receive);
        lease.releaseAll();
        if (signal.aborted) break;
        await clock.sleep(this.failed(error), signal);
        continue;
      }
      this.receiving.delete(receive);
      this.succeeded();
      if (messages.length > permits) {
        // Not processed: they come back after their visibility timeout, and the bound holds.
        this.warnExtraMessages(permits, messages.length);
        messages = messages.slice(0, permits);
      }
      lease.release(permits - messages.length);
      for (const message of messages) this.processor.process(message, () => lease.release(1));
      if (messages.length > 0) {
        want = share;
        emptyStreak = 0;
        continue;
      }
      want = 1;
      // Measured in real time: it is the server's behaviour (holding the poll or not) that counts.
      const pause = this.pauseAfterEmpty(performance.now() - startedAt, ++emptyStreak);
      if (pause === 0) emptyStreak = 0;
      else await clock.sleep(pause, signal);
    }
  }

  /** Waits for the messages being processed (at most `timeoutMs`), then for their deletes. */
  drain(timeoutMs: number): Promise<boolean> {
    return this.processor.drain(timeoutMs);
  }

  private async receive(numOfMessages: number, signal: AbortSignal): Promise<MnsMessage[]> {
    const { mns, credentials, options, queue } = this.ctx;
    // One immediate retry with a fresh token when MNS refuses the cached one (expired/revoked).
    for (let attempt = 0; ; attempt++) {
      const creds = await credentials.get(signal);
      try {
        return await mns.batchReceive(queue, creds, { numOfMessages, waitSeconds: options.waitSeconds, signal });
      } catch (error) {
        if (attempt === 0 && error instanceof MnsRequestError && error.credentialsRejected) {
          credentials.invalidate(creds);
          continue;
        }
        throw error;
      }
    }
  }

  private succeeded(): void {
    this.state.lastSuccessfulPollAt = new Date(this.ctx.clock.now());
    this.state.consecutiveErrors = 0;
    this.state.lastError = undefined;
    this.failureLog.succeeded();
  }

  /** Records a failed receive; returns how long this loop waits before the next one. */
  private failed(error: unknown): number {
    const text = (error as Error)?.message ?? String(error);
    this.state.consecutiveErrors++;
    this.state.lastError = text;
    this.failureLog.failed(text);
    return retryDelayMs(this.state.consecutiveErrors - 1, 500, 30_000);
  }

  /** 0 after a held long poll, else the pause for the `streak`-th early empty answer in a row. */
  private pauseAfterEmpty(elapsedMs: number, streak: number): number {
    const expectedMs = Math.max(this.ctx.options.waitSeconds * 1000, EMPTY_RECEIVE_PAUSE_MIN_MS);
    if (elapsedMs >= expectedMs * HELD_POLL_TOLERANCE) return 0;
    const pause = Math.min(EMPTY_RECEIVE_PAUSE_MAX_MS, expectedMs * 2 ** Math.min(streak - 1, 10));
    return Math.max(0, pause - elapsedMs);
  }

  private warnExtraMessages(asked: number, got: number): void {
    const now = this.ctx.clock.now();
    if (now - this.lastExtraWarningAt < 60_000) return;
    this.lastExtraWarningAt = now;
    this.ctx.logger.warn(extraMessagesMessage(this.ctx.queue, asked, got));
  }
}
