import { createLogger, encodeCreditAccount, encodeRedBankPosition, parseConfig, PositionCache, pipelineKeys, splitCacheValue, type CachedCreditAccount, type CachedRedBankPosition } from "@mlb/shared";
import { buildCollector, collectorConfigSchema, type Collector, type CollectorConfig } from "@mlb/collector";
import { buildHealthChecker, healthCheckerConfigSchema, type HealthChecker, type HealthCheckerConfig } from "@mlb/health-checker";
import { Devnet, parseFlags } from "@mlb/devnet";
import { pipelineEnv, quietDeps, type ChainEndpoints } from "../pipeline.js";
import { median } from "../stats.js";
import { DetectionTally, type DetectionCounts } from "./tally.js";

/**
 * The detection run shared by the `detection` benchmark and health-checker/test/detection.e2e.test.ts:
 * an in-process devnet whose prices follow a seeded path, and per product a collector and a health
 * checker (in-process, every shard) on a Redis namespace. Per block h: the devnet commits h, its
 * ground truth T_h is read, the collector follows h, the health checker's store catches up with the
 * collector's changes, every shard is evaluated at h (F_h), and `DetectionTally` counts.
 */

export type Product = "redbank" | "rover";

export interface DetectionOptions {
  /** Devnet flags on top of free ports and 10-minute blocks (e.g. `--positions`, `--accounts`, `--scenario`, `--seed`). */
  devnetFlags: string[];
  redisUrl: string;
  /** Key namespace of both pipelines (each product has its own hash tag inside it). */
  namespace: string;
  /** Blocks evaluated. */
  blocks: number;
  /** POSITION_SHARDS (default 16). */
  shards?: number;
  log?(message: string): void;
}

/** One product's counts plus timings. */
export interface ProductDetection extends DetectionCounts {
  /** Positions that could not be evaluated, over every block (a denom without price, params or market). */
  unevaluable: number;
  scan_ms: number;
  /** Cache changes the collector made following the blocks (background activity: new borrowers, repayments). */
  changes_followed: number;
  /** Median over blocks: evaluating every shard at h (market state included), ms. */
  evaluate_ms: number;
}

export interface DetectionRun {
  redbank: ProductDetection;
  rover: ProductDetection;
  /** Heights evaluated, first and last. */
  heights: [number, number];
  /** Median ground-truth scan per block (both products), ms. */
  ground_truth_ms: number;
  devnet_startup_ms: number;
}

interface Pipeline {
  product: Product;
  collector: Collector;
  checker: HealthChecker;
  cache: PositionCache;
  /** Last change-stream id this run has checked the store against. */
  streamId: string;
  tally: DetectionTally;
  scanMs: number;
  evalMs: number[];
  unevaluable: number;
  followed: number;
  close(): Promise<void>;
}

export async function runDetection(o: DetectionOptions): Promise<DetectionRun> {
  const log = o.log ?? (() => undefined);
  const shards = o.shards ?? 16;
  const flags = parseFlags(["--rpc-port", "0", "--lcd-port", "0", "--hive-port", "0", "--admin-port", "0", "--block-time-ms", "600000", ...o.devnetFlags]);
  const devnet = new Devnet(flags, createLogger({ service: "bench-devnet", level: "silent" }));
  const started = performance.now();
  const ready = await devnet.start();
  const startupMs = performance.now() - started;
  const pipelines: Pipeline[] = [];
  try {
    log(`detection: devnet ready in ${(startupMs / 1000).toFixed(1)} s (${flags.positions} debtors, ${flags.accounts} credit accounts, ${flags.scenario} seed ${flags.seed})`);
    await devnet.advanceBlocks(1);
    const chain: ChainEndpoints = { chain: flags.chain, rpc: ready.rpc, lcd: ready.lcd, hive: ready.hive, addressProvider: ready.contracts.addressProvider };
    for (const product of ["redbank", "rover"] as const) {
      const p = await startPipeline(chain, product, o.redisUrl, o.namespace, shards);
      pipelines.push(p);
      log(`detection: ${product}: ${p.tally.result().debtors} positions scanned and loaded in ${(p.scanMs / 1000).toFixed(1)} s`);
    }
    let height = devnet.chain.height;
    const first = height + 1;
    const truthMs: number[] = [];
    for (let b = 0; b < o.blocks; b++) {
      const previous = height;
      height = await devnet.advanceBlocks(1);
      const t0 = performance.now();
      const truth = await devnet.liquidatable();
      truthMs.push(performance.now() - t0);
      await settleTimers();
      if (truth.height !== height) throw new Error(`ground truth is at height ${truth.height}, expected ${height}`);
      for (const p of pipelines) {
        for (let h = previous + 1; h <= height; h++) p.followed += (await p.collector.followBlock(h)).changed;
        await catchUp(p);
        const t1 = performance.now();
        const runs = await Promise.all([...p.checker.shards().keys()].map((s) => p.checker.evaluate(s, height)));
        p.evalMs.push(performance.now() - t1);
        p.unevaluable += runs.reduce((a, r) => a + [...r.unevaluable.values()].reduce((x, y) => x + y, 0), 0);
        p.tally.add(height, p.product === "redbank" ? truth.redBank : truth.creditAccounts, runs.flatMap((r) => [...r.flagged.map((c) => c.account), ...r.stillQueued]));
      }
      const [rb, ro] = pipelines.map((p) => p.tally.result());
      log(`detection: block ${height}: redbank ${truth.redBank.length} liquidatable (${rb!.became_liquidatable} entries so far, ${rb!.false_positives} false positives, ${rb!.missed} missed); rover ${truth.creditAccounts.length} (${ro!.became_liquidatable}, ${ro!.false_positives}, ${ro!.missed})`);
    }
    const product = (p: Pipeline): ProductDetection => ({ ...p.tally.result(), unevaluable: p.unevaluable, scan_ms: Math.round(p.scanMs), changes_followed: p.followed, evaluate_ms: Math.round(median(p.evalMs)) });
    return { redbank: product(pipelines[0]!), rover: product(pipelines[1]!), heights: [first, height], ground_truth_ms: Math.round(median(truthMs)), devnet_startup_ms: Math.round(startupMs) };
  } finally {
    for (const p of pipelines) await p.close();
    await devnet.stop();
  }
}

async function startPipeline(chain: ChainEndpoints, product: Product, redisUrl: string, namespace: string, shards: number): Promise<Pipeline> {
  // MIN_DEBT_VALUE=0: dust is flagged too, so every liquidatable position is compared.
  const env = pipelineEnv(chain, product, redisUrl, namespace, { POSITION_SHARDS: String(shards), MIN_DEBT_VALUE: "0" });
  const t0 = performance.now();
  const cDeps = quietDeps(redisUrl, `detection-collector-${product}`);
  const hDeps = quietDeps(redisUrl, `detection-checker-${product}`);
  const { checker } = buildHealthChecker(parseConfig("health-checker", healthCheckerConfigSchema, env) as HealthCheckerConfig, hDeps);
  const close = async () => {
    await checker.stop();
    await hDeps.close();
    await cDeps.close();
  };
  try {
    const app = buildCollector(parseConfig("collector", collectorConfigSchema, env) as CollectorConfig, cDeps);
    const scanned = (await app.scanAll()).reduce((a, s) => a + s.positions, 0);
    const cache = new PositionCache({ redis: cDeps.redis, keys: pipelineKeys({ chain: chain.chain, product }, namespace), shards });
    const streamId = (await cache.streamInfo()).head;
    await checker.start();
    return {
      product,
      collector: await app.collector(),
      checker,
      cache,
      streamId,
      tally: new DetectionTally(scanned),
      scanMs: performance.now() - t0,
      evalMs: [],
      unevaluable: 0,
      followed: 0,
      close,
    };
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
}

/**
 * The ground-truth scan holds this process (and the in-process devnet's servers) for seconds. Let
 * the timers that expired meanwhile run, the servers' keep-alive timeouts among them, before the
 * clients send again: otherwise a client can write on an idle socket that the server, in the same
 * event loop, closes an instant later (ECONNRESET on a single-endpoint client).
 */
async function settleTimers(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1));
  await new Promise((resolve) => setImmediate(resolve));
}

const CATCH_UP_TIMEOUT_MS = 10_000;

/**
 * Waits until the health checker's in-memory store holds, for every account the collector changed
 * since the last call, exactly what the cache holds (the store follows the cache's change stream
 * on its own; in the deployment the manager's per-block work gives it the same head start).
 */
async function catchUp(p: Pipeline): Promise<void> {
  const changed = new Map<number, Set<string>>();
  for (;;) {
    const entries = await p.cache.changes(p.streamId, 1000, null);
    if (entries.length === 0) break;
    for (const e of entries) {
      let s = changed.get(e.shard);
      if (s === undefined) changed.set(e.shard, (s = new Set()));
      for (const a of e.accounts) s.add(a);
      p.streamId = e.id;
    }
  }
  const deadline = Date.now() + CATCH_UP_TIMEOUT_MS;
  for (const [shard, accounts] of changed) {
    const list = [...accounts];
    const values = await p.cache.get(shard, list);
    for (;;) {
      const held = p.checker.shards().get(shard);
      const behind = list.filter((a, i) => {
        const value = values[i] ?? null;
        const want = value === null ? null : splitCacheValue(a, value).payload;
        const have = held?.get(a);
        return want !== (have === undefined ? null : encode(p.product, have));
      });
      if (behind.length === 0) break;
      if (Date.now() > deadline) throw new Error(`${p.product}: the health checker's store did not catch up with the cache within ${CATCH_UP_TIMEOUT_MS} ms (shard ${shard}: ${behind.slice(0, 3).join(", ")} ...)`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

function encode(product: Product, p: CachedRedBankPosition | CachedCreditAccount): string {
  return product === "redbank" ? encodeRedBankPosition(p as CachedRedBankPosition) : encodeCreditAccount(p as CachedCreditAccount);
}
