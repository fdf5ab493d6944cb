import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { ALICOM_SMS_RESOLVED_OPTIONS } from '../alicom-sms.constants.js';
import type { ResolvedAlicomSmsOptions } from '../options/resolved-alicom-sms-options.js';
import { CompensationSweeper } from './compensation.sweeper.js';
import { InspectsAs } from '../utils/inspects-as.js';

/** Name of the sweep job in the app's `SchedulerRegistry` (an interval). @publicApi */
export const COMPENSATION_SWEEP_JOB = 'alicom-sms:compensation-sweep';

/**
 * What the schedule uses of `@nestjs/schedule`'s `SchedulerRegistry`. The package is an optional
 * peer: it is never imported here, only the app's registry instance is used when there is one.
 */
interface IntervalRegistry {
  addInterval(name: string, intervalId: NodeJS.Timeout): void;
  deleteInterval(name: string): void;
  doesExist(type: 'interval', name: string): boolean;
}

function isIntervalRegistry(value: unknown): value is IntervalRegistry {
  const candidate = value as Partial<IntervalRegistry> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    candidate.constructor?.name === 'SchedulerRegistry' &&
    typeof candidate.addInterval === 'function' &&
    typeof candidate.deleteInterval === 'function' &&
    typeof candidate.doesExist === 'function'
  );
}

/**
 * Runs the compensation sweep every `sweepIntervalMs`: as the interval job
 * {@link COMPENSATION_SWEEP_JOB} in the app's `SchedulerRegistry` when the app imports
 * `ScheduleModule.forRoot()` (so `getIntervals()` lists it and `deleteInterval()` stops it), else
 * on a timer of its own. Stops before shutdown, so no sweep starts while the app closes.
 */
@Injectable()
@InspectsAs()
export class CompensationSchedule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private registry?: IntervalRegistry;
  private ownTimer?: NodeJS.Timeout;

  constructor(
    @Inject(ALICOM_SMS_RESOLVED_OPTIONS) private readonly options: ResolvedAlicomSmsOptions,
    private readonly sweeper: CompensationSweeper,
    private readonly discovery: DiscoveryService,
  ) {}

  onApplicationBootstrap(): void {
    const compensation = this.options.compensation;
    if (!compensation) return;
    const timer = setInterval(() => void this.sweeper.sweep(), compensation.sweepIntervalMs);
    // The sweep alone must not keep a finished process alive.
    timer.unref();
    this.registry = this.discovery.getProviders().map((wrapper) => wrapper.instance).find(isIntervalRegistry);
    if (!this.registry) {
      this.ownTimer = timer;
      return;
    }
    if (this.registry.doesExist('interval', COMPENSATION_SWEEP_JOB)) this.registry.deleteInterval(COMPENSATION_SWEEP_JOB);
    this.registry.addInterval(COMPENSATION_SWEEP_JOB, timer);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.ownTimer) clearInterval(this.ownTimer);
    if (this.registry?.doesExist('interval', COMPENSATION_SWEEP_JOB)) this.registry.deleteInterval(COMPENSATION_SWEEP_JOB);
    await this.sweeper.stop();
  }
}
