import { describe, expect, it } from "vitest";
import { MARKETS } from "../src/contracts/red-bank.js";
import { addMarket, collateralOf, debtOf, fixture, type Fixture } from "./red-bank-fixture.js";

/**
 * Interest over time (spec §2.3): indexes accrue linearly from the block time, query amounts use
 * the updated index without a touch, a touch mints the reserve share to the rewards collector
 * and recomputes rates from utilization.
 */

const YEAR = 31_536_000;
const IRM = { optimal_utilization_rate: "0.8", base: "0", slope_1: "0.2", slope_2: "2" };

function lending(variant: "osmosis" | "neutron"): Fixture {
  const f = fixture(variant);
  addMarket(f, f.gas, { price: "1" });
  addMarket(f, f.neutral, { price: "1", irm: IRM, reserveFactor: "0.1" });
  f.exec(f.lender, f.c.redBank, { deposit: {} }, [{ denom: f.neutral, amount: "10000000000" }]);
  f.exec(f.user, f.c.redBank, { deposit: {} }, [{ denom: f.gas, amount: "10000000000" }]);
  f.exec(f.user, f.c.redBank, { borrow: { denom: f.neutral, amount: "4000000000" } });
  return f;
}

describe.each(["osmosis", "neutron"] as const)("%s interest accrual", (variant) => {
  it("rates follow utilization: U 0.4 → borrow 0.1, liquidity 0.036", () => {
    const f = lending(variant);
    expect(f.query(f.c.redBank, { market_v2: { denom: f.neutral } })).toMatchObject({
      collateral_total_amount: "10000000000", debt_total_amount: "4000000000", utilization_rate: "0.4",
      borrow_rate: "0.1", liquidity_rate: "0.036", borrow_index: "1", liquidity_index: "1",
    });
  });

  it("a year later: debt 4.4e9 and deposits 1.036e10 at query time, before any touch", () => {
    const f = lending(variant);
    f.world.block.time += YEAR;
    expect(debtOf(f, f.user, f.neutral)).toBe(4_400_000_000n);
    expect(collateralOf(f, f.lender, f.neutral)).toBe(10_360_000_000n);
    expect(f.query(f.c.redBank, { market: { denom: f.neutral } })).toMatchObject({ borrow_index: "1" });
  });

  it("a touch moves the indexes and mints the reserve share (floor(Δdebt · 0.1)) to the rewards collector", () => {
    const f = lending(variant);
    f.world.block.time += YEAR;
    const ev = f.exec(f.user, f.c.redBank, { repay: {} }, [{ denom: f.neutral, amount: "400000000" }]);
    const market = f.query<Record<string, unknown>>(f.c.redBank, { market: { denom: f.neutral } });
    expect(market).toMatchObject({ borrow_index: "1.1", liquidity_index: "1.036", indexes_last_updated: f.world.block.time });
    // Reserve 40_000_000 scaled with 1.036 (floor) reads back as 39_999_999.
    expect(collateralOf(f, f.c.rewardsCollector, f.neutral)).toBe(39_999_999n);
    expect(debtOf(f, f.user, f.neutral)).toBe(4_000_000_000n);
    const wasm = ev.find((e) => e.type === "wasm")!.attributes.map((a) => a.key);
    if (variant === "neutron") expect(wasm.slice(1, 3)).toEqual(["rewards_collector", "rewards_collector_fee"]);
    else expect(wasm).not.toContain("rewards_collector");
  });

  it("odd intervals floor Δt/year: 1000 s at 10 %", () => {
    const f = lending(variant);
    f.world.block.time += 1000;
    // index = 1 · (1 + 0.1 · floor(1000/31_536_000, 18 dp)) = 1.000003170979198376;
    // debt = ceil(floor(4e15 · index) / 1e6) = ceil(4_000_012_683.916793504) = 4_000_012_684.
    expect(debtOf(f, f.user, f.neutral)).toBe(4_000_012_684n);
    expect(f.query(f.c.redBank, { underlying_debt_amount: { denom: f.neutral, amount_scaled: "4000000000000000" } })).toBe("4000012684");
  });
});

describe("scaled ↔ underlying queries (spec §2.3 rounding)", () => {
  it("at index 3: 100_000_000_000 → 33_333_333_333_333_334 scaled debt → 100_000_000_001", () => {
    const f = lending("osmosis");
    const store = f.world.instance(f.c.redBank).store;
    const m = MARKETS.load(store, f.neutral)!;
    MARKETS.save(store, { ...m, borrow_index: "3", liquidity_index: "3", borrow_rate: "0", liquidity_rate: "0" }, f.neutral);
    const q = (msg: unknown) => f.query<string>(f.c.redBank, msg);
    expect(q({ scaled_debt_amount: { denom: f.neutral, amount: "100000000000" } })).toBe("33333333333333334");
    expect(q({ underlying_debt_amount: { denom: f.neutral, amount_scaled: "33333333333333334" } })).toBe("100000000001");
    expect(q({ scaled_liquidity_amount: { denom: f.neutral, amount: "100000000000" } })).toBe("33333333333333333");
    expect(q({ underlying_liquidity_amount: { denom: f.neutral, amount_scaled: "33333333333333333" } })).toBe("99999999999");
  });
});
