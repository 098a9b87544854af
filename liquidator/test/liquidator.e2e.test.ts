/**
 * The liquidator against a devnet over real sockets and a real Redis, on both chains and both
 * products: a price crash makes positions liquidatable, the health checker queues them, and the
 * executor liquidates every one it can with a positive profit that matches the signers' balance
 * changes on chain.
 */
import { afterAll, describe, expect, it } from "vitest";
import { QUEUES, parseConfig, pipelineKeys, mars } from "@mlb/shared";
import { useDevnet, type TestDevnet } from "../../devnet/test/support/devnet.js";
import { pipelineEnv, testDeps } from "../../test/support/pipeline.js";
import { buildCollector, collectorConfigSchema, type CollectorConfig } from "../../collector/src/index.js";
import { buildHealthChecker, healthCheckerConfigSchema, type HealthCheckerConfig } from "../../health-checker/src/index.js";
import { AttemptRecorder, buildLiquidator, liquidatorConfigSchema, type AttemptRecord, type LiquidatorConfig } from "../src/index.js";
import { DEFAULT_DEVNET_MNEMONIC } from "../../devnet/src/cli.js";

type Product = "redbank" | "rover";
const SIGNERS = 4;

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

/**
 * Scans, flags at the crash height and runs a liquidator until every queued candidate has a record;
 * returns the records, what the health checker queued and the signers' balance changes.
 */
async function liquidateCrash(t: TestDevnet, product: Product, h: number) {
  const env = pipelineEnv(t, product, { POSITION_SHARDS: "2", MIN_DEBT_VALUE: "0" });
  const cDeps = testDeps(env as never);
  await buildCollector(parseConfig("collector", collectorConfigSchema, env) as CollectorConfig, cDeps).scanAll();
  const hcConfig = parseConfig("health-checker", healthCheckerConfigSchema, env) as HealthCheckerConfig;
  const { checker } = buildHealthChecker(hcConfig, cDeps);
  await checker.start();
  let queued = 0;
  for (const shard of checker.shards().keys()) queued += (await checker.evaluate(shard, h)).queued;
  await checker.stop();

  const lEnv = { ...env, WALLET_MNEMONIC: DEFAULT_DEVNET_MNEMONIC, MAX_LIQUIDATORS: String(SIGNERS), SIGNERS_PER_INSTANCE: String(SIGNERS), MIN_PROFIT_VALUE: "0" };
  const config = parseConfig("liquidator", liquidatorConfigSchema, lEnv) as LiquidatorConfig;
  const deps = testDeps(config);
  const addresses = Array.from({ length: SIGNERS }, (_, i) => t.account(i + 1));
  const before = await Promise.all(addresses.map((a) => balances(t, a)));
  const app = buildLiquidator(config, deps);
  await app.shell.start();
  const keys = pipelineKeys({ chain: t.chain, product }, config.REDIS_NAMESPACE);
  let records: AttemptRecord[] = [];
  for (let i = 0; i < 600 && records.length < queued; i++) {
    await new Promise((r) => setTimeout(r, 100));
    records = await AttemptRecorder.read(deps.redis, keys);
  }
  await app.shell.stop();
  const pending = await cDeps.redis.llen(keys.queue(QUEUES.liquidate).pending);
  await cDeps.close();
  const after = await Promise.all(addresses.map((a) => balances(t, a)));
  return { records, queued, pending, addresses, before, after };
}

describe.each(["osmosis", "neutron"] as const)("liquidator on %s", (chain) => {
  const devnet = useDevnet(["--chain", chain, "--positions", "40", "--accounts", "20", "--activity", "0", "--funded", String(SIGNERS)]);
  afterAll(() => undefined);

  it.each(["redbank", "rover"] as const)("liquidates every %s position a crash makes liquidatable, each at a profit that matches the balance changes", async (product) => {
    const t = devnet();
    const h = await crash(t, product === "redbank" ? 25n : 10n);
    const truth = (await t.admin<{ redBank: string[]; creditAccounts: string[] }>("GET", "/liquidatable")).body;
    const liquidatable = product === "redbank" ? truth.redBank : truth.creditAccounts;
    expect(liquidatable.length).toBeGreaterThan(0);
    const run = await liquidateCrash(t, product, h);
    expect(run.records).toHaveLength(run.queued);
    expect(run.pending).toBe(0);
    const byOutcome = (o: string) => run.records.filter((r) => r.outcome === o);
    const liquidated = byOutcome("liquidated");
    console.info(`${chain} ${product}: ${liquidatable.length} liquidatable, ${run.queued} queued, outcomes ${JSON.stringify(Object.fromEntries(["liquidated", "unprofitable", "healthy", "reverted", "lost", "skipped"].map((o) => [o, byOutcome(o).length])))}`);
    expect(byOutcome("reverted").map((r) => r.error)).toEqual([]);
    // Everything not liquidated is in bad debt (no liquidation clears the contract's profit guard).
    const badDebt = (await t.admin<{ redBank: { user: string }[]; creditAccounts: { accountId: string }[] }>("GET", "/bad-debt")).body;
    const insolvent = new Set(product === "redbank" ? badDebt.redBank.map((b) => b.user) : badDebt.creditAccounts.map((b) => b.accountId));
    for (const r of run.records) if (r.outcome !== "liquidated") expect(insolvent.has(r.account), `${r.account}: ${r.outcome} ${r.error}`).toBe(true);
    expect(liquidated.length).toBeGreaterThan(0);
    for (const r of liquidated) {
      expect(BigInt(r.realizedProfit!), `${r.account}`).toBeGreaterThan(0n);
      expect(r.txHash).toMatch(/^[0-9A-F]{64}$/);
      expect(r.inclusionHeight).toBeGreaterThan(h);
    }
    // The records' balance changes add up to each signer's actual balance change, denom by denom.
    for (let i = 0; i < run.addresses.length; i++) {
      const recorded = new Map<string, bigint>();
      for (const r of run.records.filter((x) => x.signer === run.addresses[i])) for (const [d, v] of Object.entries(r.balanceChanges)) recorded.set(d, (recorded.get(d) ?? 0n) + BigInt(v));
      const denoms = new Set([...run.before[i]!.keys(), ...run.after[i]!.keys()]);
      for (const d of denoms) expect(recorded.get(d) ?? 0n, `${run.addresses[i]} ${d}`).toBe((run.after[i]!.get(d) ?? 0n) - (run.before[i]!.get(d) ?? 0n));
    }
    // Nothing the executor liquidated is still liquidatable.
    const now = (await t.admin<{ redBank: string[]; creditAccounts: string[] }>("GET", "/liquidatable")).body;
    const still = new Set(product === "redbank" ? now.redBank : now.creditAccounts);
    expect(liquidated.filter((r) => still.has(r.account)).map((r) => r.account)).toEqual([]);
  }, 120_000);
});
