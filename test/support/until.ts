import type { ManualClock } from '../../lib/testing/manual-clock.js';

/** Polls `condition` every 20 ms until it holds; fails naming `what` after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Moves `clock` forward `stepMs` at a time until `condition` holds, letting the real I/O the due
 * timers start (HTTP requests to the emulator) run between steps; fails naming `what` after
 * `timeoutMs` of real time. For outcomes that only need time to pass, however much.
 */
export async function advanceUntil(
  clock: ManualClock,
  condition: () => boolean | Promise<boolean>,
  what: string,
  { stepMs = 250, timeoutMs = 20_000 }: { stepMs?: number; timeoutMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const startedAt = clock.now();
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what} (the clock moved ${clock.now() - startedAt} ms)`);
    await clock.advance(stepMs);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Moves `clock` until `promise` settles (e.g. a call whose retries wait on it); settles as it does. */
export async function settleOnClock<T>(clock: ManualClock, promise: Promise<T>, what = 'the call to end'): Promise<T> {
  let settled = false;
  const tracked = promise.finally(() => (settled = true));
  // Observed below; this keeps a rejection from counting as unhandled while the clock moves.
  tracked.catch(() => undefined);
  await advanceUntil(clock, () => settled, what, { stepMs: 100 });
  return tracked;
}
