import { describe, expect, it } from "vitest";
import { dec } from "../../math/decimal.js";
import type { AssetParamsJson } from "../params-asset.js";
import { computeHealth } from "./health.js";
import { calculateLiquidationAmounts, liquidationBonus } from "./liquidation-math.js";

/** Spec §2.5 steps 3–6 on the §2.6 position, without any contract around them. */

const params = (lb: [string, string, string, string], plf: string): AssetParamsJson => ({
  denom: "uosmo",
  credit_manager: { whitelisted: true, hls: null },
  red_bank: { deposit_enabled: true, borrow_enabled: true },
  max_loan_to_value: "0.73",
  liquidation_threshold: "0.75",
  liquidation_bonus: { starting_lb: lb[0], slope: lb[1], min_lb: lb[2], max_lb: lb[3] },
  protocol_liquidation_fee: plf,
  deposit_cap: "0",
});

const position = (debt: bigint) =>
  computeHealth([
    { denom: "uosmo", collateralAmount: 10_000_000_000n, debtAmount: 0n, uncollateralizedDebt: false, maxLtv: dec("0.73"), liquidationThreshold: dec("0.75"), price: dec("0.5") },
    { denom: "uusdc", collateralAmount: 0n, debtAmount: debt, uncollateralizedDebt: false, maxLtv: dec("0.8"), liquidationThreshold: dec("0.85"), price: dec("1") },
  ]);

describe("calculateLiquidationAmounts", () => {
  it("A [OSMO]: LB 0.038461538461538462, MDR-limited", () => {
    const health = position(3_900_000_000n);
    const p = params(["0", "1", "0.05", "0.2"], "0.25");
    expect(liquidationBonus(health.liquidationHealthFactor!, health.totalCollateralValue, health.totalDebtValue, p)).toBe(dec("0.038461538461538462"));
    expect(calculateLiquidationAmounts({
      collateralAmount: 10_000_000_000n, collateralPrice: dec("0.5"), collateralParams: p, debtAmount: 3_900_000_000n,
      sent: 2_000_000_000n, debtPrice: dec("1"), health, cap: { targetHealthFactor: dec("1.05") },
    })).toEqual({
      liquidationBonus: dec("0.038461538461538462"), debtToRepay: 1_272_340_425n, collateralToLiquidate: 2_642_553_190n,
      collateralToLiquidator: 2_618_085_104n, protocolFee: 24_468_086n,
    });
  });

  it("B [NTRN]: close factor 0.9", () => {
    const health = position(3_900_000_000n);
    expect(calculateLiquidationAmounts({
      collateralAmount: 10_000_000_000n, collateralPrice: dec("0.5"), collateralParams: params(["0", "2", "0", "0.05"], "0.5"),
      debtAmount: 3_900_000_000n, sent: 4_000_000_000n, debtPrice: dec("1"), health, cap: { closeFactor: dec("0.9") },
    })).toMatchObject({ debtToRepay: 3_510_000_000n, collateralToLiquidate: 7_371_000_000n, protocolFee: 175_500_000n, collateralToLiquidator: 7_195_500_000n });
  });

  it("C [OSMO]: collateral-limited, LB = min_lb", () => {
    const health = position(5_200_000_000n);
    expect(health.liquidationHealthFactor).toBe(dec("0.721153846153846153"));
    expect(calculateLiquidationAmounts({
      collateralAmount: 10_000_000_000n, collateralPrice: dec("0.5"), collateralParams: params(["0", "1", "0.05", "0.2"], "0.25"),
      debtAmount: 5_200_000_000n, sent: 6_000_000_000n, debtPrice: dec("1"), health, cap: { targetHealthFactor: dec("1.05") },
    })).toMatchObject({ liquidationBonus: dec("0.05"), debtToRepay: 4_761_904_761n, collateralToLiquidate: 9_999_999_998n, protocolFee: 119_047_620n });
  });

  it("THF not reachable (k ≥ THF): the whole debt is repayable", () => {
    const health = position(3_900_000_000n);
    const p = { ...params(["0", "1", "0.05", "0.2"], "0.25"), liquidation_threshold: "1" };
    // k = 1 · 1.038… ≥ THF 1.0 → no MDR; by_coll floor(floor(5e9/1.0384…)/1) = 4_814_814_814.
    expect(calculateLiquidationAmounts({
      collateralAmount: 10_000_000_000n, collateralPrice: dec("0.5"), collateralParams: p, debtAmount: 3_900_000_000n,
      sent: 9_000_000_000n, debtPrice: dec("1"), health, cap: { targetHealthFactor: dec("1") },
    }).debtToRepay).toBe(3_900_000_000n);
  });

  it("refuses when the seized collateral rounds to zero", () => {
    const health = position(3_900_000_000n);
    expect(() => calculateLiquidationAmounts({
      collateralAmount: 10_000_000_000n, collateralPrice: dec("600"), collateralParams: params(["0", "1", "0.05", "0.2"], "0.25"),
      debtAmount: 3_900_000_000n, sent: 1n, debtPrice: dec("1"), health, cap: { targetHealthFactor: dec("1.05") },
    })).toThrow("Generic error: Can't process liquidation. Invalid collateral_amount_to_liquidate (0) and debt_amount_to_repay (1)");
  });
});
