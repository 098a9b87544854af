import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "vitest";
import { AccountLock } from "../src/lock/account-lock.js";
import { redisTest as test } from "./helpers/redis-fixture.js";

test("acquire is exclusive until release by the holder's token", async ({ redis, keys }) => {
  const lock = new AccountLock(redis);
  const key = keys.accountLock("osmo1account");
  const token = await lock.acquire(key, 60_000);
  expect(token).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(await lock.acquire(key, 60_000)).toBeNull();
  expect(await redis.pttl(key)).toBeGreaterThan(0);
  expect(await lock.release(key, "wrong-token")).toBe(false);
  expect(await redis.get(key)).toBe(token);
  expect(await lock.release(key, token!)).toBe(true);
  expect(await redis.exists(key)).toBe(0);
  expect(await lock.release(key, token!)).toBe(false);
  expect(await lock.acquire(key, 60_000)).not.toBeNull();
});

test("extend resets the TTL only for the holder", async ({ redis, keys }) => {
  const lock = new AccountLock(redis);
  const key = keys.accountLock("42");
  const token = await lock.acquire(key, 1_000);
  expect(await lock.extend(key, "wrong-token", 600_000)).toBe(false);
  expect(await redis.pttl(key)).toBeLessThanOrEqual(1_000);
  expect(await lock.extend(key, token!, 600_000)).toBe(true);
  expect(await redis.pttl(key)).toBeGreaterThan(1_000);
});

test("an expired holder can neither release nor extend a lock someone else took", async ({ redis, keys }) => {
  const lock = new AccountLock(redis);
  const key = keys.accountLock("7");
  const first = await lock.acquire(key, 20);
  await sleep(60);
  expect(await redis.exists(key)).toBe(0);
  const second = await lock.acquire(key, 60_000);
  expect(second).not.toBeNull();
  expect(await lock.extend(key, first!, 60_000)).toBe(false);
  expect(await lock.release(key, first!)).toBe(false);
  expect(await redis.get(key)).toBe(second);
});

test("rejects a TTL that is not a positive integer", async ({ redis, keys }) => {
  const lock = new AccountLock(redis);
  await expect(lock.acquire(keys.accountLock("x"), 0)).rejects.toThrow(/ttlMs .* must be an integer >= 1, got 0/);
  await expect(lock.extend(keys.accountLock("x"), "t", 1.5)).rejects.toThrow(/got 1.5/);
});
