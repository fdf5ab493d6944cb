interface Slot<V> {
  readonly key: string;
  value: V;
}

/**
 * A string-keyed map that evicts from its oldest end in O(1), for the bounded windows of the
 * receipt pipeline (settled keys, recent reports, pending sends).
 *
 * A plain `Map` used as a FIFO (`map.delete(map.keys().next().value)`) is quadratic in V8:
 * deleted entries stay in the table as holes until it is rehashed, and every walk from the
 * oldest end steps over all of them. At a full 100,000-entry window that cost ~70 µs per
 * eviction, i.e. per receipt. Here the order lives in an array of slots read from a moving head;
 * a slot whose key was deleted or set again is stale and skipped (and dropped) when reached.
 */
export class InsertionOrderedWindow<V> {
  private readonly slots = new Map<string, Slot<V>>();
  private order: Slot<V>[] = [];
  private head = 0;

  /** Live entries. */
  get size(): number {
    return this.slots.size;
  }

  has(key: string): boolean {
    return this.slots.has(key);
  }

  get(key: string): V | undefined {
    return this.slots.get(key)?.value;
  }

  /** Adds `key`, or moves it to the newest end with its new value. */
  set(key: string, value: V): void {
    const slot: Slot<V> = { key, value };
    this.slots.set(key, slot);
    this.order.push(slot);
    this.compact();
  }

  delete(key: string): boolean {
    return this.slots.delete(key);
  }

  /** The oldest live entry, left in place. */
  oldest(): { key: string; value: V } | undefined {
    this.skipStale();
    return this.head < this.order.length ? this.order[this.head] : undefined;
  }

  /** Removes and returns the oldest live entry. */
  shift(): { key: string; value: V } | undefined {
    const slot = this.oldest();
    if (slot) {
      this.slots.delete(slot.key);
      this.head++;
    }
    return slot;
  }

  /** Live entries, oldest first. */
  *entries(): IterableIterator<[string, V]> {
    for (let i = this.head; i < this.order.length; i++) {
      const slot = this.order[i];
      if (this.slots.get(slot.key) === slot) yield [slot.key, slot.value];
    }
  }

  private skipStale(): void {
    while (this.head < this.order.length && this.slots.get(this.order[this.head].key) !== this.order[this.head]) this.head++;
  }

  /** Keeps the order array within a constant factor of the live entries, amortized O(1). */
  private compact(): void {
    const length = this.order.length;
    if (length < 1024) return;
    if (this.head > length / 2) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    } else if (length > 2 * this.slots.size + 1024) {
      // Stale slots in the middle (keys deleted or set again out of order).
      this.order = this.order.slice(this.head).filter((slot) => this.slots.get(slot.key) === slot);
      this.head = 0;
    }
  }
}
