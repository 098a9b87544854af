/**
 * Detection against the devnet's ground truth, scaled down from the `detection` benchmark (same
 * code: bench/src/detection): 3,000 Red Bank debtors and 300 credit accounts, prices on a seeded
 * random walk with background activity, 10 blocks. Every account the devnet calls liquidatable is
 * flagged in the block it became liquidatable, and nothing else is ever flagged.
 */
import { afterAll, describe, expect, it } from "vitest";
import { runDetection } from "../../bench/src/detection/run.js";
import { connectTestRedis, deleteNamespace, testRedisUrl, uniqueNamespace } from "../../test/support/redis.js";

describe("detection against the devnet's ground truth", () => {
  const namespace = uniqueNamespace();
  afterAll(async () => {
    const redis = connectTestRedis();
    await deleteNamespace(redis, namespace);
    await redis.quit();
  });

  it("flags every newly liquidatable Red Bank debtor and credit account in its block, and nothing healthy", async () => {
    const r = await runDetection({
      devnetFlags: ["--positions", "3000", "--accounts", "300", "--scenario", "random-walk", "--seed", "3"],
      redisUrl: testRedisUrl(),
      namespace,
      blocks: 10,
    });
    for (const product of ["redbank", "rover"] as const) {
      const p = r[product];
      const counts = { product, became: p.became_liquidatable, same: p.flagged_same_block, next: p.flagged_next_block, missed: p.missed, falsePositives: p.false_positives };
      expect(p.blocks, JSON.stringify(counts)).toBe(10);
      expect(p.became_liquidatable, JSON.stringify(counts)).toBeGreaterThan(0);
      expect(p.missed, JSON.stringify(counts)).toBe(0);
      expect(p.false_positives, JSON.stringify(counts)).toBe(0);
      expect(p.liquidatable_at_start_unflagged, JSON.stringify(counts)).toBe(0);
      expect(p.unevaluable, JSON.stringify(counts)).toBe(0);
      // Local math is exact, so nothing waits for the next block.
      expect(p.flagged_same_block, JSON.stringify(counts)).toBe(p.became_liquidatable);
    }
    // The genesis positions, plus any background borrower whose first transaction came before the scan.
    expect(r.redbank.debtors).toBeGreaterThanOrEqual(3000);
    expect(r.rover.debtors).toBe(300);
    // Background activity (new borrowers, repayments) went through the collector's block follower.
    expect(r.redbank.changes_followed).toBeGreaterThan(0);
    console.info(`detection: redbank ${r.redbank.became_liquidatable} became liquidatable, rover ${r.rover.became_liquidatable}; heights ${r.heights.join("..")}`);
  });
});
