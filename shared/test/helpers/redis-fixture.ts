import { Writable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import { test as base } from "vitest";
import { connectTestRedis, deleteNamespace, testRedisUrl, uniqueNamespace } from "../../../test/support/redis.js";
import { createLogger, type Logger } from "../../src/log/logger.js";
import { pipelineKeys, type PipelineKeys } from "../../src/redis/keys.js";

/** Log lines captured in memory, parsed (pino's test/helper.js habit). */
export interface LogSink {
  logger: Logger;
  lines: Record<string, unknown>[];
}

/** A logger whose JSON lines land in `lines`. */
export function memoryLogger(level: "debug" | "info" | "warn" = "debug"): LogSink {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ service: "test", level, destination }), lines };
}

/** Polls `check` every `everyMs` until it returns true; throws `describe()` after `timeoutMs` (a hang guard, not a speed assertion). */
export async function waitFor(check: () => Promise<boolean> | boolean, describe: () => Promise<string> | string, timeoutMs = 30_000, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${await describe()}`);
    await sleep(everyMs);
  }
}

/** Per-test fixtures: a Redis connection, a fresh namespace (deleted afterwards), its keys and a log sink. */
export interface RedisFixtures {
  url: string;
  redis: Redis;
  namespace: string;
  keys: PipelineKeys;
  logs: LogSink;
}

/** `test` with Redis fixtures; every test gets its own `test-<uuid>` namespace. */
export const redisTest = base.extend<RedisFixtures>({
  url: async ({}, use) => {
    await use(testRedisUrl());
  },
  redis: async ({ url }, use) => {
    const redis = connectTestRedis(url);
    await use(redis);
    await redis.quit();
  },
  namespace: async ({ redis }, use) => {
    const namespace = uniqueNamespace();
    await use(namespace);
    await deleteNamespace(redis, namespace);
  },
  keys: async ({ namespace }, use) => {
    await use(pipelineKeys({ chain: "testchain", product: "redbank" }, namespace));
  },
  logs: async ({}, use) => {
    await use(memoryLogger());
  },
});
