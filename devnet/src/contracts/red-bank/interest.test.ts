import { describe, expect, it } from "vitest";
import { dec } from "../../math/decimal.js";
import { appliedLinearInterestRate, computeScaled, computeUnderlying } from "./interest.js";
import { borrowRate, liquidityRate } from "./interest-rate-model.js";

describe("spec §2.3 scaled ↔ underlying rounding", () => {
  const index = dec("3");
  it("debt ceils both ways: 100_000_000_000 → 33_333_333_333_333_334 → 100_000_000_001", () => {
    const scaled = computeScaled(100_000_000_000n, index, true);
    expect(scaled).toBe(33_333_333_333_333_334n);
    expect(computeUnderlying(scaled, index, true)).toBe(100_000_000_001n);
  });
  it("collateral floors both ways: → 33_333_333_333_333_333 → 99_999_999_999", () => {
    const scaled = computeScaled(100_000_000_000n, index, false);
    expect(scaled).toBe(33_333_333_333_333_333n);
    expect(computeUnderlying(scaled, index, false)).toBe(99_999_999_999n);
  });
});

describe("linear index accrual", () => {
  it("0.1 at 20 % over half a year → 0.11 (the contract's own unit test)", () => {
    expect(appliedLinearInterestRate(dec("0.1"), dec("0.2"), 15_768_000n)).toBe(dec("0.11"));
  });
  it("floors Δt/year before multiplying", () => {
    // ratio(1000, 31_536_000) = 0.000031709791983764 (floored), × 0.1 = 0.000003170979198376.
    expect(appliedLinearInterestRate(dec("1"), dec("0.1"), 1000n)).toBe(dec("1.000003170979198376"));
  });
});

describe("interest rate model (spec §2.3)", () => {
  const irm = { optimalUtilizationRate: dec("0.8"), base: dec("0"), slope1: dec("0.07"), slope2: dec("0.45") };
  it.each([
    ["0", "0"],
    ["0.79", "0.069125"],
    ["0.8", "0.07"],
    ["0.81", "0.0925"],
    ["1", "0.52"],
  ])("U = %s → borrow rate %s", (u, rate) => {
    expect(borrowRate(irm, dec(u))).toBe(dec(rate));
  });
  it("liquidity rate = borrow · U · (1 − reserve factor)", () => {
    expect(liquidityRate(dec("0.1"), dec("0.4"), dec("0.1"))).toBe(dec("0.036"));
  });
});
