import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { describe, expect } from "vitest";
import { z } from "zod";
import { UnrecoverableError } from "../src/errors.js";
import { encodeItem, type QueueItem } from "../src/queue/envelope.js";
import type { QueueConsumer } from "../src/queue/queue-consumer.js";
import { ReliableQueue } from "../src/queue/reliable-queue.js";
import { redisTest as test, waitFor, type RedisFixtures } from "./helpers/redis-fixture.js";

type Payload = { account: string };
const schema = z.object({ account: z.string().min(1) });

function makeQueue({ redis, keys, logs }: Pick<RedisFixtures, "redis" | "keys" | "logs">, maxAttempts = 3) {
  return new ReliableQueue<Payload>({ redis, keys: keys.queue("work"), logger: logs.logger, schema, maxAttempts });
}

const items = (n: number, prefix = "i") => Array.from({ length: n }, (_v, i) => ({ id: `${prefix}${i}`, height: 1_000 + i, data: { account: `acc${i}` } }));

/** Stops consumers even when a test fails, so nothing keeps claiming from a deleted namespace. */
async function stopAll(consumers: QueueConsumer<Payload>[]): Promise<void> {
  await Promise.all(consumers.map((c) => c.stop({ deadlineMs: 1_000 })));
}

describe("QueueConsumer", () => {
  test("processes every item once with batches and bounded concurrency, and reports throughput", async ({ redis, keys, logs }) => {
    const ctx = { redis, keys, logs };
    const queue = makeQueue(ctx);
    const seen: QueueItem<Payload>[] = [];
    let running = 0;
    let maxRunning = 0;
    const consumer = queue.consumer({
      consumerId: "c1", batchSize: 10, concurrency: 3, blockTimeoutMs: 100, heartbeatTtlMs: 300,
      handler: async (item) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await sleep(1);
        seen.push(item);
        running--;
      },
    });
    try {
      expect(await queue.push(items(200))).toBe(200);
      await consumer.start();
      await waitFor(() => seen.length >= 200, () => `processed ${seen.length} of 200`);
      expect(new Set(seen.map((i) => i.id)).size).toBe(200);
      expect(seen.every((i) => i.attempt === 0 && i.data.account.startsWith("acc"))).toBe(true);
      expect(maxRunning).toBe(3);
      await waitFor(async () => ((await queue.consumers())[0]?.heartbeat?.processed ?? 0) > 0, async () => JSON.stringify(await queue.consumers()));
      const [status] = await queue.consumers();
      expect(status).toMatchObject({ id: "c1", processing: 0 });
      expect(await ctx.redis.pttl(queue.keys.heartbeat("c1"))).toBeLessThanOrEqual(300);
    } finally {
      await stopAll([consumer]);
    }
    expect(await queue.depth()).toEqual({ pending: 0, dead: 0, processing: 0, consumers: 0 });
    expect(await ctx.redis.exists(queue.keys.heartbeat("c1"))).toBe(0);
  });

  test("dead-letters malformed items with their reason and keeps processing the good ones", async ({ redis, keys, logs }) => {
    const ctx = { redis, keys, logs };
    const queue = makeQueue(ctx);
    const seen: string[] = [];
    const consumer = queue.consumer({ consumerId: "c1", batchSize: 3, blockTimeoutMs: 100, handler: async (item) => void seen.push(item.id) });
    const bad = [
      "not json at all",
      JSON.stringify({ id: "no-height", attempt: 0, data: { account: "a" } }),
      encodeItem({ id: "bad-data", height: 5, data: { account: 42 } }),
    ];
    try {
      await ctx.redis.rpush(queue.keys.pending, encodeItem(items(1, "g")[0]!), bad[0]!, bad[1]!, encodeItem(items(1, "h")[0]!), bad[2]!, encodeItem(items(1, "k")[0]!));
      await consumer.start();
      await waitFor(async () => seen.length === 3 && (await queue.depth()).dead === 3, async () => `seen ${seen.join(",")}, depth ${JSON.stringify(await queue.depth())}`);
    } finally {
      await stopAll([consumer]);
    }
    expect(seen).toEqual(["g0", "h0", "k0"]);
    const dead = await queue.deadLetters();
    expect(dead.map((d) => d.item)).toEqual(bad);
    expect(dead.map((d) => d.reason)).toEqual([
      "not JSON (15 bytes)",
      "envelope field height must be a non-negative integer, got nothing",
      expect.stringMatching(/^data does not match the schema: account: .*expected string/i),
    ]);
    expect(dead.map((d) => [d.queue, d.consumer, d.attempt])).toEqual([["work", "c1", null], ["work", "c1", 0], ["work", "c1", 0]]);
    const warnings = ctx.logs.lines.filter((l) => l.msg === "malformed queue item dead-lettered");
    expect(warnings).toHaveLength(3);
    expect(warnings[2]).toMatchObject({ level: "warn", component: "queue", queue: "work", consumer: "c1", jobId: "bad-data", attempt: 0, reason: dead[2]!.reason });
    const loud = ctx.logs.lines.filter((l) => l.level !== "debug" && l.level !== "trace");
    expect(JSON.stringify(loud)).not.toContain("not json at all");
  });

  test("retries a failing handler with attempt + 1, then dead-letters; UnrecoverableError dead-letters at once", async ({ redis, keys, logs }) => {
    const ctx = { redis, keys, logs };
    const queue = makeQueue(ctx, 3);
    const attempts: string[] = [];
    const consumer = queue.consumer({
      consumerId: "c1", blockTimeoutMs: 100,
      handler: async (item) => {
        attempts.push(`${item.id}@${item.attempt}`);
        if (item.id === "flaky" && item.attempt < 1) throw new Error("temporary");
        if (item.id === "broken") throw new Error("always fails");
        if (item.id === "fatal") throw new UnrecoverableError("bad account");
      },
    });
    try {
      await queue.push([{ id: "flaky", height: 1, data: { account: "a" } }, { id: "broken", height: 1, data: { account: "b" } }, { id: "fatal", height: 1, data: { account: "c" } }]);
      await consumer.start();
      await waitFor(async () => (await queue.depth()).dead === 2 && attempts.includes("flaky@1"), async () => `attempts ${attempts.join(",")}`);
    } finally {
      await stopAll([consumer]);
    }
    expect(attempts.filter((a) => a.startsWith("flaky"))).toEqual(["flaky@0", "flaky@1"]);
    expect(attempts.filter((a) => a.startsWith("broken"))).toEqual(["broken@0", "broken@1", "broken@2"]);
    expect(attempts.filter((a) => a.startsWith("fatal"))).toEqual(["fatal@0"]);
    const dead = await queue.deadLetters();
    expect(dead.map((d) => [JSON.parse(d.item).id, d.reason, d.attempt])).toEqual([
      ["fatal", "unrecoverable: bad account", 0],
      ["broken", "failed 3 of 3 attempts, last error: always fails", 2],
    ]);
    expect(await queue.depth()).toMatchObject({ pending: 0, processing: 0 });
  });

  test("graceful stop returns an unfinished item to the head of pending and unregisters; stop is idempotent", async ({ redis, keys, logs }) => {
    const ctx = { redis, keys, logs };
    const queue = makeQueue(ctx);
    let started: (() => void) | undefined;
    const handlerStarted = new Promise<void>((resolve) => (started = resolve));
    let aborted = false;
    const consumer = queue.consumer({
      consumerId: "c1", blockTimeoutMs: 100,
      handler: async (_item, { signal }) => {
        started?.();
        await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
        aborted = signal.aborted;
      },
    });
    await queue.push(items(3));
    await consumer.start();
    await handlerStarted;
    const first = consumer.stop({ deadlineMs: 200 });
    expect(consumer.stop({ deadlineMs: 5 })).toBe(first);
    expect(await first).toEqual({ finishedInTime: false, returned: 1, unregistered: true });
    expect(aborted).toBe(true);
    expect((await ctx.redis.lrange(queue.keys.pending, 0, -1)).map((r) => JSON.parse(r))).toEqual(
      items(3).map((i) => ({ ...i, attempt: 0 })),
    );
    expect(await ctx.redis.exists(queue.keys.heartbeat("c1"), queue.keys.processing("c1"))).toBe(0);
    expect(await ctx.redis.smembers(queue.keys.consumers)).toEqual([]);
    await sleep(50);
    expect(await ctx.redis.llen(queue.keys.pending)).toBe(3);
  });

  test("graceful stop lets an in-flight item finish before the deadline and acks it", async ({ redis, keys, logs }) => {
    const ctx = { redis, keys, logs };
    const queue = makeQueue(ctx);
    const done: string[] = [];
    let started: (() => void) | undefined;
    const handlerStarted = new Promise<void>((resolve) => (started = resolve));
    const consumer = queue.consumer({
      consumerId: "c1", batchSize: 2, blockTimeoutMs: 100,
      handler: async (item) => {
        started?.();
        await sleep(100);
        done.push(item.id);
      },
    });
    await queue.push(items(3));
    await consumer.start();
    await handlerStarted;
    // One slot (concurrency 1): only the item in flight is ever claimed, whatever the batch size.
    expect(await consumer.stop({ deadlineMs: 10_000 })).toEqual({ finishedInTime: true, returned: 0, unregistered: true });
    expect(done).toEqual(["i0"]);
    expect((await ctx.redis.lrange(queue.keys.pending, 0, -1)).map((r) => JSON.parse(r).id)).toEqual(["i1", "i2"]);
  });

  test("at start, recovers items an earlier process with the same consumer id left behind", async ({ redis, keys, logs }) => {
    const ctx = { redis, keys, logs };
    const queue = makeQueue(ctx, 3);
    await redis.rpush(queue.keys.processing("fixed-id"), encodeItem({ id: "left", height: 1, data: { account: "a" } }), encodeItem({ id: "spent", height: 1, attempt: 2, data: { account: "b" } }));
    await redis.sadd(queue.keys.consumers, "fixed-id");
    const seen: string[] = [];
    const consumer = queue.consumer({ consumerId: "fixed-id", blockTimeoutMs: 100, handler: async (item) => void seen.push(`${item.id}@${item.attempt}`) });
    try {
      await consumer.start();
      await waitFor(() => seen.length > 0, () => "leftover item not processed");
    } finally {
      await stopAll([consumer]);
    }
    expect(seen).toEqual(["left@1"]);
    expect((await queue.deadLetters()).map((d) => [JSON.parse(d.item).id, d.attempt])).toEqual([["spent", 2]]);
    expect(await queue.depth()).toEqual({ pending: 0, dead: 1, processing: 0, consumers: 0 });
  });

  test("after a reconnect, re-adopts items orphaned in its own processing list", async ({ redis, keys, logs, url }) => {
    const connectionName = `consumer-${randomUUID()}`;
    const own = new Redis(url, { maxRetriesPerRequest: null, connectionName });
    const queue = makeQueue({ redis: own, keys, logs });
    const seen: string[] = [];
    const consumer = queue.consumer({ consumerId: "c1", blockTimeoutMs: 100, handler: async (item) => void seen.push(`${item.id}@${item.attempt}`) });
    try {
      await consumer.start();
      // A claim whose reply was lost: the item sits in our list but we never saw it.
      await redis.rpush(queue.keys.processing("c1"), encodeItem({ id: "orphan", height: 1, data: { account: "o" } }));
      await sleep(300);
      expect(seen).toEqual([]);
      const clients = String(await redis.client("LIST")).split("\n").filter((line) => line.includes(` name=${connectionName} `));
      expect(clients).toHaveLength(2);
      for (const line of clients) await redis.client("KILL", "ID", /\bid=(\d+)/.exec(line)![1]!);
      await waitFor(() => seen.length > 0, () => "orphan not processed after reconnect");
    } finally {
      await stopAll([consumer]);
      await own.quit();
    }
    expect(seen).toEqual(["orphan@0"]);
  });
});
