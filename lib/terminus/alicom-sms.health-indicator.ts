import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { SmsReceiptListener } from '../receipts/sms-receipt.listener.js';
import type { AlicomSmsHealthOptions } from './alicom-sms-health-options.interface.js';
import { assessReceiptHealth } from './receipt-health.assessor.js';

const DEFAULT_MAX_CONSECUTIVE_ERRORS = 3;
/** Used when the module options cannot be read: the longest allowed long-poll (30 s). */
const DEFAULT_WAIT_SECONDS = 30;
const POLL_AGE_MARGIN_MS = 30_000;

/**
 * A `@nestjs/terminus` health indicator for receipt consumption (the MNS long-poll).
 *
 * `up` while the listener runs, every queue answered a receive recently and no queue is failing
 * in a row; `down` with the reason otherwise. With receipts by HTTP push only (no `receipts`),
 * `up` while the push receiver takes requests. Details carry the listener's counters, and the
 * push receiver's under `push`.
 *
 * Provide it in a module that imports `TerminusModule`:
 *
 * @example
 * ```ts
 * @Controller('health')
 * class HealthController {
 *   constructor(private readonly health: HealthCheckService, private readonly sms: AlicomSmsHealthIndicator) {}
 *
 *   @Get() @HealthCheck()
 *   check() {
 *     return this.health.check([() => this.sms.isHealthy()]);
 *   }
 * }
 * ```
 *
 * @publicApi
 */
@Injectable()
export class AlicomSmsHealthIndicator {
  /** When each queue was first seen running without a successful poll (the listener keeps no start time). */
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly listener: SmsReceiptListener,
  ) {}

  /**
   * Checks receipt consumption.
   *
   * @param key Key of the result in the health check response.
   * @param options Thresholds; see {@link AlicomSmsHealthOptions}.
   */
  async isHealthy<const Key extends string = 'alicom-sms'>(
    key: Key = 'alicom-sms' as Key,
    options: AlicomSmsHealthOptions = {},
  ): Promise<HealthIndicatorResult<Key>> {
    const session = this.indicators.check(key);
    const health = this.listener.health();
    const waitSeconds = health.waitSeconds ?? DEFAULT_WAIT_SECONDS;
    const verdict = assessReceiptHealth(health, {
      maxConsecutiveErrors: options.maxConsecutiveErrors ?? DEFAULT_MAX_CONSECUTIVE_ERRORS,
      maxPollAgeMs: options.maxPollAgeMs ?? 2 * waitSeconds * 1000 + POLL_AGE_MARGIN_MS,
      now: new Date(),
    });

    const details = {
      running: health.running,
      inFlight: health.inFlight,
      handled: health.handled,
      duplicates: health.duplicates,
      handlerFailures: health.handlerFailures,
      deleted: health.deleted,
      poisoned: health.poisoned,
      queues: health.queues.map((queue) => ({
        type: queue.type,
        queue: queue.queue,
        lastSuccessfulPollAt: queue.lastSuccessfulPollAt?.toISOString(),
        consecutiveErrors: queue.consecutiveErrors,
        ...(queue.lastError === undefined ? {} : { lastError: queue.lastError }),
      })),
      ...(health.push ? { push: { ...health.push, lastRequestAt: health.push.lastRequestAt?.toISOString() } } : {}),
    };
    return verdict.healthy ? session.up(details) : session.down({ message: verdict.reason, ...details });
  }
}
