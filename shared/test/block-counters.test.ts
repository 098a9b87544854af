import { expect } from "vitest";
import { BlockCounters, DEFAULT_BLOCK_STATS_TTL_MS, STANDARD_BLOCK_COUNTERS } from "../src/stats/block-counters.js";
import { redisTest as test } from "./helpers/redis-fixture.js";

test("standard counter names", () => {
  expect(STANDARD_BLOCK_COUNTERS).toEqual(["discovered", "checked", "unhealthy", "liquidated", "missed", "lag"]);
});

test("incr adds to one block's hash, sets its expiry and read returns numbers", async ({ redis, keys }) => {
  const counters = new BlockCounters({ redis, keys });
  expect(await counters.incr(100, "discovered", 5)).toBe(5);
  expect(await counters.incr(100, "discovered")).toBe(6);
  expect(await counters.incr(100, "checked", 3)).toBe(3);
  expect(await counters.incr(100, "custom-field", -2)).toBe(-2);
  expect(await counters.incr(101, "missed")).toBe(1);
  expect(await counters.read(100)).toEqual({ discovered: 6, checked: 3, "custom-field": -2 });
  expect(await counters.read(101)).toEqual({ missed: 1 });
  expect(await counters.read(102)).toEqual({});
  const ttl = await redis.pttl(keys.blockStats(100));
  expect(ttl).toBeGreaterThan(DEFAULT_BLOCK_STATS_TTL_MS - 60_000);
  expect(ttl).toBeLessThanOrEqual(DEFAULT_BLOCK_STATS_TTL_MS);
});

test("incrMany writes several fields in one round trip; ttlMs is configurable", async ({ redis, keys }) => {
  const counters = new BlockCounters({ redis, keys, ttlMs: 5_000 });
  expect(await counters.incrMany(7, { checked: 10, unhealthy: 2 })).toEqual({ checked: 10, unhealthy: 2 });
  expect(await counters.read(7)).toEqual({ checked: 10, unhealthy: 2 });
  expect(await redis.pttl(keys.blockStats(7))).toBeLessThanOrEqual(5_000);
});

test("rejects fractional increments and heights", async ({ redis, keys }) => {
  const counters = new BlockCounters({ redis, keys });
  await expect(counters.incr(1, "lag", 0.5)).rejects.toThrow(/increment of lag at height 1 must be a safe integer, got 0.5/);
  await expect(counters.read(1.5)).rejects.toThrow(/block height must be a safe integer/);
  expect(await redis.exists(keys.blockStats(1))).toBe(0);
});
