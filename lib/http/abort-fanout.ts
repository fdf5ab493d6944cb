/** Something to stop when a signal aborts. */
export interface AbortTarget {
  onAbort(): void;
}

/**
 * One 'abort' listener per caller signal, however many exchanges share it. Many concurrent calls
 * often carry the same signal (the listener's shutdown signal on every poller and delete, an app's
 * own shutdown signal on its sends); a listener each would trip Node's MaxListenersExceededWarning
 * at 11 and cost an add/remove per request.
 */
export class AbortFanout {
  private readonly targets = new WeakMap<AbortSignal, Set<AbortTarget>>();

  /** Calls `target.onAbort()` when `signal` aborts, until {@link remove}. */
  add(signal: AbortSignal, target: AbortTarget): void {
    let set = this.targets.get(signal);
    if (!set) {
      const created = new Set<AbortTarget>();
      set = created;
      this.targets.set(signal, created);
      signal.addEventListener(
        'abort',
        () => {
          this.targets.delete(signal);
          for (const t of created) t.onAbort();
        },
        { once: true },
      );
    }
    set.add(target);
  }

  remove(signal: AbortSignal, target: AbortTarget): void {
    this.targets.get(signal)?.delete(target);
  }
}
