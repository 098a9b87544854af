import { describe, expect, it } from "vitest";
import { creditAccountHealth, debtSharesToAmount } from "./credit-account-health.js";
import { parseDecimal } from "./decimal.js";
import { MarsMathError, MissingDenomDataError } from "./errors.js";
import { assetRiskFromJson } from "./from-json.js";
import { redBankHealth } from "./red-bank-health.js";
import { createRiskSnapshot } from "./risk-snapshot.js";
import type { Amount, AssetParamsJson, CreditAccountPosition, HlsParamsJson } from "./types.js";

const D = (s: string): bigint => parseDecimal(s);
const NOW = 1_732_000_000;

function params(denom: string, maxLtv: string, lt: string, cm: { whitelisted?: boolean; hls?: HlsParamsJson } = {}): AssetParamsJson {
  return {
    denom,
    credit_manager: { whitelisted: cm.whitelisted ?? true, hls: cm.hls ?? null },
    red_bank: { deposit_enabled: true, borrow_enabled: true },
    max_loan_to_value: maxLtv,
    liquidation_threshold: lt,
    liquidation_bonus: { starting_lb: "0", slope: "1", min_lb: "0.05", max_lb: "0.2" },
    protocol_liquidation_fee: "0.25",
    deposit_cap: "0",
  };
}

const hls = (denoms: string[]): HlsParamsJson => ({ max_loan_to_value: "0.9", liquidation_threshold: "0.92", correlations: denoms.map((denom) => ({ coin: { denom } })) });

const snap = createRiskSnapshot({
  timeSec: NOW,
  prices: new Map([["uosmo", D("0.5")], ["uusdc", D("1")], ["ulisted", D("1")], ["ufoo", D("3")], ["uatom", D("8")], ["ustatom", D("10")]]),
  risks: [
    params("uosmo", "0.73", "0.75"),
    params("uusdc", "0.74", "0.75"),
    params("ulisted", "0.5", "0.6", { whitelisted: false }),
    params("unoprice", "0.5", "0.6"),
    params("uatom", "0.68", "0.7", { hls: hls(["ustatom"]) }),
    params("ustatom", "0.6", "0.65", { hls: hls(["uatom"]) }),
  ].map(assetRiskFromJson),
  markets: [{ denom: "uosmo", borrowIndex: D("1"), liquidityIndex: D("1"), borrowRate: 0n, liquidityRate: 0n, indexesLastUpdated: NOW }],
});

function account(parts: { deposits?: Amount[]; lends?: Amount[]; staked?: Amount[]; debts?: Amount[]; hls?: boolean }): CreditAccountPosition {
  return {
    accountId: "42",
    kind: parts.hls === true ? "high_levered_strategy" : "default",
    deposits: parts.deposits ?? [],
    lends: parts.lends ?? [],
    stakedAstroLps: parts.staked ?? [],
    debts: parts.debts ?? [],
  };
}
const a = (denom: string, amount: bigint): Amount => ({ denom, amount });

describe("debtSharesToAmount (spec §6.3)", () => {
  it("worked example D: ceil(1e10·3.9e15/1e16) = 3_900_000_000", () => {
    expect(debtSharesToAmount(10_000_000_000n, 3_900_000_000_000_000n, 10_000_000_000_000_000n)).toBe(3_900_000_000n);
  });

  it("rounds up", () => {
    expect(debtSharesToAmount(10n, 1n, 3n)).toBe(4n);
  });

  it("refuses zero total shares", () => {
    expect(() => debtSharesToAmount(10n, 1n, 0n)).toThrow(MarsMathError);
  });
});

describe("creditAccountHealth (spec §6.4)", () => {
  const exampleD = account({ deposits: [a("uosmo", 10_000_000_000n)], debts: [a("uusdc", debtSharesToAmount(10_000_000_000n, 3_900_000_000_000_000n, 10_000_000_000_000_000n))] });

  it("worked example D: HF 0.961538461538461538, max-LTV HF 0.935897435897435897", () => {
    expect(creditAccountHealth(exampleD, snap)).toEqual({
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
    // name, account, TCV, MAXADJ, LTADJ, TDV
    ["not whitelisted → max LTV 0, LT still counts", account({ deposits: [a("ulisted", 1_000n)], debts: [a("uusdc", 100n)] }), 1_000n, 0n, 600n, 100n],
    ["coins without params are ignored", account({ deposits: [a("ufoo", 1_000n), a("unknown", 5n)], lends: [a("uosmo", 1_000n)], debts: [a("uusdc", 100n)] }), 500n, 365n, 375n, 100n],
    ["deposits, lends and staked LPs are floored one coin at a time", account({ deposits: [a("uosmo", 3n)], lends: [a("uosmo", 3n)], staked: [a("uosmo", 3n)] }), 3n, 0n, 0n, 0n],
    ["debt value rounds up", account({ deposits: [a("uusdc", 10n)], debts: [a("uosmo", 3n), a("uosmo", 1n)] }), 10n, 7n, 7n, 3n],
  ] satisfies [string, CreditAccountPosition, bigint, bigint, bigint, bigint][])("%s", (_name, acc, tcv, maxAdj, ltAdj, tdv) => {
    const h = creditAccountHealth(acc, snap);
    expect([h.totalCollateralValue, h.maxLtvAdjustedCollateral, h.liquidationThresholdAdjustedCollateral, h.totalDebtValue]).toEqual([tcv, maxAdj, ltAdj, tdv]);
  });

  it("values debt with ceil where Red Bank floors (3 uosmo at 0.5: CM 2, Red Bank 1)", () => {
    const cm = creditAccountHealth(account({ deposits: [a("uusdc", 10n)], debts: [a("uosmo", 3n)] }), snap);
    const rbSnap = createRiskSnapshot({
      timeSec: NOW,
      prices: snap.prices,
      risks: snap.risks.values(),
      markets: ["uosmo", "uusdc"].map((denom) => ({ denom, borrowIndex: D("1"), liquidityIndex: D("1"), borrowRate: 0n, liquidityRate: 0n, indexesLastUpdated: NOW })),
    });
    const rb = redBankHealth({ collaterals: [{ denom: "uusdc", amountScaled: 10_000_000n, enabled: true }], debts: [{ denom: "uosmo", amountScaled: 3_000_000n, uncollateralized: false }] }, rbSnap);
    expect(cm.totalDebtValue).toBe(2n);
    expect(rb.totalDebtValue).toBe(1n);
    expect(cm.liquidationHealthFactor).toBe(D("3.5"));
    expect(rb.liquidationHealthFactor).toBe(D("7"));
  });

  it("no debt → no health factor, not liquidatable", () => {
    const h = creditAccountHealth(account({ deposits: [a("uosmo", 1n)] }), snap);
    expect([h.liquidationHealthFactor, h.maxLtvHealthFactor, h.liquidatable, h.aboveMaxLtv]).toEqual([null, null, false, false]);
  });

  it.each([
    ["a collateral coin with params but no price", account({ deposits: [a("unoprice", 1n)] }), "no price for denom unoprice"],
    ["a debt without params", account({ debts: [a("ufoo", 1n)] }), "no params for denom ufoo"],
    ["a debt with params but no price", account({ debts: [a("unoprice", 1n)] }), "no price for denom unoprice"],
  ])("throws for %s, as the health query fails", (_name, acc, message) => {
    expect(() => creditAccountHealth(acc, snap)).toThrow(MissingDenomDataError);
    expect(() => creditAccountHealth(acc, snap)).toThrow(message);
  });

  it("HLS counts only collateral correlated with the debt, at the HLS LTV/LT", () => {
    const h = creditAccountHealth(account({ hls: true, deposits: [a("ustatom", 100n), a("uosmo", 1_000n)], debts: [a("uatom", 100n)] }), snap);
    expect([h.totalCollateralValue, h.maxLtvAdjustedCollateral, h.liquidationThresholdAdjustedCollateral, h.totalDebtValue]).toEqual([1_000n, 900n, 920n, 800n]);
  });

  it("HLS without debt counts only assets that have HLS params", () => {
    const h = creditAccountHealth(account({ hls: true, deposits: [a("ustatom", 100n), a("uosmo", 1_000n)] }), snap);
    expect(h.totalCollateralValue).toBe(1_000n);
  });

  it("HLS with a debt lacking HLS params throws", () => {
    expect(() => creditAccountHealth(account({ hls: true, deposits: [a("uosmo", 1n)], debts: [a("uusdc", 1n)] }), snap)).toThrow("no hls params for denom uusdc");
  });
});
