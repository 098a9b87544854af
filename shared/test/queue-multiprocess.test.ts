import { beforeAll, expect } from "vitest";
import { ReliableQueue } from "../src/queue/reliable-queue.js";
import { assertDistBuilt, spawnWorker, type ChildWorker } from "./helpers/child-worker.js";
import { redisTest as test, waitFor } from "./helpers/redis-fixture.js";

beforeAll(() => assertDistBuilt());

const ITEMS = 10_000;
const WORKERS = 4;

test(`${WORKERS} consumers in ${WORKERS} processes process ${ITEMS} items exactly once`, async ({ redis, keys, namespace, url, logs }) => {
  const q = keys.queue("work");
  const queue = new ReliableQueue({ redis, keys: q, logger: logs.logger });
  const resultsKey = `${namespace}:results`;
  const workers: ChildWorker[] = Array.from({ length: WORKERS }, (_v, i) =>
    spawnWorker({ REDIS_URL: url, NAMESPACE: namespace, MODE: "work", RESULTS_KEY: resultsKey, CONSUMER_ID: `w${i}`, BATCH_SIZE: "20", CONCURRENCY: "4", HEARTBEAT_TTL_MS: "5000" }),
  );
  try {
    await Promise.all(workers.map((w) => w.waitForLine(/^ready /)));
    const items = Array.from({ length: ITEMS }, (_v, i) => ({ id: `item-${i}`, height: 500 + (i % 7), data: { n: i } }));
    expect(await queue.push(items)).toBe(ITEMS);
    await waitFor(async () => (await redis.llen(resultsKey)) >= ITEMS, async () => `results ${await redis.llen(resultsKey)} of ${ITEMS}, depth ${JSON.stringify(await queue.depth())}`, 120_000, 100);
    for (const w of workers) w.child.kill("SIGTERM");
    const exits = await Promise.all(workers.map((w) => w.exited));
    expect(exits, workers.map((w) => w.stderr.join("\n")).join("\n")).toEqual(workers.map(() => ({ code: 0, signal: null })));
    for (const w of workers) expect(w.lines.at(-1)).toBe('stopped {"finishedInTime":true,"returned":0,"unregistered":true}');
  } finally {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
  }
  const recorded = (await redis.lrange(resultsKey, 0, -1)).map((r) => r.split("|"));
  const ids = recorded.map(([id]) => id);
  const duplicates = ids.length - new Set(ids).size;
  expect(duplicates).toBe(0);
  expect(recorded).toHaveLength(ITEMS);
  expect(new Set(ids)).toEqual(new Set(Array.from({ length: ITEMS }, (_v, i) => `item-${i}`)));
  expect(recorded.every(([, attempt]) => attempt === "0")).toBe(true);
  const perWorker = new Map<string, number>();
  for (const [, , consumer] of recorded) perWorker.set(consumer!, (perWorker.get(consumer!) ?? 0) + 1);
  expect([...perWorker.keys()].sort()).toEqual(["w0", "w1", "w2", "w3"]);
  expect(await queue.depth()).toEqual({ pending: 0, dead: 0, processing: 0, consumers: 0 });
  expect(await redis.exists(...Array.from({ length: WORKERS }, (_v, i) => q.processing(`w${i}`)))).toBe(0);
});
