// Real Redis for the tests (127.0.0.1:6379, started by .ci/run): never a mock. A test that cannot
// reach it fails. Each test works under its own key prefix and removes its keys afterwards.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.ALICOM_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A connected client; rejects (never skips) when Redis does not answer. */
export async function connectTestRedis(url = REDIS_URL): Promise<Redis> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2_000, retryStrategy: () => null });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    throw new Error(`These tests need Redis at ${url} (start it: redis-server --daemonize yes --port 6379): ${(error as Error).message}`);
  }
  return client;
}

/** A key prefix no other test uses. */
export function uniquePrefix(name: string): string {
  return `test-${name}-${randomUUID().slice(0, 8)}`;
}

/** Every key of a store's prefix (its hash tag `{prefix}`). */
export async function keysOf(client: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', `{${prefix}}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

export async function removeKeysOf(client: Redis, prefix: string): Promise<void> {
  const keys = await keysOf(client, prefix);
  for (let i = 0; i < keys.length; i += 500) await client.del(...keys.slice(i, i + 500));
}

/** A real client that counts the commands it sends (to show how many round trips a step costs). */
export function countingClient(client: Redis): { client: Redis; commands: string[] } {
  const commands: string[] = [];
  const counted = new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      if (!['evalsha', 'eval', 'zcard'].includes(property)) return value.bind(target);
      return (...args: unknown[]) => {
        commands.push(property);
        return value.apply(target, args);
      };
    },
  });
  return { client: counted, commands };
}
