import { AlicomSmsClock } from '../clock/alicom-sms.clock.js';

// The emulator's sense of time. Everything Alibaba decides by its own clock follows it: report
// delays, queue visibility, delays and redelivery, long-poll waits, token lifetimes, push gathering
// and retries, and every timestamp the emulator writes. What bounds real I/O (injected latency, the
// push answer timeout) stays on real time.
//
// Request dates (POP `Timestamp`, MNS `Date`) are another matter: clients stamp them with their
// own wall clock, which never jumps when a test advances a ManualClock. They are judged against
// real time shifted by the clock's offset at start, so a clock pinned to a past day accepts
// requests stamped with that day, and a test may advance the clock by hours without its client's
// requests going stale.

/** The real clock, with timers that never keep a finished test process alive. */
class EmulatorWallClock extends AlicomSmsClock {
  override schedule(callback: () => void, ms: number): () => void {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return () => clearTimeout(timer);
  }
}

/** The clock of an emulator started without one. */
export function emulatorWallClock(): AlicomSmsClock {
  return new EmulatorWallClock();
}

/**
 * The time request dates are judged against: real time plus the offset `clock` had from real time
 * when this was called.
 */
export function requestDateClock(clock: AlicomSmsClock): () => number {
  const offsetMs = clock.now() - Date.now();
  return () => Date.now() + offsetMs;
}
