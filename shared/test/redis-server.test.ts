import { Redis } from "ioredis";
import { afterEach, describe, expect, test } from "vitest";
import { findRedisServerBinary, startRedisServer, type RedisServer } from "../../test/support/redis-server.js";

describe("test/support/redis-server", () => {
  const started: RedisServer[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.stop()));
  });

  async function withClient<T>(server: RedisServer, fn: (redis: Redis) => Promise<T>): Promise<T> {
    const redis = new Redis(server.url, { maxRetriesPerRequest: 1, retryStrategy: () => null });
    const errors: Error[] = [];
    redis.on("error", (err: Error) => errors.push(err)); // a refused connection also rejects the command
    try {
      return await fn(redis);
    } finally {
      redis.disconnect();
    }
  }

  test("names the fix when redis-server is missing", () => {
    const saved = process.env.REDIS_SERVER_BIN;
    process.env.REDIS_SERVER_BIN = "/nonexistent/redis-server";
    try {
      expect(() => findRedisServerBinary()).toThrow(/REDIS_SERVER_BIN=\/nonexistent\/redis-server is not an executable file; .*make test.*apt-get install -y redis-server/);
    } finally {
      if (saved === undefined) delete process.env.REDIS_SERVER_BIN;
      else process.env.REDIS_SERVER_BIN = saved;
    }
  });

  test("restart keeps data with appendonly and loses it without", async () => {
    const durable = await startRedisServer({ appendonly: true });
    const volatile = await startRedisServer();
    started.push(durable, volatile);
    expect(durable.url).toBe(`redis://127.0.0.1:${durable.port}`);
    for (const server of [durable, volatile]) await withClient(server, (r) => r.set("k", "v"));
    await durable.restart();
    await volatile.restart();
    expect(await withClient(durable, (r) => r.get("k"))).toBe("v");
    expect(await withClient(volatile, (r) => r.get("k"))).toBeNull();
    expect(await withClient(volatile, (r) => r.config("GET", "save"))).toEqual(["save", ""]);
  });

  test("stop shuts the server down", async () => {
    const server = await startRedisServer();
    await server.stop();
    await expect(withClient(server, (r) => r.ping())).rejects.toThrow();
  });
});
