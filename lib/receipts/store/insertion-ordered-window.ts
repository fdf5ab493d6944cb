/**
 * A string-keyed map that evicts from its oldest end in O(1), for the bounded windows of the
 * receipt path (settled keys, recent reports, pending sends).
 *
 * A plain `Map` used as a FIFO (`map.delete(map.keys().next().value)`) degrades to quadratic in V8:
 * deleted entries stay in the table as holes until it is rehashed, and every walk from the oldest
 * end steps over all of them. Here the order lives in two parallel arrays (keys, values) read from
 * a moving head, and the map only holds each live key's position. A position whose key was deleted
 * or set again is stale and skipped (and dropped) when reached.
 */
export class InsertionOrderedWindow<V> {
  /** key → its position: `base` + its index in `keys` / `values`. */
  private readonly positions = new Map<string, number>();
  private keys: (string | undefined)[] = [];
  private values: (V | undefined)[] = [];
  /** Position of `keys[0]`. */
  private base = 0;
  /** Index of the oldest entry not dropped yet. */
  private head = 0;

  /** Live entries. */
  get size(): number {
    return this.positions.size;
  }

  has(key: string): boolean {
    return this.positions.has(key);
  }

  get(key: string): V | undefined {
    const position = this.positions.get(key);
    return position === undefined ? undefined : this.values[position - this.base];
  }

  /** Adds `key`, or moves it to the newest end with its new value. */
  set(key: string, value: V): void {
    this.forget(key);
    this.positions.set(key, this.base + this.keys.length);
    this.keys.push(key);
    this.values.push(value);
    this.compact();
  }

  delete(key: string): boolean {
    if (!this.forget(key)) return false;
    this.positions.delete(key);
    return true;
  }

  /** The oldest live entry, left in place. */
  oldest(): { key: string; value: V } | undefined {
    this.skipStale();
    if (this.head === this.keys.length) return undefined;
    return { key: this.keys[this.head] as string, value: this.values[this.head] as V };
  }

  /** The value of the oldest live entry, left in place (no object made for it). */
  oldestValue(): V | undefined {
    this.skipStale();
    return this.head === this.keys.length ? undefined : this.values[this.head];
  }

  /** Removes and returns the oldest live entry. */
  shift(): { key: string; value: V } | undefined {
    const oldest = this.oldest();
    if (oldest) {
      this.positions.delete(oldest.key);
      this.drop(this.head);
      this.head++;
    }
    return oldest;
  }

  /** Live entries, oldest first. */
  *entries(): IterableIterator<[string, V]> {
    for (let i = this.head; i < this.keys.length; i++) {
      const key = this.keys[i];
      if (key !== undefined && this.positions.get(key) === this.base + i) yield [key, this.values[i] as V];
    }
  }

  /** Clears `key`'s current place in the arrays (its value must not be kept alive); false if absent. */
  private forget(key: string): boolean {
    const position = this.positions.get(key);
    if (position === undefined) return false;
    this.drop(position - this.base);
    return true;
  }

  private drop(index: number): void {
    this.keys[index] = undefined;
    this.values[index] = undefined;
  }

  private skipStale(): void {
    while (this.head < this.keys.length && this.keys[this.head] === undefined) this.head++;
  }

  /** Keeps the arrays within a constant factor of the live entries, amortized O(1). */
  private compact(): void {
    const length = this.keys.length;
    if (length < 1024) return;
    if (this.head > length / 2) {
      // Mostly dropped at the oldest end (the windows' FIFO case): positions stay valid.
      this.keys = this.keys.slice(this.head);
      this.values = this.values.slice(this.head);
      this.base += this.head;
      this.head = 0;
    } else if (length > 2 * this.positions.size + 1024) {
      // Mostly deleted in the middle (settled pending sends): renumber the live entries.
      const keys: string[] = [];
      const values: (V | undefined)[] = [];
      this.base += length;
      for (let i = this.head; i < length; i++) {
        const key = this.keys[i];
        if (key === undefined) continue;
        this.positions.set(key, this.base + keys.length);
        keys.push(key);
        values.push(this.values[i]);
      }
      this.keys = keys;
      this.values = values;
      this.head = 0;
    }
  }
}
