import { BlockCounters, WorkPlanner, type Logger, type PipelineKeys, type RedisClient } from "@mlb/shared";
import type { DevnetProcess } from "@mlb/devnet";
import type { CountingProxy } from "./chain-proxy.js";
import { CheckerProcess, waitForSplit } from "./checker-process.js";

/** One block of the local sweep. */
export interface BlockSweep {
  height: number;
  /** Block committed → `checked` of the block reached every position: planning, market reads, evaluation, candidate pushes. */
  ms: number;
  checked: number;
  unhealthy: number;
  missed: number;
  /** HTTP requests the health checkers sent to the chain during the block, in total and by endpoint. */
  chainQueries: number;
  byEndpoint: Record<string, number>;
  /** Per process: time it spent evaluating its shards this block (its `health_shard_eval_seconds`), ms. */
  evalMs: number[];
}

export interface LocalSweep {
  instances: number;
  /** Spawn of the processes → they split the shards and are ready. */
  readyMs: number;
  /** Positions each process held once split. */
  held: number[];
  /** RSS of each process once the shards are split, and after the blocks, bytes. */
  readyRss: number[];
  rss: number[];
  warmup: BlockSweep[];
  blocks: BlockSweep[];
}

export interface LocalSweepOptions {
  devnet: DevnetProcess;
  proxy: CountingProxy;
  redis: RedisClient;
  keys: PipelineKeys;
  logger: Logger;
  /** Environment of every health-checker process (endpoints through the proxy). */
  checkerEnv: Record<string, string>;
  /** Node options of every health-checker process, before main.js (diagnostics: `--cpu-prof`, GC flags). */
  checkerNodeArgs: string[];
  positions: number;
  shards: number;
  instances: number;
  warmupBlocks: number;
  blocks: number;
  log(message: string): void;
}

const BLOCK_TIMEOUT_MS = 300_000;
/** How often the block's counter is read while the processes work (each read is one HGET). */
const POLL_MS = 5;

/**
 * Local mode as deployed: `instances` health-checker service processes split the shards through
 * Redis membership; per block, the benchmark commits a block on the devnet, enqueues the block's
 * work with `WorkPlanner.plan(h)` as the manager does, and times until the block's `checked`
 * counter reaches every position.
 */
export async function runLocalSweep(o: LocalSweepOptions): Promise<LocalSweep> {
  const started = performance.now();
  const checkers = Array.from({ length: o.instances }, () => CheckerProcess.start(o.checkerEnv, o.checkerNodeArgs));
  try {
    const held = await waitForSplit(checkers, o.positions, 900_000);
    const readyMs = performance.now() - started;
    const readyRss = checkers.map((c) => c.rss());
    o.log(`sweep: ${o.instances} health checkers hold ${held.join(" + ")} positions after ${(readyMs / 1000).toFixed(1)} s`);
    const planner = new WorkPlanner({ redis: o.redis, keys: o.keys, logger: o.logger, product: "redbank", shards: o.shards, rescanEveryBlocks: 0 });
    const counters = new BlockCounters({ redis: o.redis, keys: o.keys });
    const warmup: BlockSweep[] = [];
    const blocks: BlockSweep[] = [];
    for (let i = 0; i < o.warmupBlocks + o.blocks; i++) {
      const b = await sweepBlock(o, checkers, planner, counters);
      (i < o.warmupBlocks ? warmup : blocks).push(b);
      o.log(`sweep: ${i < o.warmupBlocks ? "warm-up " : ""}block ${b.height}: ${b.ms.toFixed(0)} ms (evaluating: ${b.evalMs.map((x) => x.toFixed(0)).join(" + ")} ms), ${b.checked} checked, ${b.unhealthy} unhealthy, ${b.chainQueries} chain requests`);
    }
    const rss = checkers.map((c) => c.rss());
    return { instances: o.instances, readyMs, held, readyRss, rss, warmup, blocks };
  } finally {
    await Promise.all(checkers.map((c) => c.stop()));
  }
}

async function sweepBlock(o: LocalSweepOptions, checkers: readonly CheckerProcess[], planner: WorkPlanner, counters: BlockCounters): Promise<BlockSweep> {
  const evalBefore = await Promise.all(checkers.map((c) => c.state()));
  const before = o.proxy.counts();
  const { height } = await o.devnet.admin<{ height: number }>("POST", "/blocks", { count: 1 });
  const t0 = performance.now();
  await planner.plan(height);
  const key = o.keys.blockStats(height);
  let checked = 0;
  while (checked < o.positions) {
    if (performance.now() - t0 > BLOCK_TIMEOUT_MS) throw new Error(`block ${height}: only ${checked} of ${o.positions} positions checked after ${BLOCK_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, POLL_MS));
    checked = Number((await o.redis.hget(key, "checked")) ?? 0);
  }
  const ms = performance.now() - t0;
  const stats = await counters.read(height);
  const after = o.proxy.counts();
  const byEndpoint = Object.fromEntries(Object.keys(after).map((k) => [k, after[k]! - (before[k] ?? 0)]));
  const chainQueries = Object.values(byEndpoint).reduce((a, b) => a + b, 0);
  // The last shard's counter increment comes after its histogram observation, so the sums are complete.
  const evalAfter = await Promise.all(checkers.map((c) => c.state()));
  const evalMs = evalAfter.map((s, i) => (s.evalSeconds - evalBefore[i]!.evalSeconds) * 1000);
  return { height, ms, checked: stats.checked ?? 0, unhealthy: stats.unhealthy ?? 0, missed: stats.missed ?? 0, chainQueries, byEndpoint, evalMs };
}
