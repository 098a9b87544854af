import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startRedisServer, type RedisServer } from "../../test/support/redis-server.js";
import type { QueueConsumer } from "../src/queue/queue-consumer.js";
import { ReliableQueue } from "../src/queue/reliable-queue.js";
import { createRedis, type RedisClient } from "../src/redis/connection.js";
import { pipelineKeys } from "../src/redis/keys.js";
import { memoryLogger, waitFor } from "./helpers/redis-fixture.js";

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer({ appendonly: true });
});
afterAll(async () => {
  await server?.stop();
});

const ITEMS = 4_000;
const CONSUMERS = 2;

test("consumers ride out a Redis restart (appendonly) and finish every item", async () => {
  const logs = memoryLogger("info");
  const keys = pipelineKeys({ chain: "testchain", product: "redbank" }, "restart").queue("work");
  const connections: RedisClient[] = [];
  const connect = (name: string) => {
    const c = createRedis({ REDIS_ENDPOINT: server.url, REDIS_CLUSTER: false }, logs.logger, name);
    connections.push(c);
    return c;
  };
  const producer = new ReliableQueue<{ n: number }>({ redis: connect("producer"), keys, logger: logs.logger });
  const processed: string[] = [];
  const consumers: QueueConsumer<{ n: number }>[] = [];
  let atRestartCount = 0;
  try {
    expect(await producer.push(Array.from({ length: ITEMS }, (_v, n) => ({ id: `r${n}`, height: 1, data: { n } })))).toBe(ITEMS);
    for (let i = 0; i < CONSUMERS; i++) {
      const queue = new ReliableQueue<{ n: number }>({ redis: connect(`consumer-${i}`), keys, logger: logs.logger });
      consumers.push(queue.consumer({
        consumerId: `c${i}`, batchSize: 10, concurrency: 2, blockTimeoutMs: 200, heartbeatTtlMs: 3_000,
        handler: async (item) => {
          await sleep(1);
          processed.push(item.id);
        },
      }));
    }
    await Promise.all(consumers.map((c) => c.start()));
    await waitFor(() => processed.length >= 500, () => `processed ${processed.length} before the restart`);
    await server.restart();
    const atRestart = processed.length;
    atRestartCount = atRestart;
    expect(atRestart, "the restart must happen mid-run").toBeLessThan(ITEMS);
    await waitFor(() => new Set(processed).size >= ITEMS, () => `processed ${new Set(processed).size} distinct of ${ITEMS} after the restart`, 120_000, 50);
    expect(processed.length, "items processed after the restart").toBeGreaterThan(atRestart);
  } finally {
    const results = await Promise.all(consumers.map((c) => c.stop({ deadlineMs: 2_000 })));
    expect(results.every((r) => r.unregistered)).toBe(true);
  }
  const distinct = new Set(processed);
  const duplicates = processed.length - distinct.size;
  console.info(`redis restart after ${atRestartCount} items: ${processed.length} deliveries of ${distinct.size} items, ${duplicates} duplicates`);
  expect(distinct.size).toBe(ITEMS);
  expect(await producer.depth()).toEqual({ pending: 0, dead: 0, processing: 0, consumers: 0 });
  expect(logs.lines.some((l) => l.msg === "redis reconnected")).toBe(true);
  await Promise.all(connections.map((c) => c.quit()));
});
