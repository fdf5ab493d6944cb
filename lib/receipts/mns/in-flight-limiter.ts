interface Waiter {
  wanted: number;
  minimum: number;
  grant: (permits: number) => void;
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
   * up to `wanted` of them. Resolves with 0 when `signal` aborts first.
   */
  acquireUpTo(wanted: number, signal?: AbortSignal, minimum = 1): Promise<number> {
    if (signal?.aborted) return Promise.resolve(0);
    const least = Math.max(1, Math.min(minimum, wanted, this.capacity));
    if (this.waiters.length === 0 && this.capacity - this.used >= least) return Promise.resolve(this.take(wanted));
    return new Promise<number>((resolve) => {
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        resolve(0);
      };
      const waiter: Waiter = {
        wanted,
        minimum: least,
        grant: (permits) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(permits);
        },
      };
      this.waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Returns `count` permits and hands them to waiting pollers in arrival order. */
  release(count: number): void {
    if (count <= 0) return;
    this.used = Math.max(0, this.used - count);
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
