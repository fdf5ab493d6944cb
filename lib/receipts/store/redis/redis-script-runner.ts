import { ReceiptStoreError } from '../../../errors/receipt-store.error.js';
import type { RedisReceiptStoreClient } from './redis-client.js';
import type { RedisScript } from './redis-scripts.js';

/**
 * Runs the store's scripts: EVALSHA, falling back to EVAL when the server does not know the
 * script yet (first use, restart, failover), each call bounded by a timeout so that an
 * unreachable Redis fails a step instead of holding it until the client gives up reconnecting.
 */
export class RedisScriptRunner {
  constructor(
    private readonly client: () => Promise<RedisReceiptStoreClient>,
    private readonly timeoutMs: number,
  ) {}

  run(script: RedisScript, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
    return this.bounded(script.name, this.evaluate(script, keys, args));
  }

  /** `call` bounded by the timeout; rejects with a {@link ReceiptStoreError} naming `step`. */
  bounded<T>(step: string, call: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new ReceiptStoreError(`Receipt store (Redis) ${step}: no answer within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
      timer.unref?.();
      call.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(ReceiptStoreError.wrap(error, `(Redis) ${step}`));
        },
      );
    });
  }

  private async evaluate(script: RedisScript, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
    const client = await this.client();
    try {
      return await client.evalsha(script.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
      return client.eval(script.source, keys.length, ...keys, ...args);
    }
  }
}
