interface Queued<I, O> {
  item: I;
  resolve: (result: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers the calls made within one tick into one batch: the receipts of one received MNS batch
 * go through each step together, so a step costs one Redis round trip per batch, not per receipt.
 */
export class TickBatcher<I, O> {
  private queued: Queued<I, O>[] = [];
  private scheduled = false;

  /** @param run answers a batch, one result per item, in order */
  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly maxBatch: number,
  ) {}

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queued.push({ item, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      process.nextTick(() => this.flush());
    });
  }

  private flush(): void {
    this.scheduled = false;
    const all = this.queued;
    this.queued = [];
    for (let start = 0; start < all.length; start += this.maxBatch) {
      const chunk = all.length <= this.maxBatch ? all : all.slice(start, start + this.maxBatch);
      let running: Promise<O[]>;
      try {
        running = this.run(chunk.map((queued) => queued.item));
      } catch (error) {
        running = Promise.reject(error);
      }
      running.then(
        (results) => {
          for (let i = 0; i < chunk.length; i++) chunk[i].resolve(results[i]);
        },
        (error: unknown) => {
          for (const queued of chunk) queued.reject(error);
        },
      );
    }
  }
}
