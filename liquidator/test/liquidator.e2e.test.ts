/**
 * The liquidator against a devnet over real sockets and a real Redis, on both chains and both
 * products: a price crash makes positions liquidatable, the health checker queues them, and the
 * executor liquidates every one it can with a positive profit that matches the signers' balance
 * changes on chain.
 */
import { describe, expect, it } from "vitest";
import { QUEUES, parseConfig, pipelineKeys } from "@mlb/shared";
import { useDevnet, type TestDevnet } from "../../devnet/test/support/devnet.js";
import { pipelineEnv, testDeps } from "../../test/support/pipeline.js";
import { DUST, balances, crash, flag, insolvent, stillLiquidatable, type Product } from "./support.js";
import { AttemptRecorder, buildLiquidator, liquidatorConfigSchema, type AttemptRecord, type LiquidatorConfig } from "../src/index.js";
import { DEFAULT_DEVNET_MNEMONIC } from "../../devnet/src/cli.js";

const SIGNERS = 4;



/** A running liquidator of one product (its signers prepared), and a way to run detection rounds into its queue. */
async function startLiquidator(t: TestDevnet, product: Product, extra: Record<string, string> = {}) {
  const env = pipelineEnv(t, product, { POSITION_SHARDS: "2", MIN_DEBT_VALUE: String(DUST) });
  const lEnv = { ...env, WALLET_MNEMONIC: DEFAULT_DEVNET_MNEMONIC, MAX_LIQUIDATORS: String(SIGNERS), SIGNERS_PER_INSTANCE: String(SIGNERS), MIN_PROFIT_VALUE: "0", MAX_NOTIONAL_VALUE: "1000000000000000", ...extra };
  const config = parseConfig("liquidator", liquidatorConfigSchema, lEnv) as LiquidatorConfig;
  const deps = testDeps(config);
  const app = buildLiquidator(config, deps);
  await app.shell.start();
  await app.executor(); // signers prepared (credit accounts created) before anything is measured
  const keys = pipelineKeys({ chain: t.chain, product }, config.REDIS_NAMESPACE);
  let queued = 0;
  return {
    keys,
    /** Scans, flags at height `h` (as the health checker does each block) and waits until the liquidator recorded every candidate. */
    async round(h: number): Promise<AttemptRecord[]> {
      queued += await flag(env, h);
      let records: AttemptRecord[] = [];
      for (let i = 0; i < 600 && records.length < queued; i++) {
        await new Promise((r) => setTimeout(r, 100));
        records = await AttemptRecorder.read(deps.redis, keys);
      }
      return records;
    },
    pending: () => deps.redis.llen(keys.queue(QUEUES.liquidate).pending),
    stop: async () => {
      await app.shell.stop();
      await deps.close();
    },
  };
}



describe.each(["osmosis", "neutron"] as const)("liquidator on %s", (chain) => {
  const devnet = useDevnet(["--chain", chain, "--positions", "40", "--accounts", "20", "--activity", "0", "--funded", String(SIGNERS)]);

  // One liquidation per transaction; then batched with one signer, so the liquidations planned while
  // its transaction is in flight share the next one.
  it.each([
    ["redbank", { MAX_LIQUIDATIONS_PER_TX: "1" }],
    ["rover", { MAX_LIQUIDATIONS_PER_TX: "1" }],
    ["redbank", { MAX_LIQUIDATIONS_PER_TX: "8", SIGNERS_PER_INSTANCE: "1" }],
    ["rover", { MAX_LIQUIDATIONS_PER_TX: "8", SIGNERS_PER_INSTANCE: "1" }],
  ] as const)("liquidates every %s position a crash makes liquidatable, each at a profit that matches the balance changes (%j)", async (product, extra) => {
    const t = devnet();
    const h = await crash(t, product === "redbank" ? 25n : 10n);
    // Liquidatable, solvent and above the dust floor the health checker applies.
    const due = await stillLiquidatable(t, product);
    expect(due.length).toBeGreaterThan(0);
    const addresses = Array.from({ length: SIGNERS }, (_, k) => t.account(k + 1));
    const liquidator = await startLiquidator(t, product, extra);
    const before = await Promise.all(addresses.map((a) => balances(t, a)));
    // Round after round, as the health checker flags each block, until nothing solvent is left
    // liquidatable (a liquidation limited by one collateral can leave a position still unhealthy).
    let records: AttemptRecord[] = [];
    let height = h;
    // (On Neutron a close-factor liquidation of a nearly insolvent account repays 90% of one debt
    // and leaves the health factor where it was: such accounts take several rounds.)
    for (let round = 0; round < 12; round++) {
      records = await liquidator.round(height);
      const left = await stillLiquidatable(t, product);
      if (left.every((a) => records.filter((r) => r.account === a).at(-1)?.outcome === "unprofitable")) break;
      // The health checker queues an account again only after CANDIDATE_REPEAT_BLOCKS (3) blocks.
      height = (await t.admin<{ height: number }>("POST", "/blocks", { count: 3 })).body.height;
    }
    expect(await liquidator.pending()).toBe(0);
    await liquidator.stop();
    const after = await Promise.all(addresses.map((a) => balances(t, a)));
    const byOutcome = (o: string) => records.filter((r) => r.outcome === o);
    const liquidated = byOutcome("liquidated");
    console.info(`${chain} ${product}: ${due.length} liquidatable, ${records.length} attempts, outcomes ${JSON.stringify(Object.fromEntries(["liquidated", "unprofitable", "healthy", "reverted", "lost", "skipped"].map((o) => [o, byOutcome(o).length])))}`);
    expect(byOutcome("reverted").map((r) => r.error)).toEqual([]);
    // Every one was liquidated, or its last attempt found that no liquidation of it pays for its
    // swap and fee (checked below).
    const lastOf = (a: string) => records.filter((r) => r.account === a).at(-1)?.outcome;
    expect(due.filter((a) => !liquidated.some((r) => r.account === a) && lastOf(a) !== "unprofitable")).toEqual([]);
    // What was not liquidated is in bad debt, or its remainder is too small to pay for the fee.
    const bad = await insolvent(t, product);
    for (const r of records.filter((x) => x.outcome !== "liquidated")) {
      expect(r.outcome, `${r.account}: ${r.error}`).toBe("unprofitable");
      if (!bad.has(r.account)) expect(BigInt(r.expectedProfit), `${r.account}: ${r.error}`).toBeLessThan(0n);
    }
    if (extra.MAX_LIQUIDATIONS_PER_TX === "1") expect(liquidated.every((r) => r.txLiquidations === 1)).toBe(true);
    else expect(Math.max(...liquidated.map((r) => r.txLiquidations))).toBeGreaterThan(1);
    for (const r of liquidated) {
      expect(BigInt(r.realizedProfit!), `${r.account}`).toBeGreaterThan(0n);
      expect(r.txHash).toMatch(/^[0-9A-F]{64}$/);
      expect(r.inclusionHeight).toBeGreaterThan(h);
    }
    // The records' balance changes add up to each signer's actual balance change, denom by denom.
    for (let i = 0; i < addresses.length; i++) {
      const recorded = new Map<string, bigint>();
      for (const r of records.filter((x) => x.signer === addresses[i])) for (const [d, v] of Object.entries(r.balanceChanges)) recorded.set(d, (recorded.get(d) ?? 0n) + BigInt(v));
      for (const d of new Set([...before[i]!.keys(), ...after[i]!.keys()])) expect(recorded.get(d) ?? 0n, `${addresses[i]} ${d}`).toBe((after[i]!.get(d) ?? 0n) - (before[i]!.get(d) ?? 0n));
    }
    // Nothing solvent is left liquidatable, unless its last attempt found it no longer worth the fee.
    const lastOutcome = (a: string) => records.filter((r) => r.account === a).at(-1)?.outcome;
    expect((await stillLiquidatable(t, product)).filter((a) => lastOutcome(a) !== "unprofitable")).toEqual([]);
  }, 120_000);

  it("DRY_RUN=1 does everything but broadcast: every attempt simulated and recorded, nothing sent", async () => {
    const t = devnet();
    const h = await crash(t, 15n);
    const addresses = Array.from({ length: SIGNERS }, (_, k) => t.account(k + 1));
    const before = await Promise.all(addresses.map((a) => balances(t, a)));
    const liquidator = await startLiquidator(t, "redbank", { DRY_RUN: "1" });
    const records = await liquidator.round(h);
    await liquidator.stop();
    expect(records.length).toBeGreaterThan(0);
    expect(records.filter((r) => r.outcome === "dry_run").length).toBeGreaterThan(0);
    for (const r of records) {
      expect(["dry_run", "unprofitable"]).toContain(r.outcome);
      expect(r.txHash).toBeNull();
    }
    const liquidations = (await t.admin<{ liquidator: string }[]>("GET", `/liquidations?since=${h}`)).body.filter((l) => addresses.includes(l.liquidator));
    expect(liquidations).toEqual([]);
    expect(await Promise.all(addresses.map((a) => balances(t, a)))).toEqual(before);
  }, 120_000);
});
