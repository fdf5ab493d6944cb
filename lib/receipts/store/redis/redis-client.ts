/**
 * What `RedisReceiptStore` uses of an ioredis client: an ioredis `Redis` or `Cluster` instance
 * fits. Declared here so the module's types do not require ioredis.
 *
 * @publicApi
 */
export interface RedisReceiptStoreClient {
  evalsha(sha: string, numKeys: number, ...keysAndArgs: Array<string | number>): Promise<unknown>;
  eval(script: string, numKeys: number, ...keysAndArgs: Array<string | number>): Promise<unknown>;
  zcard(key: string): Promise<number>;
  /** A new connection with the same options (the store subscribes on it). */
  duplicate(): RedisReceiptStoreClient;
  subscribe(...channels: string[]): Promise<unknown>;
  on(event: string, listener: (...args: any[]) => void): unknown;
  quit(): Promise<unknown>;
  disconnect(): void;
}

/** Whether `value` looks like an ioredis client (the methods the store calls). */
export function isRedisClient(value: unknown): value is RedisReceiptStoreClient {
  const candidate = value as Record<string, unknown> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    ['evalsha', 'eval', 'zcard', 'duplicate', 'subscribe', 'on', 'quit', 'disconnect'].every((m) => typeof candidate[m] === 'function')
  );
}

/** An ioredis `Redis` client made from `connection` (a URL or ioredis options), ioredis loaded only now. */
export async function connectRedis(connection: string | object): Promise<RedisReceiptStoreClient> {
  let ioredis: { Redis?: new (arg: unknown) => RedisReceiptStoreClient; default?: { Redis?: new (arg: unknown) => RedisReceiptStoreClient } };
  try {
    ioredis = (await import('ioredis')) as typeof ioredis;
  } catch (error) {
    throw new Error(`RedisReceiptStore needs the ioredis package (npm install ioredis@6): ${(error as Error)?.message}`);
  }
  const Redis = ioredis.Redis ?? ioredis.default?.Redis;
  if (!Redis) throw new Error('RedisReceiptStore: the installed ioredis does not export Redis; install ioredis@6');
  return new Redis(connection);
}
