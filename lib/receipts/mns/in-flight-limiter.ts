interface Waiter {
  wanted: number;
  minimum: number;
  grant: (permits: number) => void;
}

/**
 * Permits taken from an {@link InFlightLimiter}. Only a lease gives permits back, and never more
 * than it holds: whatever a server answers or a caller repeats, the limiter cannot be released
 * past what was taken.
 */
export class PermitLease {
  #held: number;

  constructor(
    held: number,
    private readonly giveBack: (count: number) => void,
  ) {
    this.#held = held;
  }

  /** Permits this lease still holds. */
  get held(): number {
    return this.#held;
  }

  /** Returns up to `count` of the held permits (whole, non-negative; the rest is ignored). */
  release(count = 1): void {
    const returned = Number.isFinite(count) ? Math.min(Math.max(0, Math.floor(count)), this.#held) : 0;
    if (returned === 0) return;
    this.#held -= returned;
    this.giveBack(returned);
  }

  /** Returns every permit still held. */
  releaseAll(): void {
    this.release(this.#held);
  }
}

/**
 * Fair (FIFO) counting semaphore bounding the receipts being handled at once. Pollers reserve
 * permits before asking MNS for messages, so the bound holds across every poller and nothing is
 * buffered. Released permits go to the longest-waiting poller first: a poller that releases and
 * re-acquires at once must queue behind the others, so no queue starves.
 */
export class InFlightLimiter {
  private used = 0;
  private readonly waiters: Waiter[] = [];

  constructor(readonly capacity: number) {}

  /** Permits currently held. */
  get inUse(): number {
    return this.used;
  }

  /**
   * Waits until at least `minimum` permits are free (and earlier waiters are served), then takes
   * up to `wanted` of them. Resolves with an empty lease when `signal` aborts first.
   */
  acquireUpTo(wanted: number, signal?: AbortSignal, minimum = 1): Promise<PermitLease> {
    if (signal?.aborted) return Promise.resolve(this.lease(0));
    const least = Math.max(1, Math.min(minimum, wanted, this.capacity));
    if (this.waiters.length === 0 && this.capacity - this.used >= least) return Promise.resolve(this.lease(this.take(wanted)));
    return new Promise<PermitLease>((resolve) => {
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        resolve(this.lease(0));
      };
      const waiter: Waiter = {
        wanted,
        minimum: least,
        grant: (permits) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.lease(permits));
        },
      };
      this.waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private lease(permits: number): PermitLease {
    return new PermitLease(permits, (count) => this.release(count));
  }

  /** Takes back `count` permits (only ever called by a lease for permits it holds) and serves waiters in order. */
  private release(count: number): void {
    this.used -= count;
    while (this.waiters.length > 0 && this.capacity - this.used >= this.waiters[0].minimum) {
      const waiter = this.waiters.shift() as Waiter;
      waiter.grant(this.take(waiter.wanted));
    }
  }

  private take(wanted: number): number {
    const granted = Math.min(wanted, this.capacity - this.used);
    this.used += granted;
    return granted;
  }
}
