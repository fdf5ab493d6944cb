import type { EmulatedRpcFailure } from './alicom-emulator-options.interface.js';

/** A fault waiting for the next request of one action. */
export type RpcFault =
  | { readonly kind: 'fail'; readonly failure: EmulatedRpcFailure }
  | { readonly kind: 'drop'; readonly afterProcessing: boolean };

interface PendingFault {
  readonly fault: RpcFault;
  remaining: number;
}

/** Faults queued per action, consumed first-in first-out by the next matching requests. */
export class RpcFaultInjector {
  private readonly pending = new Map<string, PendingFault[]>();

  /** Queues a fault for the next `times` requests of `action`. */
  add(action: string, fault: RpcFault, times: number): void {
    if (!Number.isInteger(times) || times < 1) throw new RangeError(`times must be a positive integer, got ${times}`);
    const queue = this.pending.get(action) ?? [];
    queue.push({ fault, remaining: times });
    this.pending.set(action, queue);
  }

  /** The fault for this request of `action`, if one is queued (and uses it up once). */
  take(action: string): RpcFault | undefined {
    const queue = this.pending.get(action);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.remaining -= 1;
    if (head.remaining === 0) queue.shift();
    return head.fault;
  }

  /** Drops every queued fault. */
  clear(): void {
    this.pending.clear();
  }
}
