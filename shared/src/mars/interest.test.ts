import { describe, expect, it } from "vitest";
import { parseDecimal } from "./decimal.js";
import { MarsMathError } from "./errors.js";
import {
  accrueIndex,
  marketSnapshotAt,
  scaledDebtAmount,
  scaledLiquidityAmount,
  underlyingDebtAmount,
  underlyingLiquidityAmount,
  updatedBorrowIndex,
  updatedLiquidityIndex,
} from "./interest.js";
import type { MarketState } from "./types.js";

const D = (s: string): bigint => parseDecimal(s);

function market(overrides: Partial<MarketState> = {}): MarketState {
  return { denom: "uusdc", borrowIndex: D("1"), liquidityIndex: D("1"), borrowRate: 0n, liquidityRate: 0n, indexesLastUpdated: 1_000, ...overrides };
}

describe("scaled ↔ underlying (spec §2.3 test vector)", () => {
  const index = D("3");
  it("debt rounds up both ways: 100_000_000_000 → 33_333_333_333_333_334 → 100_000_000_001", () => {
    const scaled = scaledDebtAmount(100_000_000_000n, index);
    expect(scaled).toBe(33_333_333_333_333_334n);
    expect(underlyingDebtAmount(scaled, index)).toBe(100_000_000_001n);
  });

  it("collateral rounds down both ways: 100_000_000_000 → 33_333_333_333_333_333 → 99_999_999_999", () => {
    const scaled = scaledLiquidityAmount(100_000_000_000n, index);
    expect(scaled).toBe(33_333_333_333_333_333n);
    expect(underlyingLiquidityAmount(scaled, index)).toBe(99_999_999_999n);
  });

  it.each([
    // scaled, index, collateral (floor(floor(s·i)/1e6)), debt (ceil(floor(s·i)/1e6))
    [0n, "1.5", 0n, 0n],
    [1_000_000n, "1", 1n, 1n],
    [1_000_001n, "1", 1n, 2n],
    [999_999n, "1.000000000000000001", 0n, 1n],
    [10_000_000_000_000_000n, "1.02", 10_200_000_000n, 10_200_000_000n],
  ])("scaled %s at index %s → collateral %s, debt %s", (scaled, idx, coll, debt) => {
    expect(underlyingLiquidityAmount(scaled, D(idx))).toBe(coll);
    expect(underlyingDebtAmount(scaled, D(idx))).toBe(debt);
  });
});

describe("index accrual (spec §2.3)", () => {
  it("accrues linearly: index 0.1 at rate 0.2 for half a year → 0.11", () => {
    expect(accrueIndex(D("0.1"), D("0.2"), 15_768_000n)).toBe(D("0.11"));
  });

  it("floors Δt/year, then rate·fraction, then index·(1+…)", () => {
    // Δt/year = floor(1e18/31_536_000) = 31_709_791_983 atomics; ·0.1 → 3_170_979_198; index 1.5 → floor(1.5·1.000000003170979198)
    expect(accrueIndex(D("1.5"), D("0.1"), 1n)).toBe(D("1.500000004756468797"));
  });

  it("accrues only when time passed and the rate is not zero", () => {
    const m = market({ borrowIndex: D("1.02"), liquidityIndex: D("1.01"), borrowRate: D("0.12"), liquidityRate: 0n });
    expect(updatedBorrowIndex(m, 1_000)).toBe(D("1.02"));
    expect(updatedBorrowIndex(m, 1_000 + 31_536_000)).toBe(D("1.1424")); // 1.02·1.12
    expect(updatedLiquidityIndex(m, 1_000 + 31_536_000)).toBe(D("1.01")); // rate 0 → unchanged
  });

  it("mirrors the contract for a time before the last update: borrow keeps the stored index, liquidity errors", () => {
    const m = market({ borrowRate: D("0.1"), liquidityRate: D("0.05") });
    expect(updatedBorrowIndex(m, 999)).toBe(D("1"));
    expect(() => updatedLiquidityIndex(m, 999)).toThrow(MarsMathError);
    expect(() => updatedLiquidityIndex(m, 999)).toThrow("cannot accrue the liquidity index of uusdc to time 999: it was last updated at 1000");
  });

  it("snapshots both indexes at one block time", () => {
    const m = market({ borrowRate: D("0.1"), liquidityRate: D("0.05") });
    expect(marketSnapshotAt(m, 1_000 + 15_768_000)).toEqual({ denom: "uusdc", borrowIndex: D("1.05"), liquidityIndex: D("1.025"), timeSec: 1_000 + 15_768_000 });
  });
});
