import type { AlicomSmsClock } from '../../clock/alicom-sms.clock.js';

/**
 * One admitted push request: its answer deadline, and the work it started. The slot is free again
 * once the request was answered and every handler it started has finished, so slow handlers hold
 * back new requests (they are answered "busy") instead of piling up.
 */
export class PushRequestSlot {
  /** Resolves when the answer deadline passes. */
  readonly deadline: Promise<void>;
  private passed = false;
  private readonly cancelDeadline: () => void;
  // The answer counts as one piece of outstanding work.
  private outstanding = 1;

  constructor(clock: AlicomSmsClock, answerTimeoutMs: number, private readonly onFree: () => void) {
    let resolve!: () => void;
    this.deadline = new Promise((r) => (resolve = r));
    this.cancelDeadline = clock.schedule(() => {
      this.passed = true;
      resolve();
    }, answerTimeoutMs);
  }

  /** Whether the answer deadline has passed. */
  get expired(): boolean {
    return this.passed;
  }

  /** Keeps the slot taken until `work` settles. */
  hold(work: Promise<unknown>): void {
    this.outstanding++;
    void work.finally(() => this.settle());
  }

  /** The request was answered (call once). */
  answered(): void {
    this.cancelDeadline();
    this.settle();
  }

  private settle(): void {
    if (--this.outstanding === 0) this.onFree();
  }
}
