/**
 * The collector against a devnet over real sockets and a real Redis: full scans of both products
 * match the contracts' own answers, per-block refreshes follow a borrow and a repay, and a rescan
 * of an unchanged chain finds zero drift (and counts a planted one).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PositionCache, encodeCreditAccount, encodeRedBankPosition, mars, parseConfig, pipelineKeys, splitCacheValue } from "@mlb/shared";
import { creditAccountHealthScan } from "../../devnet/src/contracts/credit-manager/ground-truth.js";
import { redBankHealthScan } from "../../devnet/src/contracts/red-bank/ground-truth.js";
import { expectOk, useDevnet, type TestDevnet } from "../../devnet/test/support/devnet.js";
import { pipelineEnv, testDeps } from "../../test/support/pipeline.js";
import { startService } from "../../test/support/service-process.js";
import { buildCollector, collectorConfigSchema, type CollectorConfig } from "../src/index.js";

type Deps = ReturnType<typeof testDeps>;

function setUp(t: TestDevnet, product: "redbank" | "rover", extra: Record<string, string> = {}) {
  const config = parseConfig("collector", collectorConfigSchema, pipelineEnv(t, product, { POSITION_SHARDS: "4", SCAN_PAGE_LIMIT: "50", ...extra })) as CollectorConfig;
  const deps = testDeps(config);
  const app = buildCollector(config, deps);
  const cache = new PositionCache({ redis: deps.redis, keys: pipelineKeys({ chain: t.chain, product }, config.REDIS_NAMESPACE), shards: 4 });
  return { config, deps, app, cache };
}

/** Every cached account → payload, over all shards. */
async function cached(cache: PositionCache): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let s = 0; s < cache.shards; s++) for await (const page of cache.readShard(s)) for (const [a, v] of page) out.set(a, splitCacheValue(a, v).payload);
  return out;
}

/** The contract's own view of a Red Bank user, as the cache encodes it. */
async function redBankTruth(t: TestDevnet, user: string): Promise<string | null> {
  const debts = await t.query<mars.UserDebtJson[]>(t.c.redBank, { user_debts: { user, limit: 30 } });
  const colls = await t.query<mars.UserCollateralJson[]>(t.c.redBank, { user_collaterals: { user, account_id: null, limit: 30 } });
  const p = mars.redBankPositionFromJson(colls, debts);
  const owed = p.debts.filter((d) => !d.uncollateralized && d.amountScaled > 0n);
  return owed.length === 0 ? null : encodeRedBankPosition({ collaterals: p.collaterals.filter((c) => c.amountScaled > 0n), debts: owed });
}

describe("Red Bank collector", () => {
  const devnet = useDevnet(["--positions", "150", "--activity", "0", "--funded", "4"]);
  let env: ReturnType<typeof setUp>;
  beforeAll(() => {
    env = setUp(devnet(), "redbank");
  });
  afterAll(async () => {
    await env.deps.close();
  });

  it("a full scan caches exactly the debtors, with the contract's scaled amounts", async () => {
    const t = devnet();
    const summaries = await env.app.scanAll();
    expect(summaries.map((s) => s.shards[0]).sort()).toEqual([0, 1, 2, 3]);
    expect(summaries.reduce((n, s) => n + s.drift, 0)).toBe(0);
    const debtors = redBankHealthScan(t.devnet.genesis.world, t.c.redBank).map((e) => e.user);
    const cache = await cached(env.cache);
    expect([...cache.keys()].sort()).toEqual([...debtors].sort());
    expect(cache.size).toBe(150);
    for (const user of debtors.slice(0, 40)) expect(cache.get(user)).toBe(await redBankTruth(t, user));
  });

  it("COLLECTOR_ONCE=1: the service process scans every shard, logs the totals and exits 0", async () => {
    const env = pipelineEnv(devnet(), "redbank", { POSITION_SHARDS: "4", COLLECTOR_ONCE: "1", LOG_LEVEL: "info" });
    const p = startService("collector", env);
    expect(await p.exited).toBe(0);
    const done = p.stdout.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === "scan complete");
    expect(done).toMatchObject({ shards: 4, positions: 150, drift: 0 });
  });

  it("follows a new borrower's block and a full repayment's block", async () => {
    const t = devnet();
    const c = await env.app.collector();
    const user = t.account(2);
    // Reads are at the latest height, so each block is followed before the next transaction.
    const deposit = await t.exec(user, t.c.redBank, { deposit: {} }, [{ denom: t.gas, amount: "1000000000" }]);
    expect(await c.followBlock(deposit.height)).toEqual({ touched: 1, changed: 0 }); // collateral only: not a debtor
    const borrow = await t.exec(user, t.c.redBank, { borrow: { denom: t.neutral, amount: "1000000" } });
    expect(await c.followBlock(borrow.height)).toEqual({ touched: 1, changed: 1 });
    const shard = (await cached(env.cache)).get(user);
    expect(shard).toBe(await redBankTruth(t, user));
    const repay = expectOk(await t.send(user, [{ contract: t.c.redBank, msg: { repay: {} }, funds: [{ denom: t.neutral, amount: "2000000" }] }]));
    expect(await c.followBlock(repay.height)).toEqual({ touched: 1, changed: 1 });
    expect((await cached(env.cache)).has(user)).toBe(false);
  });

  it("a rescan of an unchanged chain finds zero drift, and counts a change the follower missed", async () => {
    const t = devnet();
    const first = await env.app.scanAll();
    expect(first.reduce((n, s) => n + s.drift, 0)).toBe(0);
    // A borrow whose block the follower never sees: the next rescan must catch it as drift.
    const user = t.account(3);
    await t.exec(user, t.c.redBank, { deposit: {} }, [{ denom: t.gas, amount: "1000000000" }]);
    await t.exec(user, t.c.redBank, { borrow: { denom: t.neutral, amount: "1000000" } });
    const second = await env.app.scanAll();
    expect(second.reduce((n, s) => n + s.drift, 0)).toBe(1);
    expect((await cached(env.cache)).get(user)).toBe(await redBankTruth(t, user));
    const third = await env.app.scanAll();
    expect(third.reduce((n, s) => n + s.drift, 0)).toBe(0);
  });
});

describe("credit-account collector", () => {
  const devnet = useDevnet(["--accounts", "60", "--activity", "0", "--funded", "4"]);
  let env: ReturnType<typeof setUp>;
  beforeAll(() => {
    env = setUp(devnet(), "rover");
  });
  afterAll(async () => {
    await env.deps.close();
  });

  /** The contract's own view of a credit account, as the cache encodes it (lends back to scaled). */
  async function truth(t: TestDevnet, id: string): Promise<string> {
    const p = await t.query<mars.PositionsJson>(t.c.creditManager, { positions: { account_id: id } });
    const shares = await Promise.all(p.debts.map((d) => ({ denom: d.denom, amount: BigInt(d.shares) })));
    const lends = await Promise.all(
      p.lends.map(async (l) => {
        const c = await t.query<mars.UserCollateralJson>(t.c.redBank, { user_collateral: { user: t.c.creditManager, account_id: id, denom: l.denom } });
        return { denom: l.denom, amount: BigInt(c.amount_scaled) };
      }),
    );
    const kind = p.account_kind === "high_levered_strategy" ? "high_levered_strategy" : "default";
    return encodeCreditAccount({ kind, deposits: p.deposits.map((d) => ({ denom: d.denom, amount: BigInt(d.amount) })), lendsScaled: lends, debtShares: shares });
  }

  it("a full scan caches every account with debt, deposits and lends included", async () => {
    const t = devnet();
    const [summary] = await env.app.scanAll();
    expect(summary!.shards).toEqual([0, 1, 2, 3]);
    const ids = creditAccountHealthScan(t.devnet.genesis.world, t.c.creditManager, t.c.health).map((e) => e.accountId);
    const cache = await cached(env.cache);
    expect([...cache.keys()].sort()).toEqual([...ids].sort());
    expect(cache.size).toBe(60);
    let withLends = 0;
    let withDeposits = 0;
    for (const id of ids) {
      const payload = cache.get(id)!;
      expect(payload).toBe(await truth(t, id));
      const v = JSON.parse(payload) as { l: unknown[]; dp: unknown[] };
      if (v.l.length > 0) withLends++;
      if (v.dp.length > 0) withDeposits++;
    }
    expect(withLends).toBeGreaterThan(0);
    expect(withDeposits).toBeGreaterThan(0);
  });

  it("follows an account that deposits, lends and borrows, then repays everything", async () => {
    const t = devnet();
    const c = await env.app.collector();
    const owner = t.account(1);
    const created = await t.exec(owner, t.c.creditManager, { create_credit_account: "default" });
    const id = created.events.flatMap((e) => e.attributes).find((a) => a.key === "token_id")!.value;
    const open = await t.exec(
      owner,
      t.c.creditManager,
      {
        update_credit_account: {
          account_id: id,
          actions: [
            { deposit: { denom: t.gas, amount: "1000000000" } },
            { lend: { denom: t.gas, amount: { exact: "400000000" } } },
            { borrow: { denom: t.neutral, amount: "1000000" } },
          ],
        },
      },
      [{ denom: t.gas, amount: "1000000000" }],
    );
    expect(await c.followBlock(open.height)).toEqual({ touched: 1, changed: 1 });
    const payload = (await cached(env.cache)).get(id)!;
    expect(payload).toBe(await truth(t, id));
    expect(JSON.parse(payload)).toMatchObject({ k: "default", l: [[t.gas, expect.any(String)]], ds: [[t.neutral, expect.any(String)]] });
    const repaid = await t.exec(owner, t.c.creditManager, {
      update_credit_account: {
        account_id: id,
        actions: [{ deposit: { denom: t.neutral, amount: "2000000" } }, { repay: { recipient_account_id: null, coin: { denom: t.neutral, amount: "account_balance" } } }],
      },
    }, [{ denom: t.neutral, amount: "2000000" }]);
    expect(await c.followBlock(repaid.height)).toEqual({ touched: 1, changed: 1 });
    expect((await cached(env.cache)).has(id)).toBe(false);
    const [rescan] = await env.app.scanAll();
    expect(rescan!.drift).toBe(0);
  });
});
