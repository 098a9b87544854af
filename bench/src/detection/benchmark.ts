import { intSetting } from "../settings.js";
import { fmt } from "../table.js";
import { startLocalRedis } from "@mlb/devnet";
import type { BenchEnv, Benchmark, Row } from "../types.js";
import { runDetection, type ProductDetection } from "./run.js";

/**
 * Detection against ground truth: a devnet with Red Bank debtors and credit accounts whose prices
 * follow a seeded random walk; per block, every account the devnet calls liquidatable must be
 * flagged in that block (at worst the next), and nothing healthy may be. bench/README.md explains
 * every figure.
 */

export interface DetectionResult {
  redbank: ProductDetection;
  rover: ProductDetection;
  seed: number;
  scenario: string;
  blocks: number;
  heights: [number, number];
  devnet_flags: string[];
  ground_truth_ms: number;
  devnet_startup_ms: number;
  /** missed and false positives are 0 for both products. */
  exact: boolean;
}

export const detectionBenchmark: Benchmark<DetectionResult> = {
  name: "detection",
  title: "detection vs the devnet's ground truth: flagged within the block, no false positives",

  async run(env: BenchEnv): Promise<DetectionResult> {
    const positions = intSetting("BENCH_DETECTION_POSITIONS", 100_000);
    const accounts = intSetting("BENCH_DETECTION_ACCOUNTS", 10_000);
    const blocks = intSetting("BENCH_DETECTION_BLOCKS", 25);
    const seed = intSetting("BENCH_DETECTION_SEED", 3, 0);
    const scenario = "random-walk";
    const flags = ["--positions", String(positions), "--accounts", String(accounts), "--scenario", scenario, "--seed", String(seed)];
    const redis = await startLocalRedis();
    try {
      const r = await runDetection({ devnetFlags: flags, redisUrl: redis.url, namespace: "bench-detection", blocks, log: env.log });
      const exact = [r.redbank, r.rover].every((p) => p.missed === 0 && p.false_positives === 0 && p.liquidatable_at_start_unflagged === 0);
      return { redbank: r.redbank, rover: r.rover, seed, scenario, blocks, heights: r.heights, devnet_flags: flags, ground_truth_ms: r.ground_truth_ms, devnet_startup_ms: r.devnet_startup_ms, exact };
    } finally {
      await redis.stop();
    }
  },

  rows(r: DetectionResult): Row[] {
    const rows: Row[] = [];
    for (const [name, p] of [["redbank", r.redbank], ["rover", r.rover]] as const) {
      rows.push(
        { figure: `${name} debtors`, value: fmt(p.debtors), note: `${r.blocks} blocks, heights ${r.heights[0]}..${r.heights[1]}` },
        { figure: `${name} liquidatable at start`, value: fmt(p.liquidatable_at_start), note: `${p.liquidatable_at_start_unflagged} not flagged` },
        { figure: `${name} became liquidatable`, value: fmt(p.became_liquidatable), note: `${fmt(p.accounts_became_liquidatable)} accounts; ${fmt(p.recovered)} recoveries` },
        { figure: `${name} flagged same block`, value: fmt(p.flagged_same_block) },
        { figure: `${name} flagged next block`, value: fmt(p.flagged_next_block) },
        { figure: `${name} missed`, value: fmt(p.missed), note: "goal: 0" },
        { figure: `${name} false positives`, value: fmt(p.false_positives), note: `goal: 0 (over ${fmt(p.liquidatable_account_blocks)} liquidatable account-blocks)` },
        { figure: `${name} evaluate all`, value: `${fmt(p.evaluate_ms)} ms`, note: "per block, in-process, every shard" },
      );
    }
    rows.push({ figure: "ground truth scan", value: `${fmt(r.ground_truth_ms)} ms`, note: `per block; ${r.scenario} seed ${r.seed}` });
    return rows;
  },
};
