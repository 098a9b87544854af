import { setTimeout as sleep } from "node:timers/promises";
import { beforeAll, expect } from "vitest";
import type { QueueItem } from "../src/queue/envelope.js";
import { ReliableQueue } from "../src/queue/reliable-queue.js";
import { assertDistBuilt, spawnWorker } from "./helpers/child-worker.js";
import { redisTest as test, waitFor } from "./helpers/redis-fixture.js";

beforeAll(() => assertDistBuilt());

test("a consumer SIGKILLed in the middle of an item: the item is delivered again, exactly once", async ({ redis, keys, namespace, url, logs }) => {
  const q = keys.queue("work");
  const queue = new ReliableQueue<{ account: string }>({ redis, keys: q, logger: logs.logger, maxAttempts: 5 });
  await queue.push([{ id: "job-1", height: 10, data: { account: "osmo1abc" } }]);

  const doomed = spawnWorker({ REDIS_URL: url, NAMESPACE: namespace, MODE: "hang", CONSUMER_ID: "doomed", HEARTBEAT_TTL_MS: "500" });
  try {
    expect(await doomed.waitForLine(/^claimed /)).toBe("claimed job-1 0");
    expect(await redis.llen(q.processing("doomed"))).toBe(1);
    expect(doomed.child.kill("SIGKILL")).toBe(true);
    expect(await doomed.exited).toEqual({ code: null, signal: "SIGKILL" });
  } finally {
    if (doomed.child.exitCode === null && doomed.child.signalCode === null) doomed.child.kill("SIGKILL");
  }

  // Nothing returned the item: it waits in the dead consumer's list until its heartbeat expires.
  expect(await redis.llen(q.pending)).toBe(0);
  await waitFor(async () => (await redis.exists(q.heartbeat("doomed"))) === 0, () => "heartbeat of the killed consumer did not expire", 10_000);
  expect(await redis.smembers(q.consumers)).toEqual(["doomed"]);
  expect(await redis.llen(q.processing("doomed"))).toBe(1);

  const seen: QueueItem<{ account: string }>[] = [];
  const survivor = queue.consumer({ consumerId: "survivor", heartbeatTtlMs: 500, reaperIntervalMs: 100, blockTimeoutMs: 100, handler: async (item) => void seen.push(item) });
  try {
    await survivor.start();
    await waitFor(() => seen.length > 0, () => "the survivor never received the item");
    for (let pass = 0; pass < 5; pass++) {
      expect(await queue.reap()).toMatchObject({ ran: true, reaped: [] });
      await sleep(150);
    }
    expect(seen).toEqual([{ id: "job-1", height: 10, attempt: 1, data: { account: "osmo1abc" } }]);
    expect(await redis.smembers(q.consumers)).toEqual(["survivor"]);
    expect(await redis.exists(q.processing("doomed"))).toBe(0);
  } finally {
    await survivor.stop({ deadlineMs: 1_000 });
  }
  expect(await queue.depth()).toEqual({ pending: 0, dead: 0, processing: 0, consumers: 0 });
  expect(logs.lines.filter((l) => l.msg === "recovered the items of a dead consumer")).toEqual([
    expect.objectContaining({ level: "warn", deadConsumer: "doomed", requeued: 1, deadLettered: 0 }),
  ]);
});
