import { Injectable } from '@nestjs/common';

/**
 * The module's sense of time: the wall clock behind schedules and ages (compensation sweeps,
 * give-up), store leases and windows, and the timer behind every wait the module makes on its own
 * (poll backoff and pacing, delete and query retries, the sweep's rate limit, `waitForReport()`
 * timeouts). What the servers judge stays on real time: request signatures, queue-token expiry
 * and network deadlines.
 *
 * Replace it to control time in tests, e.g. with `ManualClock` from `nestjs-alicom-sms/testing`:
 * `Test.createTestingModule(...).overrideProvider(AlicomSmsClock).useValue(clock)`.
 *
 * @publicApi
 */
@Injectable()
export class AlicomSmsClock {
  /** Milliseconds since the epoch. */
  now(): number {
    return Date.now();
  }

  /** Calls `callback` once after `ms`; the returned function cancels it. */
  schedule(callback: () => void, ms: number): () => void {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  }

  /** Resolves after `ms`, or early (without rejecting) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        cancel();
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const cancel = this.schedule(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
