import { parseConfig, type PipelineKeys, type RedisClient } from "@mlb/shared";
import { buildHealthChecker, healthCheckerConfigSchema, type HealthCheckerConfig } from "@mlb/health-checker";
import type { DevnetProcess } from "@mlb/devnet";
import { quietDeps } from "../pipeline.js";
import type { CountingProxy } from "./chain-proxy.js";

/** One block of the query-mode sweep over the sample. */
export interface QueryBlock {
  height: number;
  /** Block committed → every sampled position evaluated by query (market state included). */
  ms: number;
  checked: number;
  flagged: number;
  /** Whether local math, run right after at the same height, flagged exactly the same accounts. */
  sameAsLocal: boolean;
  chainQueries: number;
  byEndpoint: Record<string, number>;
}

export interface QuerySweepOptions {
  devnet: DevnetProcess;
  proxy: CountingProxy;
  redis: RedisClient;
  redisUrl: string;
  /** The full cache's keys and the sample namespace's keys. */
  from: PipelineKeys;
  to: PipelineKeys;
  /** Environment of the in-process health checker (sample namespace, endpoints through the proxy). */
  env: Record<string, string>;
  shards: number;
  sample: number;
  blocks: number;
  log(message: string): void;
}

/**
 * Copies about `size` cache entries, spread evenly over the shards, from one namespace's position
 * cache into another's (raw values, as the collector wrote them). Returns how many were copied.
 */
export async function copySample(redis: RedisClient, from: PipelineKeys, to: PipelineKeys, shards: number, size: number): Promise<number> {
  let copied = 0;
  for (let s = 0; s < shards; s++) {
    const quota = Math.floor(size / shards) + (s < size % shards ? 1 : 0);
    const picked: string[] = [];
    let cursor = "0";
    do {
      const [next, flat] = await redis.hscan(from.positions(s), cursor, "COUNT", Math.max(100, quota));
      cursor = next;
      for (let i = 0; i + 1 < flat.length && picked.length < quota * 2; i += 2) picked.push(flat[i]!, flat[i + 1]!);
    } while (cursor !== "0" && picked.length < quota * 2);
    if (picked.length > 0) await redis.hset(to.positions(s), ...picked);
    copied += picked.length / 2;
  }
  return copied;
}

/**
 * Query mode on a sample: one health checker in this process holds the sampled positions (its own
 * Redis namespace) and, per block, evaluates every shard with `evaluate(shard, h, { query: true })`
 * at once (as its per-shard consumers would): the contracts' own health queries batched through
 * Hive. Then local math at the same height, as a check that both modes flag the same accounts.
 */
export async function runQuerySweep(o: QuerySweepOptions): Promise<{ sample: number; blocks: QueryBlock[] }> {
  const sample = await copySample(o.redis, o.from, o.to, o.shards, o.sample);
  const config = parseConfig("health-checker", healthCheckerConfigSchema, o.env) as HealthCheckerConfig;
  const deps = quietDeps(o.redisUrl, "bench-query");
  const { checker } = buildHealthChecker(config, deps);
  await checker.start();
  try {
    const held = [...checker.shards().values()].reduce((a, s) => a + s.size, 0);
    if (held !== sample) throw new Error(`query-mode health checker holds ${held} positions, expected the ${sample} sampled`);
    const blocks: QueryBlock[] = [];
    for (let i = 0; i < o.blocks; i++) {
      const before = o.proxy.counts();
      const { height } = await o.devnet.admin<{ height: number }>("POST", "/blocks", { count: 1 });
      const t0 = performance.now();
      const runs = await Promise.all([...checker.shards().keys()].map((s) => checker.evaluate(s, height, { query: true })));
      const ms = performance.now() - t0;
      const after = o.proxy.counts();
      const byEndpoint = Object.fromEntries(Object.keys(after).map((k) => [k, after[k]! - (before[k] ?? 0)]));
      const local = await Promise.all([...checker.shards().keys()].map((s) => checker.evaluate(s, height)));
      const accounts = (rs: typeof runs) => rs.flatMap((r) => [...r.flagged.map((c) => c.account), ...r.stillQueued]).sort().join();
      const b: QueryBlock = {
        height,
        ms,
        checked: runs.reduce((a, r) => a + r.checked, 0),
        flagged: runs.reduce((a, r) => a + r.flagged.length + r.stillQueued.length, 0),
        sameAsLocal: accounts(runs) === accounts(local),
        chainQueries: Object.values(byEndpoint).reduce((a, b) => a + b, 0),
        byEndpoint,
      };
      blocks.push(b);
      o.log(`sweep: query block ${height}: ${ms.toFixed(0)} ms for ${b.checked} positions, ${b.flagged} flagged (${b.sameAsLocal ? "same as" : "DIFFERENT FROM"} local), ${b.chainQueries} chain requests`);
    }
    return { sample, blocks };
  } finally {
    await checker.stop();
    await deps.close();
  }
}
