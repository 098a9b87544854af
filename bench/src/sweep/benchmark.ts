import { parseConfig, pipelineKeys } from "@mlb/shared";
import { buildCollector, collectorConfigSchema, type CollectorConfig } from "@mlb/collector";
import { DevnetProcess, startLocalRedis } from "@mlb/devnet";
import { pipelineEnv, quietDeps, type ChainEndpoints } from "../pipeline.js";
import { intSetting } from "../settings.js";
import { median, percentile, round } from "../stats.js";
import { fmt } from "../table.js";
import type { BenchEnv, Benchmark, Row } from "../types.js";
import { CountingProxy } from "./chain-proxy.js";
import { runLocalSweep, type BlockSweep } from "./local.js";
import { runQuerySweep, type QueryBlock } from "./query.js";
import { measureStoreMemory } from "./store-memory.js";

/**
 * The per-block sweep: N Red Bank debtors on a devnet whose prices move every block, scanned into
 * a private Redis by the collector, then re-evaluated at every new height by health-checker
 * service processes (local mode) and, on a sample, by contract queries through Hive (query mode).
 * bench/README.md explains every figure.
 */

const MB = 1024 * 1024;
const SHARDS = 16;
const SEED = 7;
const NAMESPACE = "bench-sweep";
const QUERY_NAMESPACE = "bench-sweep-query";

/** One mode's figures (the keys). */
export interface ModeFigures {
  p50_ms: number;
  p99_ms: number;
  positions_per_s: number;
  chain_queries_per_block: number;
}

export interface SweepResult {
  positions: number;
  local: ModeFigures & { instances: number; node_args: string[]; how: string; blocks: number; ms: number[]; warmup_ms: number[]; unhealthy_per_block: number; missed: number; chain_queries_by_endpoint: Record<string, number>; evaluating_ms_per_instance: number[] };
  query: ModeFigures & { sample: number; how: string; blocks: number; ms: number[]; chain_queries_per_block_sample: number; chain_queries_by_endpoint_sample: Record<string, number>; flagged_same_as_local: boolean };
  /** local.positions_per_s / query.positions_per_s. */
  ratio: number;
  bytes_per_position: number;
  memory: { positions: number; heap_before_mb: number; heap_after_mb: number; load_ms: number; checker_rss_ready_mb: number[]; checker_rss_mb: number[]; redis_used_mb: number };
  scan: { ms: number; positions: number; positions_per_s: number };
  checkers_ready_ms: number;
  devnet: { flags: string[]; startup_ms: number };
  goals: { sweep_p50_within_1s: boolean; sweep_p99_within_1s: boolean; ratio_at_least_100: boolean; under_1kb_per_position: boolean };
}


function figures(ms: number[], positions: number, chainQueries: number): ModeFigures {
  const p50 = median(ms);
  return { p50_ms: round(p50), p99_ms: round(percentile(ms, 99)), positions_per_s: Math.round(positions / (p50 / 1000)), chain_queries_per_block: chainQueries };
}

function perEndpoint(blocks: readonly { byEndpoint: Record<string, number> }[]): Record<string, number> {
  const names = Object.keys(blocks[0]?.byEndpoint ?? {});
  return Object.fromEntries(names.map((n) => [n, median(blocks.map((b) => b.byEndpoint[n] ?? 0))]));
}

export const sweepBenchmark: Benchmark<SweepResult> = {
  name: "sweep",
  title: "per-block health sweep: local mode (health-checker processes) vs query mode (Hive), memory per position",

  async run(env: BenchEnv): Promise<SweepResult> {
    const blocks = intSetting("BENCH_SWEEP_BLOCKS", 10);
    const warmupBlocks = intSetting("BENCH_SWEEP_WARMUP", 2, 0);
    const instances = intSetting("BENCH_SWEEP_INSTANCES", 2);
    const sampleSize = Math.min(env.positions, intSetting("BENCH_QUERY_SAMPLE", 20_000));
    const checkerNodeArgs = (process.env.BENCH_SWEEP_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
    const N = env.positions;
    const flags = ["--positions", String(N), "--scenario", "random-walk", "--seed", String(SEED), "--block-time-ms", "600000", "--activity", "0"];
    env.log(`sweep: starting node devnet/dist/main.js ${flags.join(" ")}`);
    const devnet = await DevnetProcess.start({ flags });
    const redis = await startLocalRedis().catch(async (err: unknown) => {
      await devnet.stop();
      throw err;
    });
    let proxy: CountingProxy | undefined;
    const deps = quietDeps(redis.url, "bench-sweep");
    try {
      const { ready } = devnet;
      env.log(`sweep: devnet ready in ${(devnet.startupMs / 1000).toFixed(1)} s; redis ${redis.url}`);
      const direct: ChainEndpoints = { chain: "osmosis", rpc: ready.rpc, lcd: ready.lcd, hive: ready.hive, addressProvider: ready.contracts.addressProvider };
      proxy = await CountingProxy.start({ rpc: ready.rpc, lcd: ready.lcd, hive: ready.hive });
      const proxied: ChainEndpoints = { ...direct, rpc: proxy.url("rpc"), lcd: proxy.url("lcd"), hive: proxy.url("hive") };
      await devnet.admin("POST", "/blocks", { count: 1 });

      // Scan: the collector, in this process, straight to the devnet.
      const shardsEnv = { POSITION_SHARDS: String(SHARDS) };
      const cConfig = parseConfig("collector", collectorConfigSchema, pipelineEnv(direct, "redbank", redis.url, NAMESPACE, shardsEnv)) as CollectorConfig;
      const cDeps = quietDeps(redis.url, "bench-collector");
      const t0 = performance.now();
      const scans = await buildCollector(cConfig, cDeps).scanAll().finally(() => cDeps.close());
      const scanMs = performance.now() - t0;
      const scanned = scans.reduce((a, s) => a + s.positions, 0);
      env.log(`sweep: collector scanned ${scanned} positions into ${SHARDS} shards in ${(scanMs / 1000).toFixed(1)} s`);
      if (scanned !== N) throw new Error(`the collector cached ${scanned} positions, expected ${N}`);

      // Local mode: health-checker service processes.
      const keys = pipelineKeys({ chain: "osmosis", product: "redbank" }, NAMESPACE);
      const local = await runLocalSweep({
        devnet,
        proxy,
        redis: deps.redis,
        keys,
        logger: deps.logger,
        checkerEnv: pipelineEnv(proxied, "redbank", redis.url, NAMESPACE, { ...shardsEnv, LOG_LEVEL: "info" }),
        checkerNodeArgs,
        positions: N,
        shards: SHARDS,
        instances,
        warmupBlocks,
        blocks,
        log: env.log,
      });

      // Query mode: a sample, in this process.
      const query = await runQuerySweep({
        devnet,
        proxy,
        redis: deps.redis,
        redisUrl: redis.url,
        from: keys,
        to: pipelineKeys({ chain: "osmosis", product: "redbank" }, QUERY_NAMESPACE),
        env: pipelineEnv(proxied, "redbank", redis.url, QUERY_NAMESPACE, shardsEnv),
        shards: SHARDS,
        sample: sampleSize,
        blocks: env.runs,
        log: env.log,
      });

      // Memory: every shard in one ShardStore, in a --expose-gc child.
      const mem = await measureStoreMemory(redis.url, NAMESPACE, "osmosis", SHARDS);
      if (mem.positions !== N) throw new Error(`the memory probe loaded ${mem.positions} positions, expected ${N}`);
      const bytesPerPosition = Math.round((mem.heapAfter - mem.heapBefore) / mem.positions);
      env.log(`sweep: ShardStore holds ${N} positions in ${fmt((mem.heapAfter - mem.heapBefore) / MB)} MB of heap: ${bytesPerPosition} bytes each`);
      const redisUsed = await redis.usedMemory();
      return sweepResult({ N, local, query, mem, bytesPerPosition, redisUsed, scanMs, scanned, flags, startupMs: devnet.startupMs, nodeArgs: checkerNodeArgs });
    } finally {
      await deps.close();
      await proxy?.close();
      await redis.stop();
      await devnet.stop();
    }
  },

  rows(r: SweepResult): Row[] {
    const spreadOf = (ms: number[]) => (ms.length > 1 ? `${fmt(Math.min(...ms))}..${fmt(Math.max(...ms))}` : undefined);
    return [
      { figure: "positions", value: fmt(r.positions), note: `Red Bank debtors, ${SHARDS} shards` },
      { figure: "collector scan", value: `${fmt(r.scan.ms / 1000, 1)} s`, note: `${fmt(r.scan.positions_per_s)} positions/s, RPC raw state into Redis` },
      { figure: "checkers ready", value: `${fmt(r.checkers_ready_ms / 1000, 1)} s`, note: `${r.local.instances} processes load and split the shards` },
      { figure: "local sweep p50", value: `${fmt(r.local.p50_ms)} ms`, spread: spreadOf(r.local.ms), note: `${r.local.blocks} blocks; goal: under 1,000 ms` },
      { figure: "local sweep p99", value: `${fmt(r.local.p99_ms)} ms`, note: `nearest rank over ${r.local.blocks} blocks` },
      { figure: "local evaluating/instance", value: `${r.local.evaluating_ms_per_instance.map((x) => fmt(x)).join(" + ")} ms`, note: "math and candidates only (health_shard_eval_seconds)" },
      { figure: "local positions/s", value: fmt(r.local.positions_per_s) },
      { figure: "local chain requests/block", value: fmt(r.local.chain_queries_per_block), note: Object.entries(r.local.chain_queries_by_endpoint).map(([k, v]) => `${k} ${v}`).join(", ") },
      { figure: "query sweep p50 (sample)", value: `${fmt(r.query.p50_ms)} ms`, spread: spreadOf(r.query.ms), note: `${fmt(r.query.sample)} positions, Hive batches` },
      { figure: "query positions/s", value: fmt(r.query.positions_per_s), note: r.query.flagged_same_as_local ? "flags the same accounts as local" : "FLAGS DIFFER FROM LOCAL" },
      { figure: "query chain requests/block", value: fmt(r.query.chain_queries_per_block), note: `for all ${fmt(r.positions)} (sample: ${r.query.chain_queries_per_block_sample})` },
      { figure: "ratio local/query", value: `${fmt(r.ratio, 1)}x`, note: "goal: at least 100x" },
      { figure: "bytes per position", value: fmt(r.bytes_per_position), note: "ShardStore live heap; goal: under 1,024" },
      { figure: "checker RSS", value: `${r.memory.checker_rss_mb.map((x) => fmt(x)).join(" + ")} MB`, note: `after the blocks; ${r.memory.checker_rss_ready_mb.map((x) => fmt(x)).join(" + ")} MB once split` },
      { figure: "redis used memory", value: `${fmt(r.memory.redis_used_mb)} MB` },
    ];
  },
};

interface Measured {
  N: number;
  local: Awaited<ReturnType<typeof runLocalSweep>>;
  query: { sample: number; blocks: QueryBlock[] };
  mem: Awaited<ReturnType<typeof measureStoreMemory>>;
  bytesPerPosition: number;
  redisUsed: number;
  scanMs: number;
  scanned: number;
  flags: string[];
  startupMs: number;
  nodeArgs: string[];
}

function sweepResult(m: Measured): SweepResult {
  const localMs = m.local.blocks.map((b: BlockSweep) => b.ms);
  const localFigures = figures(localMs, m.N, median(m.local.blocks.map((b) => b.chainQueries)));
  const queryMs = m.query.blocks.map((b) => b.ms);
  const queryBy = perEndpoint(m.query.blocks);
  // Market reads (RPC) are per block; Hive requests grow with the positions evaluated.
  const perPositionRequests = (queryBy.hive ?? 0) / m.query.sample;
  const queryAll = Math.round((queryBy.rpc ?? 0) + (queryBy.lcd ?? 0) + perPositionRequests * m.N);
  const queryFigures = figures(queryMs, m.query.sample, queryAll);
  const ratio = round(localFigures.positions_per_s / queryFigures.positions_per_s, 1);
  return {
    positions: m.N,
    local: {
      ...localFigures,
      instances: m.local.instances,
      node_args: m.nodeArgs,
      how: `${m.local.instances} health-checker service processes (node health-checker/dist/main.js) splitting ${SHARDS} shards by Redis membership; WorkPlanner.plan(h) per block; timed from the block's commit until its checked counter reaches every position`,
      blocks: localMs.length,
      ms: localMs.map((x) => round(x)),
      warmup_ms: m.local.warmup.map((b) => round(b.ms)),
      unhealthy_per_block: median(m.local.blocks.map((b) => b.unhealthy)),
      missed: m.local.blocks.reduce((a, b) => a + b.missed, 0),
      chain_queries_by_endpoint: perEndpoint(m.local.blocks),
      evaluating_ms_per_instance: Array.from({ length: m.local.instances }, (_, i) => round(median(m.local.blocks.map((b) => b.evalMs[i] ?? 0)))),
    },
    query: {
      ...queryFigures,
      sample: m.query.sample,
      how: "one health checker in the bench process holding the sample; evaluate(shard, h, { query: true }) for every shard at once; Hive, 50 queries per GraphQL operation, 10 operations per HTTP request",
      blocks: queryMs.length,
      ms: queryMs.map((x) => round(x)),
      chain_queries_per_block_sample: median(m.query.blocks.map((b) => b.chainQueries)),
      chain_queries_by_endpoint_sample: queryBy,
      flagged_same_as_local: m.query.blocks.every((b) => b.sameAsLocal),
    },
    ratio,
    bytes_per_position: m.bytesPerPosition,
    memory: {
      positions: m.mem.positions,
      heap_before_mb: round(m.mem.heapBefore / MB),
      heap_after_mb: round(m.mem.heapAfter / MB),
      load_ms: round(m.mem.loadMs),
      checker_rss_ready_mb: m.local.readyRss.map((x) => round(x / MB)),
      checker_rss_mb: m.local.rss.map((x) => round(x / MB)),
      redis_used_mb: round(m.redisUsed / MB),
    },
    scan: { ms: round(m.scanMs), positions: m.scanned, positions_per_s: Math.round(m.scanned / (m.scanMs / 1000)) },
    checkers_ready_ms: round(m.local.readyMs),
    devnet: { flags: m.flags, startup_ms: round(m.startupMs) },
    goals: {
      sweep_p50_within_1s: localFigures.p50_ms < 1000,
      sweep_p99_within_1s: localFigures.p99_ms < 1000,
      ratio_at_least_100: ratio >= 100,
      under_1kb_per_position: m.bytesPerPosition < 1024,
    },
  };
}
