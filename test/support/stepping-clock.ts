import { ManualClock } from '../../lib/testing/manual-clock.js';

/**
 * A ManualClock that knows when its next timer is due, so a test can move time from one wake-up
 * of the module to the next instead of guessing step sizes.
 */
export class SteppingClock extends ManualClock {
  private readonly dues = new Set<{ at: number }>();

  override schedule(callback: () => void, ms: number): () => void {
    const entry = { at: this.now() + Math.max(0, ms) };
    this.dues.add(entry);
    const cancel = super.schedule(() => {
      this.dues.delete(entry);
      callback();
    }, ms);
    return () => {
      this.dues.delete(entry);
      cancel();
    };
  }

  /** Ms until the earliest pending timer, or undefined when none is pending. */
  nextDueIn(): number | undefined {
    let earliest: number | undefined;
    for (const { at } of this.dues) earliest = earliest === undefined ? at : Math.min(earliest, at);
    return earliest === undefined ? undefined : Math.max(0, earliest - this.now());
  }
}

/** Waits (polling every millisecond, real time) until `condition` holds; fails naming `what`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
