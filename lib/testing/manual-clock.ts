import { AlicomSmsClock } from '../clock/alicom-sms.clock.js';

interface Timer {
  due: number;
  order: number;
  callback: () => void;
}

/**
 * A clock that only moves when the test moves it, for `AlicomSmsModule`'s time-driven behaviour
 * (compensation sweeps and give-up, poll backoff and pacing, delete retries, `waitForReport()`
 * timeouts, store leases and windows) and the emulator's (report delays, queue visibility and
 * long-polls, token lifetimes, push retries):
 *
 * @example
 * const clock = new ManualClock();
 * const emulator = await AlicomEmulator.start({ clock });
 * const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
 *   .overrideProvider(AlicomSmsClock).useValue(clock)
 *   .compile();
 * await clock.advance(10 * 60_000); // ten minutes later, timers due by then have fired
 *
 * Network deadlines do not follow it: they bound real I/O.
 *
 * @publicApi
 */
export class ManualClock extends AlicomSmsClock {
  private current: number;
  private readonly timers = new Set<Timer>();
  private scheduled = 0;

  /** @param start the initial time, epoch ms. @default Date.now() */
  constructor(start: number = Date.now()) {
    super();
    this.current = start;
  }

  override now(): number {
    return this.current;
  }

  override schedule(callback: () => void, ms: number): () => void {
    const timer: Timer = { due: this.current + Math.max(0, ms), order: this.scheduled++, callback };
    this.timers.add(timer);
    return () => this.timers.delete(timer);
  }

  /** Timers waiting to fire. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /**
   * Moves time forward by `ms`, firing every timer due by then in order, and letting the work each
   * one starts (promises, I/O callbacks) run before the next fires.
   */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (let next = this.nextDue(); next && next.due <= target; next = this.nextDue()) {
      this.current = Math.max(this.current, next.due);
      this.timers.delete(next);
      next.callback();
      await settle();
    }
    this.current = target;
    await settle();
  }

  private nextDue(): Timer | undefined {
    let earliest: Timer | undefined;
    for (const timer of this.timers) {
      if (!earliest || timer.due < earliest.due || (timer.due === earliest.due && timer.order < earliest.order)) earliest = timer;
    }
    return earliest;
  }
}

/** Lets promise continuations and pending I/O callbacks run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
