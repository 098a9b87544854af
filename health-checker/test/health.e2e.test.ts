/**
 * The health checker against a devnet over real sockets and a real Redis, on both chains: local
 * health equals the contracts' own answers exactly for every cached position (Red Bank
 * `user_position_liquidation_pricing`, health contract `health_values`), the flagged set after a
 * price crash is exactly the devnet's ground truth in local and in query mode, and a malformed
 * cache entry is dead-lettered without stopping anything.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HiveClient, PositionCache, QUEUES, mars, parseConfig, pipelineKeys, type Candidate, type MarketState, type PipelineKeys, type RedisClient } from "@mlb/shared";
import { useDevnet, type TestDevnet } from "../../devnet/test/support/devnet.js";
import { pipelineEnv, testDeps } from "../../test/support/pipeline.js";
import { buildCollector, collectorConfigSchema, type CollectorConfig } from "../../collector/src/index.js";
import { buildHealthChecker, creditAccountAt, healthCheckerConfigSchema, type HealthChecker, type HealthCheckerConfig } from "../src/index.js";
import { isRedBank } from "../src/positions.js";

type Product = "redbank" | "rover";

interface Pipeline {
  product: Product;
  redis: RedisClient;
  keys: PipelineKeys;
  checker: HealthChecker;
  cache: PositionCache;
  close(): Promise<void>;
}

/** Scans the product into a fresh cache, then starts a health checker holding every shard. */
async function startPipeline(t: TestDevnet, product: Product, extra: Record<string, string> = {}): Promise<Pipeline> {
  const env = pipelineEnv(t, product, { POSITION_SHARDS: "3", MIN_DEBT_VALUE: "0", ...extra });
  const cConfig = parseConfig("collector", collectorConfigSchema, env) as CollectorConfig;
  const cDeps = testDeps(cConfig);
  await buildCollector(cConfig, cDeps).scanAll();
  await cDeps.close();
  const config = parseConfig("health-checker", healthCheckerConfigSchema, env) as HealthCheckerConfig;
  const deps = testDeps(config);
  const { checker } = buildHealthChecker(config, deps);
  await checker.start();
  const cache = new PositionCache({ redis: deps.redis, keys: pipelineKeys({ chain: t.chain, product }, config.REDIS_NAMESPACE), shards: 3 });
  return {
    product,
    redis: deps.redis,
    keys: pipelineKeys({ chain: t.chain, product }, config.REDIS_NAMESPACE),
    checker,
    cache,
    close: async () => {
      await checker.stop();
      await deps.close();
    },
  };
}

/** Every health field, as comparable strings. */
function fields(h: mars.HealthValues) {
  return [h.totalCollateralValue, h.totalDebtValue, h.maxLtvAdjustedCollateral, h.liquidationThresholdAdjustedCollateral, h.maxLtvHealthFactor, h.liquidationHealthFactor, h.liquidatable, h.aboveMaxLtv].map(String);
}

async function height(t: TestDevnet): Promise<number> {
  return (await t.admin<{ height: number }>("GET", "/status")).body.height;
}

describe.each(["osmosis", "neutron"] as const)("health checker on %s", (chain) => {
  // Blocks only when the test makes them (10-minute block times, so interest accrues between them).
  const devnet = useDevnet(["--chain", chain, "--positions", "1500", "--accounts", "300", "--activity", "0", "--block-time-ms", "600000"]);
  const pipelines: Partial<Record<Product, Pipeline>> = {};
  beforeAll(async () => {
    await devnet().admin("POST", "/blocks", { count: 2 });
    pipelines.redbank = await startPipeline(devnet(), "redbank");
    pipelines.rover = await startPipeline(devnet(), "rover");
  }, 60_000);
  afterAll(async () => {
    for (const p of Object.values(pipelines)) await p?.close();
  });

  it.each(["redbank", "rover"] as const)("local %s health equals the contracts' answers exactly, position by position", async (product) => {
    const t = devnet();
    const p = pipelines[product]!;
    const market: MarketState = await p.checker.market(await height(t));
    expect(market.rules.variant).toBe(chain);
    const hive = new HiveClient({ endpoints: [t.ready.hive] });
    const positions = [...p.checker.shards().values()].flatMap((s) => [...s]);
    expect(positions.length).toBe(product === "redbank" ? 1500 : 300);
    const answers = await hive.contractQueries(
      positions.map(([account, pos]) =>
        isRedBank(pos)
          ? { contract: t.c.redBank, msg: { user_position_liquidation_pricing: { user: account, account_id: null } } }
          : { contract: t.c.health, msg: { health_values: chain === "osmosis" ? { account_id: account, kind: pos.kind, action: "liquidation" } : { account_id: account, action: "liquidation" } } },
      ),
    );
    let compared = 0;
    let liquidatable = 0;
    for (let i = 0; i < positions.length; i++) {
      const [account, pos] = positions[i]!;
      const answer = answers[i]!;
      let local: mars.HealthValues | string;
      try {
        local = isRedBank(pos) ? mars.redBankHealth(pos, market.snapshot) : mars.creditAccountHealth(creditAccountAt(account, pos, market), market.snapshot);
      } catch (err) {
        local = (err as Error).message;
      }
      if (!answer.ok) {
        expect(typeof local, `${account}: the contract failed (${answer.error}) but local math did not`).toBe("string");
        continue;
      }
      const chainHealth = isRedBank(pos) ? mars.healthValuesFromUserPosition(answer.data as mars.UserPositionJson) : mars.healthValuesFromJson(answer.data as mars.HealthValuesJson);
      expect(typeof local === "string" ? local : fields(local), account).toEqual(fields(chainHealth));
      compared++;
      if (chainHealth.liquidatable) liquidatable++;
    }
    expect(compared).toBeGreaterThan(positions.length * 0.9);
    console.info(`${chain} ${product}: ${compared} positions equal to the contract, ${liquidatable} liquidatable`);
  });

  it.each(["redbank", "rover"] as const)("after a price crash, flags exactly the %s positions the devnet calls liquidatable, locally and by query", async (product) => {
    const t = devnet();
    const p = pipelines[product]!;
    const prices = await t.query<{ denom: string; price: string }[]>(t.c.oracle, { prices: { limit: 30 } });
    const crashed = Object.fromEntries(prices.filter((x) => x.denom !== t.neutral).map((x) => [x.denom, mars.formatDecimal((mars.parseDecimal(x.price, x.denom) * 8n) / 10n)]));
    await t.admin("POST", "/prices", { prices: crashed });
    const h = (await t.admin<{ height: number }>("POST", "/blocks", { count: 1 })).body.height;
    const truth = (await t.admin<{ height: number; redBank: string[]; creditAccounts: string[] }>("GET", "/liquidatable")).body;
    expect(truth.height).toBe(h);
    const expected = (product === "redbank" ? truth.redBank : truth.creditAccounts).sort();
    expect(expected.length).toBeGreaterThan(0);
    const flagged = async (query: boolean) => {
      const out: string[] = [];
      for (const shard of p.checker.shards().keys()) {
        // Accounts already queued at this height (the local pass) are flagged but not sized again.
        const run = await p.checker.evaluate(shard, h, { query });
        out.push(...run.flagged.map((c) => c.account), ...run.stillQueued);
      }
      return out.sort();
    };
    const local = await flagged(false);
    expect(local).toEqual(expected);
    expect(await flagged(true)).toEqual(expected);
    console.info(`${chain} ${product}: ${local.length} flagged at height ${h}, devnet ground truth ${expected.length}`);
    // Each flagged account was queued once for the liquidator (the query pass at the same height is a repeat).
    const queued = (await p.redis.lrange(p.keys.queue(QUEUES.liquidate).pending, 0, -1)).map((raw) => JSON.parse(raw) as { data: Candidate });
    expect(queued.map((q) => q.data.account).sort()).toEqual(expected);
    // Each carries its best liquidation, except positions in bad debt where the bonus is 0 and every
    // pair fails the contract's profitability guard (spec §2.5 step 3, §6.5 step 4).
    const badDebt = (await t.admin<{ redBank: { user: string }[]; creditAccounts: { accountId: string }[] }>("GET", "/bad-debt")).body;
    const insolvent = new Set(product === "redbank" ? badDebt.redBank.map((b) => b.user) : badDebt.creditAccounts.map((b) => b.accountId));
    for (const { data } of queued) {
      if (data.debtDenom === null) expect(insolvent.has(data.account), `${data.account} has no liquidation but is solvent`).toBe(true);
      else expect(BigInt(data.debtToRepay)).toBeGreaterThan(0n);
    }
  });

  it("a malformed cache entry is dead-lettered and the shard keeps being evaluated", async () => {
    const t = devnet();
    const p = pipelines.redbank!;
    const [account] = [...p.checker.shards().get(0)!.keys()];
    await p.cache.write(0, (await height(t)) + 1, "block", [[account!, "{not json"]]);
    for (let i = 0; i < 250 && p.checker.shards().get(0)!.has(account!); i++) await new Promise((r) => setTimeout(r, 20));
    expect(p.checker.shards().get(0)!.has(account!)).toBe(false);
    let dead = await p.cache.deadLetters();
    for (let i = 0; i < 100 && dead.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      dead = await p.cache.deadLetters();
    }
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ shard: 0, account, reason: expect.stringContaining("not JSON") });
    expect(await p.cache.get(0, [account!])).toEqual([null]);
    const run = await p.checker.evaluate(0, await height(t));
    expect(run.checked).toBe(p.checker.shards().get(0)!.size);
  });
});
