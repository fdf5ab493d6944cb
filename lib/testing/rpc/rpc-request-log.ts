import type { RpcProduct } from './rpc-action.interface.js';
import type { EmulatedRpcRequest, Writable } from './emulated-records.interface.js';

/** Every RPC request that reached the emulator, in arrival order. */
export class RpcRequestLog {
  private readonly entries: Writable<EmulatedRpcRequest>[] = [];

  /** All requests so far (live entries: the answer is filled in once known). */
  get all(): readonly EmulatedRpcRequest[] {
    return this.entries;
  }

  /** Records an arrival and returns the entry to complete later. */
  add(
    product: RpcProduct,
    action: string,
    method: string,
    parameters: Readonly<Record<string, string>>,
    receivedAt: Date,
  ): Writable<EmulatedRpcRequest> {
    const entry: Writable<EmulatedRpcRequest> = { product, action, method, parameters, receivedAt, dropped: false };
    this.entries.push(entry);
    return entry;
  }

  /** Number of requests for one action, or for all actions. */
  count(action?: string): number {
    return action === undefined ? this.entries.length : this.entries.filter((entry) => entry.action === action).length;
  }

  /** Forgets all requests. */
  clear(): void {
    this.entries.length = 0;
  }
}
