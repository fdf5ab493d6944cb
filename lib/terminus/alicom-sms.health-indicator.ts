import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { AlicomSmsClock } from '../clock/alicom-sms.clock.js';
import { SmsReceiptListener } from '../receipts/sms-receipt.listener.js';
import { AlicomSmsConfigError } from '../errors/alicom-sms-config.error.js';
import { describeValue } from '../utils/describe-value.js';
import { checkOptionsObject, type OptionRule } from '../utils/options-check.js';
import type { AlicomSmsHealthOptions } from './alicom-sms-health-options.interface.js';
import { assessReceiptHealth } from './receipt-health.assessor.js';
import { InspectsAs } from '../utils/inspects-as.js';

const DEFAULT_MAX_CONSECUTIVE_ERRORS = 3;
/** Used when the module options cannot be read: the longest allowed long-poll (30 s). */
const DEFAULT_WAIT_SECONDS = 30;
const POLL_AGE_MARGIN_MS = 30_000;
const HEALTH_OPTION_RULES: Record<keyof AlicomSmsHealthOptions, OptionRule> = {
  maxConsecutiveErrors: { kind: 'integer', min: 1, max: 1_000_000 },
  maxPollAgeMs: { kind: 'integer', min: 1, max: 30 * 86_400_000 },
};

/**
 * A `@nestjs/terminus` health indicator for receipt consumption (the MNS long-poll).
 *
 * `up` while the listener runs, every queue answered a receive recently, no receive hangs and no
 * queue is failing in a row; `down` with the reason otherwise. With receipts by HTTP push only (no
 * `receipts`), `up` while the push receiver takes requests. Details carry the listener's counters
 * and each queue's poll state, and the push receiver's under `push`. Ages are measured on the
 * module's {@link AlicomSmsClock}.
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
@InspectsAs()
export class AlicomSmsHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly listener: SmsReceiptListener,
    private readonly clock: AlicomSmsClock,
  ) {}

  /**
   * Checks receipt consumption.
   *
   * @param key Key of the result in the health check response.
   * @param options Thresholds; see {@link AlicomSmsHealthOptions}.
   * @throws AlicomSmsConfigError when `key` or `options` are malformed (an unknown or misspelt option included).
   */
  async isHealthy<const Key extends string = 'alicom-sms'>(
    key: Key = 'alicom-sms' as Key,
    options: AlicomSmsHealthOptions = {},
  ): Promise<HealthIndicatorResult<Key>> {
    if (typeof key !== 'string' || key === '') {
      throw new AlicomSmsConfigError([{ field: 'key', problem: `must be a non-empty string, got ${describeValue(key)}` }], 'isHealthy() arguments');
    }
    const thresholds = checkOptionsObject<AlicomSmsHealthOptions>('isHealthy() options', options, HEALTH_OPTION_RULES, 'config');
    const session = this.indicators.check(key);
    const health = this.listener.health();
    const waitSeconds = health.waitSeconds ?? DEFAULT_WAIT_SECONDS;
    const verdict = assessReceiptHealth(health, {
      maxConsecutiveErrors: thresholds.maxConsecutiveErrors ?? DEFAULT_MAX_CONSECUTIVE_ERRORS,
      maxPollAgeMs: thresholds.maxPollAgeMs ?? 2 * waitSeconds * 1000 + POLL_AGE_MARGIN_MS,
      now: new Date(this.clock.now()),
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
        receivesInProgress: queue.receivesInProgress,
        ...(queue.receivingSince === undefined ? {} : { receivingSince: queue.receivingSince.toISOString() }),
        ...(queue.lastError === undefined ? {} : { lastError: queue.lastError }),
      })),
      ...(health.push ? { push: { ...health.push, lastRequestAt: health.push.lastRequestAt?.toISOString() } } : {}),
    };
    return verdict.healthy ? session.up(details) : session.down({ message: verdict.reason, ...details });
  }
}
