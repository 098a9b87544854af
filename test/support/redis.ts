import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { inject } from "vitest";

/** URL of the run's Redis, started by `test/global-setup.ts` (or `TEST_REDIS_URL`). */
export function testRedisUrl(): string {
  const url = inject("redisUrl");
  if (!url) throw new Error("redisUrl was not provided: run the tests through the root vitest.config.ts (its globalSetup starts Redis)");
  return url;
}

/** A fresh key namespace for one test, `test-<uuid>`; put it in front of every key the test uses. */
export function uniqueNamespace(): string {
  return `test-${randomUUID()}`;
}

/** Opens a plain ioredis connection to the run's Redis (or to `url`); close it with `quit()`. */
export function connectTestRedis(url: string = testRedisUrl()): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}

/**
 * Deletes every key that starts with `namespace` (SCAN + UNLINK, so it never blocks the server).
 * Returns how many keys were removed. Glob characters in the namespace are escaped.
 */
export async function deleteNamespace(redis: Redis, namespace: string): Promise<number> {
  const pattern = `${namespace.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}*`;
  let cursor = "0";
  let removed = 0;
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) removed += await redis.unlink(...keys);
  } while (cursor !== "0");
  return removed;
}
