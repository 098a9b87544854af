/**
 * The liquidator against a devnet over real sockets and a real Redis, on both chains and both
 * products: a price crash makes positions liquidatable, the health checker queues them, and the
 * executor liquidates every one it can with a positive profit that matches the signers' balance
 * changes on chain.
 */
import { describe, expect, it } from "vitest";
import { QUEUES, parseConfig, pipelineKeys, mars } from "@mlb/shared";
import { useDevnet, type TestDevnet } from "../../devnet/test/support/devnet.js";
import { pipelineEnv, testDeps } from "../../test/support/pipeline.js";
import { buildCollector, collectorConfigSchema, type CollectorConfig } from "../../collector/src/index.js";
import { buildHealthChecker, healthCheckerConfigSchema, type HealthCheckerConfig } from "../../health-checker/src/index.js";
import { AttemptRecorder, buildLiquidator, liquidatorConfigSchema, type AttemptRecord, type LiquidatorConfig } from "../src/index.js";
import { DEFAULT_DEVNET_MNEMONIC } from "../../devnet/src/cli.js";

type Product = "redbank" | "rover";
const SIGNERS = 4;
/** Debt value (uusd) under which a position is dust: the health checker does not queue it (MIN_DEBT_VALUE). */
const DUST = 100_000;

/** Every market-denom balance of `address`. */
async function balances(t: TestDevnet, address: string): Promise<Map<string, bigint>> {
  const denoms = t.ready.denoms.map((d) => d.denom);
  return new Map(await Promise.all(denoms.map(async (d) => [d, await t.balance(address, d)] as const)));
}

/** Crashes every price but the neutral one by `pct` percent and produces a block; returns its height. */
async function crash(t: TestDevnet, pct: bigint): Promise<number> {
  const prices = await t.query<{ denom: string; price: string }[]>(t.c.oracle, { prices: { limit: 30 } });
  const crashed = Object.fromEntries(prices.filter((x) => x.denom !== t.neutral).map((x) => [x.denom, mars.formatDecimal((mars.parseDecimal(x.price, x.denom) * (100n - pct)) / 100n)]));
  await t.admin("POST", "/prices", { prices: crashed });
  return (await t.admin<{ height: number }>("POST", "/blocks", { count: 1 })).body.height;
}

/** A running liquidator of one product (its signers prepared), and a way to run detection rounds into its queue. */
async function startLiquidator(t: TestDevnet, product: Product) {
  const env = pipelineEnv(t, product, { POSITION_SHARDS: "2", MIN_DEBT_VALUE: String(DUST) });
  const lEnv = { ...env, WALLET_MNEMONIC: DEFAULT_DEVNET_MNEMONIC, MAX_LIQUIDATORS: String(SIGNERS), SIGNERS_PER_INSTANCE: String(SIGNERS), MIN_PROFIT_VALUE: "0", MAX_NOTIONAL_VALUE: "1000000000000000" };
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
      const roundEnv = { ...env, REDIS_NAMESPACE: config.REDIS_NAMESPACE };
      const cDeps = testDeps(config);
      await buildCollector(parseConfig("collector", collectorConfigSchema, roundEnv) as CollectorConfig, cDeps).scanAll();
      const { checker } = buildHealthChecker(parseConfig("health-checker", healthCheckerConfigSchema, roundEnv) as HealthCheckerConfig, cDeps);
      await checker.start();
      for (const shard of checker.shards().keys()) queued += (await checker.evaluate(shard, h)).queued;
      await checker.stop();
      await cDeps.close();
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

/** Accounts in bad debt (collateral worth less than debt): no liquidation of them clears the contract's profit guard. */
async function insolvent(t: TestDevnet, product: Product): Promise<Set<string>> {
  const b = (await t.admin<{ redBank: { user: string }[]; creditAccounts: { accountId: string }[] }>("GET", "/bad-debt")).body;
  return new Set(product === "redbank" ? b.redBank.map((x) => x.user) : b.creditAccounts.map((x) => x.accountId));
}

/** Liquidatable accounts that are neither in bad debt nor dust. */
async function stillLiquidatable(t: TestDevnet, product: Product): Promise<string[]> {
  const now = (await t.admin<{ redBank: string[]; creditAccounts: string[] }>("GET", "/liquidatable")).body;
  const bad = await insolvent(t, product);
  const out: string[] = [];
  for (const a of (product === "redbank" ? now.redBank : now.creditAccounts).filter((x) => !bad.has(x))) {
    const debt =
      product === "redbank"
        ? (await t.query<mars.UserPositionJson>(t.c.redBank, { user_position_liquidation_pricing: { user: a } })).total_collateralized_debt
        : (await t.query<mars.HealthValuesJson>(t.c.health, { health_values: t.chain === "osmosis" ? { account_id: a, kind: "default", action: "liquidation" } : { account_id: a, action: "liquidation" } })).total_debt_value;
    if (BigInt(debt) >= BigInt(DUST)) out.push(a);
  }
  return out;
}

describe.each(["osmosis", "neutron"] as const)("liquidator on %s", (chain) => {
  const devnet = useDevnet(["--chain", chain, "--positions", "40", "--accounts", "20", "--activity", "0", "--funded", String(SIGNERS)]);

  it.each(["redbank", "rover"] as const)("liquidates every %s position a crash makes liquidatable, each at a profit that matches the balance changes", async (product) => {
    const t = devnet();
    const h = await crash(t, product === "redbank" ? 25n : 10n);
    const truth = (await t.admin<{ redBank: string[]; creditAccounts: string[] }>("GET", "/liquidatable")).body;
    const liquidatable = product === "redbank" ? truth.redBank : truth.creditAccounts;
    expect(liquidatable.length).toBeGreaterThan(0);
    const addresses = Array.from({ length: SIGNERS }, (_, k) => t.account(k + 1));
    const liquidator = await startLiquidator(t, product);
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
      height = (await t.admin<{ height: number }>("POST", "/blocks", { count: 1 })).body.height;
    }
    expect(await liquidator.pending()).toBe(0);
    await liquidator.stop();
    const after = await Promise.all(addresses.map((a) => balances(t, a)));
    const byOutcome = (o: string) => records.filter((r) => r.outcome === o);
    const liquidated = byOutcome("liquidated");
    console.info(`${chain} ${product}: ${liquidatable.length} liquidatable, ${records.length} attempts, outcomes ${JSON.stringify(Object.fromEntries(["liquidated", "unprofitable", "healthy", "reverted", "lost", "skipped"].map((o) => [o, byOutcome(o).length])))}`);
    expect(byOutcome("reverted").map((r) => r.error)).toEqual([]);
    expect(new Set(liquidated.map((r) => r.account)).size).toBeGreaterThanOrEqual(liquidatable.length - (await insolvent(t, product)).size);
    // What was not liquidated is in bad debt, or its remainder is too small to pay for the fee.
    const bad = await insolvent(t, product);
    for (const r of records.filter((x) => x.outcome !== "liquidated")) {
      expect(r.outcome, `${r.account}: ${r.error}`).toBe("unprofitable");
      if (!bad.has(r.account)) expect(BigInt(r.expectedProfit), `${r.account}: ${r.error}`).toBeLessThan(0n);
    }
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
});
