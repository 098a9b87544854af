import { describe, expect, it } from "vitest";
import { dec } from "../../math/decimal.js";
import { computeHealth, type HealthAssetParams } from "./compute.js";

/** Spec §6.4 health formula, exact rounding. */

function params(denom: string, maxLtv: string, lt: string, extra: Partial<HealthAssetParams["credit_manager"]> = {}): HealthAssetParams {
  return { denom, credit_manager: { whitelisted: true, hls: null, ...extra }, max_loan_to_value: maxLtv, liquidation_threshold: lt };
}

const P = new Map([
  ["uosmo", params("uosmo", "0.73", "0.75")],
  ["uusdc", params("uusdc", "0.8", "0.85")],
]);
const PRICES = new Map([
  ["uosmo", dec("0.5")],
  ["uusdc", dec("1")],
]);

describe("computeHealth", () => {
  it("worked example position: HF 0.961538461538461538 / max-LTV HF 0.935897435897435897", () => {
    const h = computeHealth(
      { kind: "default", deposits: [{ denom: "uosmo", amount: 10_000_000_000n }], lends: [], stakedLps: [], debts: [{ denom: "uusdc", amount: 3_900_000_000n }] },
      P,
      PRICES,
    );
    expect(h).toEqual({
      totalDebtValue: 3_900_000_000n,
      totalCollateralValue: 5_000_000_000n,
      maxLtvAdjustedCollateral: 3_650_000_000n,
      liquidationThresholdAdjustedCollateral: 3_750_000_000n,
      maxLtvHealthFactor: 935_897_435_897_435_897n,
      liquidationHealthFactor: 961_538_461_538_461_538n,
      liquidatable: true,
      aboveMaxLtv: true,
    });
  });

  it("floors each collateral coin separately and ceils each debt", () => {
    const h = computeHealth(
      { kind: "default", deposits: [{ denom: "uosmo", amount: 3n }], lends: [{ denom: "uosmo", amount: 3n }], stakedLps: [], debts: [{ denom: "uosmo", amount: 1n }] },
      P,
      PRICES,
    );
    expect(h.totalCollateralValue).toBe(2n); // floor(1.5) + floor(1.5)
    expect(h.totalDebtValue).toBe(1n); // ceil(0.5)
  });

  it("HLS: hls LTV/LT and only collateral correlated with the debt", () => {
    const hlsP = new Map(P);
    hlsP.set("uosmo", params("uosmo", "0.73", "0.75", { hls: { max_loan_to_value: "0.9", liquidation_threshold: "0.92", correlations: [] } }));
    hlsP.set("uusdc", params("uusdc", "0.8", "0.85", { hls: { max_loan_to_value: "0.95", liquidation_threshold: "0.96", correlations: [{ coin: { denom: "uusdc" } }] } }));
    const h = computeHealth(
      {
        kind: "high_levered_strategy",
        deposits: [{ denom: "uosmo", amount: 1_000n }, { denom: "uusdc", amount: 1_000n }],
        lends: [],
        stakedLps: [],
        debts: [{ denom: "uusdc", amount: 100n }],
      },
      hlsP,
      PRICES,
    );
    expect([h.totalCollateralValue, h.maxLtvAdjustedCollateral, h.liquidationThresholdAdjustedCollateral]).toEqual([1_000n, 950n, 960n]);
  });

  it("a debt without a price fails with MissingPrice", () => {
    expect(() => computeHealth({ kind: "default", deposits: [], lends: [], stakedLps: [], debts: [{ denom: "uatom", amount: 1n }] }, P, PRICES)).toThrow(
      "uatom was not provided a price to compute health with",
    );
  });
});
