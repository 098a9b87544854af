import { spawn } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { ReliableQueue, createLogger, pipelineKeys } from "@mlb/shared";
import { connectTestRedis, deleteNamespace, testRedisUrl, uniqueNamespace } from "./support/redis.js";
import { ROOT } from "./support/service-process.js";

/** Starts the fixture service and resolves once it has claimed an item. */
function startFixture(env: Record<string, string>) {
  const child = spawn(process.execPath, [`${ROOT}test/fixtures/queue-service.mjs`], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr.on("data", (c: Buffer) => (output += c.toString()));
  const claimed = new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (c: Buffer) => {
      output += c.toString();
      if (output.includes('"msg":"claimed"')) resolve();
    });
    child.once("exit", (code) => reject(new Error(`fixture exited (${code}) before claiming; output:\n${output}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, claimed, exited, output: () => output };
}

describe("graceful shutdown of a service with a queue consumer", () => {
  let redis: Redis;
  let namespace: string;
  let queue: ReliableQueue<{ n: number }>;
  beforeEach(async () => {
    redis = connectTestRedis();
    namespace = uniqueNamespace();
    queue = new ReliableQueue({ redis, keys: pipelineKeys({ chain: "osmosis", product: "redbank" }, namespace).queue("work"), logger: createLogger({ service: "test", level: "silent" }) });
    await queue.push([{ id: "item-1", height: 100, data: { n: 1 } }]);
  });
  afterEach(async () => {
    await deleteNamespace(redis, namespace);
    await redis.quit();
  });

  const env = (extra: Record<string, string>) => ({ REDIS_URL: testRedisUrl(), NAMESPACE: namespace, RESULTS_KEY: `${namespace}:results`, ...extra });

  it("SIGTERM lets the current item finish, then exits 0", async () => {
    const p = startFixture(env({ MODE: "slow", WORK_MS: "1000", STOP_DEADLINE_MS: "10000" }));
    await p.claimed;
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
    expect(await redis.lrange(`${namespace}:results`, 0, -1)).toEqual(["item-1"]);
    expect(await queue.depth()).toMatchObject({ pending: 0, processing: 0, dead: 0, consumers: 0 });
  });

  it("SIGTERM returns an item that does not finish by the deadline to the queue, then exits 0", async () => {
    const p = startFixture(env({ MODE: "hang", STOP_DEADLINE_MS: "300" }));
    await p.claimed;
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
    expect(await redis.lrange(`${namespace}:results`, 0, -1)).toEqual([]);
    expect(await queue.depth()).toMatchObject({ pending: 1, processing: 0, dead: 0, consumers: 0 });
    expect(JSON.parse((await redis.lindex(pipelineKeys({ chain: "osmosis", product: "redbank" }, namespace).queue("work").pending, 0))!)).toMatchObject({ id: "item-1", height: 100 });
  });

  it("a second signal exits 1 at once", async () => {
    const p = startFixture(env({ MODE: "hang", STOP_DEADLINE_MS: "60000" }));
    await p.claimed;
    p.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 200));
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain('"msg":"second signal, exiting now"');
  });
});
