import { describe, expect, it } from "vitest";
import { parseDecimal } from "./decimal.js";
import { MissingDenomDataError } from "./errors.js";
import { assetRiskFromJson } from "./from-json.js";
import { createHealthValues } from "./health-values.js";
import { redBankHealth } from "./red-bank-health.js";
import { createRiskSnapshot, type RiskSnapshot } from "./risk-snapshot.js";
import type { AssetParamsJson, MarketState, RedBankPosition, ScaledCollateral, ScaledDebt } from "./types.js";

const D = (s: string): bigint => parseDecimal(s);
const NOW = 1_732_000_000;

function params(denom: string, maxLtv: string, lt: string): AssetParamsJson {
  return {
    denom,
    credit_manager: { whitelisted: true, hls: null },
    red_bank: { deposit_enabled: true, borrow_enabled: true },
    max_loan_to_value: maxLtv,
    liquidation_threshold: lt,
    liquidation_bonus: { starting_lb: "0", slope: "1", min_lb: "0.05", max_lb: "0.2" },
    protocol_liquidation_fee: "0.25",
    deposit_cap: "0",
  };
}

function market(denom: string, overrides: Partial<MarketState> = {}): MarketState {
  return { denom, borrowIndex: D("1"), liquidityIndex: D("1"), borrowRate: 0n, liquidityRate: 0n, indexesLastUpdated: NOW, ...overrides };
}

// §2.6: OSMO pc = 0.5 (maxLTV 0.73, LT 0.75), USDC pd = 1
function snapshot(extra: { prices?: [string, string][]; markets?: MarketState[] } = {}): RiskSnapshot {
  return createRiskSnapshot({
    timeSec: NOW,
    prices: new Map([["uosmo", D("0.5")], ["uusdc", D("1")], ["uatom", D("8")], ...(extra.prices ?? []).map(([d, p]): [string, bigint] => [d, D(p)])]),
    risks: [params("uosmo", "0.73", "0.75"), params("uusdc", "0.74", "0.75"), params("uatom", "0.68", "0.7"), params("unoprice", "0.5", "0.6")].map(assetRiskFromJson),
    markets: extra.markets ?? [market("uosmo"), market("uusdc"), market("uatom"), market("unoprice")],
  });
}

const coll = (denom: string, amount: bigint, enabled = true): ScaledCollateral => ({ denom, amountScaled: amount * 1_000_000n, enabled });
const debt = (denom: string, amount: bigint, uncollateralized = false): ScaledDebt => ({ denom, amountScaled: amount * 1_000_000n, uncollateralized });
const exampleA: RedBankPosition = { collaterals: [coll("uosmo", 10_000_000_000n)], debts: [debt("uusdc", 3_900_000_000n)] };

describe("redBankHealth (spec §2.4)", () => {
  it("reproduces the §2.6 position: TCV 5e9, TDV 3.9e9, LTADJ 3.75e9, HF 0.961538461538461538", () => {
    expect(redBankHealth(exampleA, snapshot())).toEqual({
      totalCollateralValue: 5_000_000_000n,
      totalDebtValue: 3_900_000_000n,
      maxLtvAdjustedCollateral: 3_650_000_000n,
      liquidationThresholdAdjustedCollateral: 3_750_000_000n,
      maxLtvHealthFactor: D("0.935897435897435897"),
      liquidationHealthFactor: D("0.961538461538461538"),
      liquidatable: true,
      aboveMaxLtv: true,
    });
  });

  it.each([
    ["no debt → no health factor", { collaterals: [coll("uosmo", 1_000n)], debts: [] }, null, false],
    ["nothing at all", { collaterals: [], debts: [] }, null, false],
    ["disabled collateral is ignored", { collaterals: [coll("uosmo", 10_000_000_000n), coll("uatom", 1_000_000_000n, false)], debts: [debt("uusdc", 3_900_000_000n)] }, D("0.961538461538461538"), true],
    ["only disabled collateral → HF 0", { collaterals: [coll("uosmo", 10_000_000_000n, false)], debts: [debt("uusdc", 1n)] }, 0n, true],
    ["uncollateralized debt is ignored", { collaterals: [coll("uosmo", 10_000_000_000n)], debts: [debt("uusdc", 3_900_000_000n), debt("uatom", 1_000_000n, true)] }, D("0.961538461538461538"), true],
    ["only uncollateralized debt → no health factor", { collaterals: [coll("uosmo", 1n)], debts: [debt("uusdc", 5n, true)] }, null, false],
    ["exactly HF 1 is not liquidatable", { collaterals: [coll("uusdc", 4_000_000_000n)], debts: [debt("uusdc", 3_000_000_000n)] }, D("1"), false],
    ["collateral and debt in one denom", { collaterals: [coll("uatom", 1_000n)], debts: [debt("uatom", 800n)] }, D("0.875"), true],
  ] satisfies [string, RedBankPosition, bigint | null, boolean][])("%s", (_name, position, hf, liquidatable) => {
    const h = redBankHealth(position, snapshot());
    expect(h.liquidationHealthFactor).toBe(hf);
    expect(h.liquidatable).toBe(liquidatable);
  });

  it("floors each value per denom (spec §2.4: floor everywhere)", () => {
    // two entries of 3 uosmo at 0.5 → floor(1.5) = 1 each; 3 uweird at 0.333333333333333334 → floor(1.000000000000000002) = 1
    const h = redBankHealth(
      { collaterals: [coll("uosmo", 3n), coll("uosmo", 3n)], debts: [debt("uweird", 3n), debt("uatom", 0n)] },
      createRiskSnapshot({
        timeSec: NOW,
        prices: new Map([["uosmo", D("0.5")], ["uweird", D("0.333333333333333334")], ["uatom", D("1")]]),
        risks: [params("uosmo", "0.73", "0.75"), params("uweird", "0.5", "0.6"), params("uatom", "0.5", "0.6")].map(assetRiskFromJson),
        markets: [market("uosmo"), market("uweird"), market("uatom")],
      }),
    );
    expect(h.totalCollateralValue).toBe(2n); // 1 + 1, not floor(3)
    expect(h.liquidationThresholdAdjustedCollateral).toBe(0n); // floor(1·0.75) twice
    expect(h.totalDebtValue).toBe(1n); // floor(3·0.333333333333333334) = 1
  });

  it("accrues interest to the snapshot time: debt ceil, collateral floor", () => {
    const year = 31_536_000;
    const markets = [market("uosmo", { liquidityRate: D("0.1"), indexesLastUpdated: NOW - year }), market("uusdc", { borrowRate: D("0.2"), indexesLastUpdated: NOW - year })];
    const h = redBankHealth(exampleA, snapshot({ markets: [...markets, market("uatom"), market("unoprice")] }));
    expect(h.totalCollateralValue).toBe(5_500_000_000n); // 1.1e10 uosmo · 0.5
    expect(h.totalDebtValue).toBe(4_680_000_000n); // 3.9e9 · 1.2
    expect(h.liquidationHealthFactor).toBe(D("0.881410256410256410")); // floor(4_125_000_000 / 4_680_000_000)
  });

  it.each([
    ["an unpriced collateral", { collaterals: [coll("unoprice", 1n, false)], debts: [] }, "unoprice", "price"],
    ["an unknown denom (market checked first)", { collaterals: [], debts: [debt("ufoo", 1n, true)] }, "ufoo", "market"],
    ["a priced denom without a market", { collaterals: [coll("uatom", 1n)], debts: [] }, "uatom", "market"],
  ] satisfies [string, RedBankPosition, string, string][])("throws for %s, even when it would count 0", (_name, position, denom, missing) => {
    const snap = createRiskSnapshot({ timeSec: NOW, prices: snapshot().prices, risks: snapshot().risks.values(), markets: [market("uosmo"), market("unoprice")] });
    const run = () => redBankHealth(position, snap);
    expect(run).toThrow(MissingDenomDataError);
    expect(run).toThrow(`no ${missing} for denom ${denom}`);
  });

  it("writes into a reused result object", () => {
    const out = createHealthValues();
    const snap = snapshot();
    expect(redBankHealth(exampleA, snap, out)).toBe(out);
    redBankHealth({ collaterals: [coll("uosmo", 1n)], debts: [] }, snap, out);
    expect(out).toMatchObject({ totalCollateralValue: 0n, totalDebtValue: 0n, liquidationHealthFactor: null, liquidatable: false, aboveMaxLtv: false });
  });
});
