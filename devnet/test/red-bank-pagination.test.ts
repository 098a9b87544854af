import { describe, expect, it } from "vitest";
import { DEBTS, redBankHealth, redBankHealthScan, seedRedBankPositions } from "../src/contracts/red-bank.js";
import { prefixEnd } from "../src/state/kv-store.js";
import { splitKey } from "../src/state/storage.js";
import { account, addMarket, debtOf, errorOf, fixture, type Fixture } from "./red-bank-fixture.js";

/**
 * More than 30 debtors: raw enumeration of the `debts` map in pages (spec §3.2 "Enumerating all
 * Red Bank debtors"), list-query limits (default 10, max 30, `start_after` exclusive), the
 * ground-truth scan, and the bulk seeding helper.
 */

const N = 35;

function debtors(): { f: Fixture; users: string[] } {
  const f = fixture("neutron");
  addMarket(f, f.gas, { price: "1" });
  addMarket(f, f.neutral, { price: "1" });
  f.exec(f.lender, f.c.redBank, { deposit: {} }, [{ denom: f.neutral, amount: "50000000000" }]);
  const users = Array.from({ length: N }, (_, i) => account("neutron", `debtor-${i}`));
  for (const [i, u] of users.entries()) {
    f.world.bank.mint(u, f.gas, 1_000_000_000n);
    f.exec(u, f.c.redBank, { deposit: {} }, [{ denom: f.gas, amount: "1000000000" }]);
    // Debtor i borrows 500 + 5·i USDC against 1_000 gas: HF = 750 / (500 + 5i) at price 1.
    f.exec(u, f.c.redBank, { borrow: { denom: f.neutral, amount: String(500_000_000 + 5_000_000 * i) } });
  }
  f.exec(f.c.creditManager, f.c.redBank, { borrow: { denom: f.neutral, amount: "1000000" } });
  return { f, users };
}

describe("raw enumeration of debtors", () => {
  it("pages of 10 from the 0x0005'debts' prefix find every debtor once, the CM flagged uncollateralized", () => {
    const { f, users } = debtors();
    const store = f.world.instance(f.c.redBank).store;
    const seen: { user: string; uncollateralized: boolean }[] = [];
    let start = DEBTS.prefix;
    for (;;) {
      const page = store.range(start, prefixEnd(DEBTS.prefix), 10);
      for (const [k, v] of page) seen.push({ user: splitKey(k.slice(DEBTS.prefix.length), 2)[0]!, uncollateralized: JSON.parse(v).uncollateralized });
      if (page.length < 10) break;
      start = page.at(-1)![0] + "\u0000";
    }
    expect(seen).toHaveLength(N + 1);
    // Sorted by address length, then bytes: 46-char accounts before the 66-char CM contract.
    expect(seen.slice(0, N).map((s) => s.user)).toEqual([...users].sort());
    expect(seen.at(-1)).toEqual({ user: f.c.creditManager, uncollateralized: true });
  });

  it("the ground-truth scan lists every debtor and, after a price drop, exactly the liquidatable ones", () => {
    const { f, users } = debtors();
    expect(redBankHealthScan(f.world, f.c.redBank)).toHaveLength(N + 1);
    f.setPrice(f.gas, "0.8");
    // HF = 600 / (500 + 5i) < 1 ⇔ i > 20.
    const liquidatable = redBankHealthScan(f.world, f.c.redBank, { onlyLiquidatable: true }).map((e) => e.user);
    expect(liquidatable.sort()).toEqual(users.filter((_, i) => i > 20).sort());
    expect(redBankHealth(f.world, f.c.redBank, users[21]!).liquidationHealthFactor).toBe(991_735_537_190_082_644n);
    expect(redBankHealth(f.world, f.c.redBank, users[20]!).liquidatable).toBe(false);
  });
});

describe("list-query limits", () => {
  it("markets: default 10, at most 30, start_after exclusive; markets_v2 reports has_more", () => {
    const f = fixture("osmosis");
    const denoms = Array.from({ length: 32 }, (_, i) => `udenom${String(i).padStart(2, "0")}`);
    for (const d of denoms) f.exec(f.owner, f.c.redBank, { init_asset: { denom: d, params: { reserve_factor: "0", interest_rate_model: { optimal_utilization_rate: "0.8", base: "0", slope_1: "0", slope_2: "0" } } } });
    const names = (list: { denom: string }[]) => list.map((m) => m.denom);
    expect(names(f.query(f.c.redBank, { markets: {} }))).toEqual(denoms.slice(0, 10));
    expect(names(f.query(f.c.redBank, { markets: { limit: 100 } }))).toEqual(denoms.slice(0, 30));
    expect(names(f.query(f.c.redBank, { markets: { start_after: "udenom29", limit: 30 } }))).toEqual(denoms.slice(30));
    const v2 = f.query<{ data: { denom: string }[]; metadata: { has_more: boolean } }>(f.c.redBank, { markets_v2: { start_after: "udenom01", limit: 29 } });
    expect([v2.data.length, v2.data[0]!.denom, v2.metadata.has_more]).toEqual([29, "udenom02", true]);
    const last = f.query<{ data: unknown[]; metadata: { has_more: boolean } }>(f.c.redBank, { markets_v2: { start_after: "udenom02" } });
    expect(last.metadata.has_more).toBe(true);
    const end = f.query<{ data: unknown[]; metadata: { has_more: boolean } }>(f.c.redBank, { markets_v2: { start_after: "udenom21", limit: 30 } });
    expect([end.data.length, end.metadata.has_more]).toEqual([10, false]);
  });
});

describe("seedRedBankPositions", () => {
  it("writes positions equal to what deposit + borrow would have made", () => {
    const { f } = debtors();
    const seeded = account("neutron", "seeded");
    const real = account("neutron", "real");
    f.world.bank.mint(real, f.gas, 2_000_000_000n);
    f.exec(real, f.c.redBank, { deposit: {} }, [{ denom: f.gas, amount: "2000000000" }]);
    f.exec(real, f.c.redBank, { borrow: { denom: f.neutral, amount: "1234567" } });
    const before = f.query<{ collateral_total_scaled: string; debt_total_scaled: string }>(f.c.redBank, { market: { denom: f.neutral } });
    seedRedBankPositions(f.world, f.c.redBank, [
      { user: seeded, collaterals: [{ denom: f.gas, amount: "2000000000" }], debts: [{ denom: f.neutral, amount: 1_234_567n }] },
    ]);
    for (const q of ["user_collaterals", "user_debts", "user_position"]) {
      expect(f.query(f.c.redBank, { [q]: { user: seeded } })).toEqual(f.query(f.c.redBank, { [q]: { user: real } }));
    }
    const after = f.query<{ debt_total_scaled: string }>(f.c.redBank, { market: { denom: f.neutral } });
    expect(BigInt(after.debt_total_scaled) - BigInt(before.debt_total_scaled)).toBe(1_234_567_000_000n);
    expect(f.world.bank.balance(seeded, f.neutral)).toBe(1_234_567n);
    // Seeded users are ordinary users: they can repay.
    f.exec(seeded, f.c.redBank, { repay: {} }, [{ denom: f.neutral, amount: "1234567" }]);
    expect(debtOf(f, seeded, f.neutral)).toBe(0n);
  });

  it("refuses to over-borrow a market and to touch a denom without a market", () => {
    const f = fixture("osmosis");
    addMarket(f, f.neutral, { price: "1" });
    const u = account("osmo", "u");
    expect(errorOf(() => seedRedBankPositions(f.world, f.c.redBank, [{ user: u, collaterals: [], debts: [{ denom: f.neutral, amount: 1n }] }]))).toMatch(/seed lenders first/);
    expect(errorOf(() => seedRedBankPositions(f.world, f.c.redBank, [{ user: u, collaterals: [{ denom: "uatom", amount: 1n }], debts: [] }]))).toBe(
      "mars_types::red_bank::market::Market not found",
    );
  });

  it("scales to 50_000 users in one call", () => {
    const f = fixture("osmosis");
    addMarket(f, f.gas, { price: "1" });
    addMarket(f, f.neutral, { price: "1" });
    const positions = Array.from({ length: 50_000 }, (_, i) => ({
      user: account("osmo", `bulk-${i}`),
      collaterals: [{ denom: f.gas, amount: 1_000_000n }, { denom: f.neutral, amount: 400_000n }],
      debts: [{ denom: f.neutral, amount: 350_000n + BigInt(i % 1000) }],
    }));
    const t0 = performance.now();
    const summary = seedRedBankPositions(f.world, f.c.redBank, positions);
    const seedMs = performance.now() - t0;
    expect(summary.users).toBe(50_000);
    const market = f.query<{ collateral_total_amount: string; debt_total_amount: string }>(f.c.redBank, { market_v2: { denom: f.neutral } });
    expect(market.collateral_total_amount).toBe(String(20_000_000_000n));
    expect(BigInt(market.debt_total_amount)).toBe(summary.debt[f.neutral]);
    f.setPrice(f.gas, "0.2");
    const t1 = performance.now();
    const liquidatable = redBankHealthScan(f.world, f.c.redBank, { onlyLiquidatable: true });
    const scanMs = performance.now() - t1;
    // LT value = 0.75·(200_000 + 400_000) = 450_000 vs debt 350_000 + i%1000: none liquidatable…
    expect(liquidatable).toHaveLength(0);
    f.setPrice(f.gas, "0.05");
    // …at 0.05: 0.75·450_000 = 337_500 < every debt.
    expect(redBankHealthScan(f.world, f.c.redBank, { onlyLiquidatable: true })).toHaveLength(50_000);
    expect(seedMs + scanMs).toBeLessThan(30_000);
  }, 60_000);
});
