/** A value now, or a promise of it: what a {@link ReceiptStore} method may answer. @publicApi */
export type MaybePromise<T> = T | Promise<T>;

/** Whether `value` is a promise (or thenable) rather than the value itself. */
export function isThenable<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Continues with `next` at once when `value` is already there, else once it resolves. A store that
 * answers synchronously (the in-memory one) thus costs the receipt path no promise per step.
 */
export function andThen<T, R>(value: MaybePromise<T>, next: (value: T) => MaybePromise<R>): MaybePromise<R> {
  return isThenable(value) ? value.then(next) : next(value);
}
