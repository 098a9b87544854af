/** What the liquidator's end-to-end tests share: crashing prices, flagging candidates like the pipeline does, and ground truth. */
import { mars, parseConfig } from "@mlb/shared";
import type { TestDevnet } from "../../devnet/test/support/devnet.js";
import { testDeps } from "../../test/support/pipeline.js";
import { buildCollector, collectorConfigSchema, type CollectorConfig } from "../../collector/src/index.js";
import { buildHealthChecker, healthCheckerConfigSchema, type HealthCheckerConfig } from "../../health-checker/src/index.js";

export type Product = "redbank" | "rover";
/** Debt value (uusd) under which a position is dust: the health checker does not queue it (MIN_DEBT_VALUE). */
export const DUST = 100_000;

/** Every market-denom balance of `address`. */
export async function balances(t: TestDevnet, address: string): Promise<Map<string, bigint>> {
  const denoms = t.ready.denoms.map((d) => d.denom);
  return new Map(await Promise.all(denoms.map(async (d) => [d, await t.balance(address, d)] as const)));
}

/** Crashes every price but the neutral one by `pct` percent and produces a block; returns its height. */
export async function crash(t: TestDevnet, pct: bigint): Promise<number> {
  const prices = await t.query<{ denom: string; price: string }[]>(t.c.oracle, { prices: { limit: 30 } });
  const crashed = Object.fromEntries(prices.filter((x) => x.denom !== t.neutral).map((x) => [x.denom, mars.formatDecimal((mars.parseDecimal(x.price, x.denom) * (100n - pct)) / 100n)]));
  await t.admin("POST", "/prices", { prices: crashed });
  return (await t.admin<{ height: number }>("POST", "/blocks", { count: 1 })).body.height;
}

/** Scans and flags at height `h` into the queues of `env`'s Redis namespace, as the collector and health checker do each block; returns how many were queued. */
export async function flag(env: Record<string, string>, h: number): Promise<number> {
  const deps = testDeps(env as never);
  await buildCollector(parseConfig("collector", collectorConfigSchema, env) as CollectorConfig, deps).scanAll();
  const { checker } = buildHealthChecker(parseConfig("health-checker", healthCheckerConfigSchema, env) as HealthCheckerConfig, deps);
  await checker.start();
  let queued = 0;
  for (const shard of checker.shards().keys()) queued += (await checker.evaluate(shard, h)).queued;
  await checker.stop();
  await deps.close();
  return queued;
}

/** Accounts in bad debt (collateral worth less than debt): no liquidation of them clears the contract's profit guard. */
export async function insolvent(t: TestDevnet, product: Product): Promise<Set<string>> {
  const b = (await t.admin<{ redBank: { user: string }[]; creditAccounts: { accountId: string }[] }>("GET", "/bad-debt")).body;
  return new Set(product === "redbank" ? b.redBank.map((x) => x.user) : b.creditAccounts.map((x) => x.accountId));
}

/** Liquidatable accounts that are neither in bad debt nor dust. */
export async function stillLiquidatable(t: TestDevnet, product: Product): Promise<string[]> {
  const now = (await t.admin<{ redBank: string[]; creditAccounts: string[] }>("GET", "/liquidatable")).body;
  const bad = await insolvent(t, product);
  const out: string[] = [];
  for (const a of (product === "redbank" ? now.redBank : now.creditAccounts).filter((x) => !bad.has(x))) {
    const debt =
      product === "redbank"
        ? (await t.query<mars.UserPositionJson>(t.c.redBank, { user_position_liquidation_pricing: { user: a } })).total_collateralized_debt
        : (await t.query<mars.HealthValuesJson>(t.c.health, { health_values: t.chain === "osmosis" ? { account_id: a, kind: "default", action: "liquidation" } : { account_id: a, action: "liquidation" } }))
            .total_debt_value;
    if (BigInt(debt) >= BigInt(DUST)) out.push(a);
  }
  return out;
}
