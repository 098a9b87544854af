import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect } from "vitest";
import { lockScripts } from "../src/lock/account-lock.js";
import { LUA_DIR } from "../src/redis/lua-script.js";
import { encodeItem, parseDeadLetter } from "../src/queue/envelope.js";
import { ConsumerAliveError, ItemNotHeldError } from "../src/queue/queue-errors.js";
import {
  ackItems, claimBatch, deadLetterItem, queueScripts, reapConsumer, retryItem, returnItems, unregisterConsumer,
} from "../src/queue/queue-scripts.js";
import { queueKeys, type QueueKeys } from "../src/redis/keys.js";
import { redisTest as test } from "./helpers/redis-fixture.js";

/** CRC16/XMODEM as Redis Cluster uses it (cluster spec, "Key distribution model"). */
function crc16(data: Buffer): number {
  let crc = 0;
  for (const byte of data) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** The cluster slot of a key: CRC16 of the first non-empty `{hash tag}`, or of the whole key, mod 16384. */
function keySlot(key: string): number {
  const open = key.indexOf("{");
  const close = open >= 0 ? key.indexOf("}", open + 1) : -1;
  const hashed = close > open + 1 ? key.slice(open + 1, close) : key;
  return crc16(Buffer.from(hashed, "utf8")) % 16384;
}

/** The `KEYS[i] name TYPE` lines of a script header, in order. */
function headerKeys(file: string): { index: number; name: string; type: string }[] {
  const text = readFileSync(join(LUA_DIR, file), "utf8");
  return [...text.matchAll(/^\s*KEYS\[(\d+)\]\s+(\w+)\s+(STRING|LIST|SET|HASH|ZSET|STREAM)\b/gm)].map((m) => ({ index: Number(m[1]), name: m[2]!, type: m[3]! }));
}

const CONSUMER = "c1";

/** What each documented key name means for a queue and consumer `c1`. */
function namedKeys(q: QueueKeys): Record<string, string> {
  return { pending: q.pending, processing: q.processing(CONSUMER), dead: q.dead, consumers: q.consumers, heartbeat: q.heartbeat(CONSUMER) };
}

const item = (id: string, attempt = 0, data: unknown = { n: 1 }) => encodeItem({ id, height: 100, attempt, data });

describe("script key builders", () => {
  const q = queueKeys("ns{osmosis:redbank}", "health");

  test("crc16 matches the Redis Cluster test vectors", () => {
    expect(crc16(Buffer.from("123456789"))).toBe(0x31c3);
    expect(keySlot("foo")).toBe(12182);
    expect(keySlot("{user1000}.following")).toBe(keySlot("{user1000}.followers"));
  });

  test.each(Object.entries(queueScripts))("%s: builder yields the header's keys in its order", (_name, { script, keys }) => {
    const header = headerKeys(script.file);
    expect(header.map((k) => k.index)).toEqual(header.map((_k, i) => i + 1));
    expect(header).toHaveLength(script.numberOfKeys);
    const built = keys(q, CONSUMER);
    expect(built).toHaveLength(script.numberOfKeys);
    expect(built).toEqual(header.map((k) => namedKeys(q)[k.name]));
    expect(readFileSync(join(LUA_DIR, script.file), "utf8")).toMatch(/ARGV|no ARGV/);
    expect(readFileSync(join(LUA_DIR, script.file), "utf8")).toMatch(/Returns:/);
  });

  test.each(Object.entries(lockScripts))("lock %s: one documented STRING key", (_name, { script, keys }) => {
    expect(headerKeys(script.file)).toEqual([{ index: 1, name: "lock", type: "STRING" }]);
    expect(keys("k")).toHaveLength(script.numberOfKeys);
  });

  test("every key of a queue hashes to the pipeline's slot", () => {
    const slots = new Set([...Object.values(queueScripts).flatMap(({ keys }) => keys(q, CONSUMER)), q.reaperGuard, q.processing("other")].map(keySlot));
    expect([...slots]).toEqual([keySlot("{osmosis:redbank}")]);
  });
});

describe("queue scripts against Redis", () => {
  test("claimBatch moves up to count items in order and stops at an empty list", async ({ redis, keys }) => {
    const q = keys.queue("work");
    await redis.rpush(q.pending, "a", "b", "c");
    expect(await claimBatch(redis, q, CONSUMER, 2)).toEqual(["a", "b"]);
    expect(await claimBatch(redis, q, CONSUMER, 5)).toEqual(["c"]);
    expect(await claimBatch(redis, q, CONSUMER, 5)).toEqual([]);
    expect(await redis.lrange(q.processing(CONSUMER), 0, -1)).toEqual(["a", "b", "c"]);
  });

  test("ackItems removes held items in one call and counts only those held", async ({ redis, keys }) => {
    const q = keys.queue("work");
    await redis.rpush(q.processing(CONSUMER), "a", "b", "c");
    expect(await ackItems(redis, q, CONSUMER, ["a", "c", "zzz"])).toBe(2);
    expect(await redis.lrange(q.processing(CONSUMER), 0, -1)).toEqual(["b"]);
  });

  test("retryItem bumps attempt up to maxAttempts, then dead-letters with the error", async ({ redis, keys }) => {
    const q = keys.queue("work");
    let raw = item("x", 0, { amount: 12345678901234567890n.toString(), list: [], nested: { attempt: 7 } });
    for (let expected = 1; expected <= 2; expected++) {
      await redis.rpush(q.processing(CONSUMER), raw);
      expect(await retryItem(redis, q, CONSUMER, raw, { maxAttempts: 3, reason: "boom", nowMs: 1_000 })).toBe("requeued");
      const next = await redis.lpop(q.pending);
      expect(JSON.parse(next!)).toMatchObject({ id: "x", attempt: expected, data: { nested: { attempt: 7 }, list: [] } });
      expect(next).toBe(raw.replace(`"attempt":${expected - 1}`, `"attempt":${expected}`));
      raw = next!;
    }
    await redis.rpush(q.processing(CONSUMER), raw);
    expect(await retryItem(redis, q, CONSUMER, raw, { maxAttempts: 3, reason: "boom", nowMs: 1_000 })).toBe("dead");
    const [dead] = await redis.lrange(q.dead, 0, -1);
    expect(parseDeadLetter(dead!)).toEqual({ item: raw, reason: "failed 3 of 3 attempts, last error: boom", queue: "work", consumer: CONSUMER, attempt: 2, at: 1_000 });
    expect(await redis.llen(q.pending)).toBe(0);
    expect(await redis.llen(q.processing(CONSUMER))).toBe(0);
  });

  test("retryItem does nothing and reports ItemNotHeld when the item left our list", async ({ redis, keys }) => {
    const q = keys.queue("work");
    await expect(retryItem(redis, q, CONSUMER, item("x"), { maxAttempts: 3, reason: "boom", nowMs: 1 })).rejects.toBeInstanceOf(ItemNotHeldError);
    expect(await redis.llen(q.pending)).toBe(0);
  });

  test("deadLetterItem wraps the raw item with reason, queue, consumer, attempt and time", async ({ redis, keys }) => {
    const q = keys.queue("work");
    await redis.rpush(q.processing(CONSUMER), "not json", item("y", 4));
    await deadLetterItem(redis, q, CONSUMER, "not json", { reason: "not JSON", attempt: undefined, nowMs: 5 });
    await deadLetterItem(redis, q, CONSUMER, item("y", 4), { reason: "unrecoverable: no", attempt: 4, nowMs: 6 });
    const records = (await redis.lrange(q.dead, 0, -1)).map(parseDeadLetter);
    expect(records).toEqual([
      { item: "not json", reason: "not JSON", queue: "work", consumer: CONSUMER, attempt: null, at: 5 },
      { item: item("y", 4), reason: "unrecoverable: no", queue: "work", consumer: CONSUMER, attempt: 4, at: 6 },
    ]);
    await expect(deadLetterItem(redis, q, CONSUMER, "gone", { reason: "r", attempt: 0, nowMs: 7 })).rejects.toBeInstanceOf(ItemNotHeldError);
  });

  test("returnItems puts held items back at the head of pending in their order", async ({ redis, keys }) => {
    const q = keys.queue("work");
    await redis.rpush(q.pending, "later");
    await redis.rpush(q.processing(CONSUMER), "a", "b", "c");
    expect(await returnItems(redis, q, CONSUMER, ["a", "b", "not-held"])).toBe(2);
    expect(await redis.lrange(q.pending, 0, -1)).toEqual(["a", "b", "later"]);
    expect(await redis.lrange(q.processing(CONSUMER), 0, -1)).toEqual(["c"]);
  });

  test("reapConsumer leaves a consumer with a heartbeat alone", async ({ redis, keys }) => {
    const q = keys.queue("work");
    await redis.set(q.heartbeat(CONSUMER), "{}", "PX", 60_000);
    await redis.sadd(q.consumers, CONSUMER);
    await redis.rpush(q.processing(CONSUMER), item("a"));
    await expect(reapConsumer(redis, q, CONSUMER, { maxAttempts: 3, nowMs: 1 })).rejects.toBeInstanceOf(ConsumerAliveError);
    expect(await redis.llen(q.processing(CONSUMER))).toBe(1);
    expect(await redis.sismember(q.consumers, CONSUMER)).toBe(1);
  });

  test("reapConsumer requeues at the head with attempt + 1, keeps data bytes, dead-letters spent items", async ({ redis, keys }) => {
    const q = keys.queue("work");
    const tricky = encodeItem({ id: 'q"uo\\te', height: 99_999_999_999_999, data: { big: 123456789012345678901234567890, empty: [], s: "attempt\":9", "é": "ü/", nested: { attempt: 3 } } });
    const spent = item("spent", 2);
    await redis.rpush(q.pending, "waiting");
    await redis.rpush(q.processing(CONSUMER), item("a"), tricky, "not json", spent, '{"attempt":"x"}');
    await redis.sadd(q.consumers, CONSUMER, "other");
    expect(await reapConsumer(redis, q, CONSUMER, { maxAttempts: 3, nowMs: 42 })).toEqual({ requeued: 4, deadLettered: 1 });
    expect(await redis.lrange(q.pending, 0, -1)).toEqual([item("a", 1), tricky.replace('"attempt":0', '"attempt":1'), "not json", '{"attempt":"x"}', "waiting"]);
    expect(JSON.parse((await redis.lindex(q.pending, 1))!)).toMatchObject({ attempt: 1, data: { nested: { attempt: 3 } } });
    const [dead] = (await redis.lrange(q.dead, 0, -1)).map(parseDeadLetter);
    expect(dead).toMatchObject({ item: spent, queue: "work", consumer: CONSUMER, attempt: 2, at: 42 });
    expect(dead!.reason).toContain("died holding the item");
    expect(await redis.exists(q.processing(CONSUMER))).toBe(0);
    expect(await redis.smembers(q.consumers)).toEqual(["other"]);
  });

  test("reapConsumer bumps the top-level attempt even when data comes first and holds an attempt key", async ({ redis, keys }) => {
    const q = keys.queue("work");
    const raw = '{"data":{"attempt":0,"x":[{"attempt":0}]},"id":"d","height":1,"attempt":0}';
    await redis.rpush(q.processing(CONSUMER), raw);
    await reapConsumer(redis, q, CONSUMER, { maxAttempts: 3, nowMs: 1 });
    expect(await redis.lrange(q.pending, 0, -1)).toEqual(['{"data":{"attempt":0,"x":[{"attempt":0}]},"id":"d","height":1,"attempt":1}']);
  });

  test("unregisterConsumer keeps the registration while items are held", async ({ redis, keys }) => {
    const q = keys.queue("work");
    await redis.set(q.heartbeat(CONSUMER), "{}", "PX", 60_000);
    await redis.sadd(q.consumers, CONSUMER);
    await redis.rpush(q.processing(CONSUMER), "a");
    expect(await unregisterConsumer(redis, q, CONSUMER)).toBe(false);
    expect(await redis.exists(q.heartbeat(CONSUMER))).toBe(0);
    expect(await redis.sismember(q.consumers, CONSUMER)).toBe(1);
    await redis.del(q.processing(CONSUMER));
    expect(await unregisterConsumer(redis, q, CONSUMER)).toBe(true);
    expect(await redis.sismember(q.consumers, CONSUMER)).toBe(0);
  });

  test("scripts still run after SCRIPT FLUSH (EVALSHA falls back to EVAL)", async ({ redis, keys }) => {
    const q = keys.queue("work");
    await redis.rpush(q.pending, "a", "b");
    expect(await claimBatch(redis, q, CONSUMER, 1)).toEqual(["a"]);
    await redis.script("FLUSH");
    expect(await claimBatch(redis, q, CONSUMER, 1)).toEqual(["b"]);
  });
});
