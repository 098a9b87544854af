import { describe, expect, it } from "vitest";
import { bestCreditAccountLiquidation, bestLiquidation } from "./best-liquidation.js";
import { parseDecimal } from "./decimal.js";
import { MissingDenomDataError } from "./errors.js";
import { assetRiskFromJson } from "./from-json.js";
import { liquidationAmounts, type LiquidationRules } from "./liquidation.js";
import { redBankHealth } from "./red-bank-health.js";
import { createRiskSnapshot } from "./risk-snapshot.js";
import type { AssetParamsJson, CreditAccountPosition, LiquidationBonusJson, RedBankPosition, ScaledCollateral, ScaledDebt } from "./types.js";

const D = (s: string): bigint => parseDecimal(s);
const NOW = 1_732_000_000;

function params(denom: string, maxLtv: string, lt: string, lb: LiquidationBonusJson, plf: string): AssetParamsJson {
  return {
    denom,
    credit_manager: { whitelisted: true, hls: null },
    red_bank: { deposit_enabled: true, borrow_enabled: true },
    max_loan_to_value: maxLtv,
    liquidation_threshold: lt,
    liquidation_bonus: lb,
    protocol_liquidation_fee: plf,
    deposit_cap: "0",
    close_factor: "0.9",
  };
}

/** §2.6: OSMO at 0.5 with the given LB params, USDC at 1; ATOM at 8; WETH at 0.000000003. */
function snapshot(osmoLb: LiquidationBonusJson, osmoPlf: string) {
  const lb = { starting_lb: "0", slope: "1", min_lb: "0.05", max_lb: "0.2" };
  const denoms = ["uosmo", "uusdc", "uatom", "ustatom", "weth"];
  return createRiskSnapshot({
    timeSec: NOW,
    prices: new Map([["uosmo", D("0.5")], ["uusdc", D("1")], ["uatom", D("8")], ["ustatom", D("10")], ["weth", D("0.000000003")]]),
    risks: [
      params("uosmo", "0.73", "0.75", osmoLb, osmoPlf),
      params("uusdc", "0.74", "0.75", lb, "0.25"),
      params("uatom", "0.68", "0.7", { starting_lb: "0", slope: "1", min_lb: "0.05", max_lb: "0.1" }, "0.1"),
      params("ustatom", "0.6", "0.65", lb, "0.25"),
      params("weth", "0.7", "0.8", lb, "0.25"),
    ].map(assetRiskFromJson),
    markets: denoms.map((denom) => ({ denom, borrowIndex: D("1"), liquidityIndex: D("1"), borrowRate: 0n, liquidityRate: 0n, indexesLastUpdated: NOW })),
  });
}
const MAINNET_OSMO = snapshot({ starting_lb: "0", slope: "1", min_lb: "0.05", max_lb: "0.2" }, "0.25");
const NEUTRON_LIKE = snapshot({ starting_lb: "0", slope: "2", min_lb: "0", max_lb: "0.05" }, "0.5");
const OSMOSIS: LiquidationRules = { variant: "osmosis", targetHealthFactor: D("1.05") };
const NEUTRON: LiquidationRules = { variant: "neutron" };

const coll = (denom: string, amount: bigint, enabled = true): ScaledCollateral => ({ denom, amountScaled: amount * 1_000_000n, enabled });
const debt = (denom: string, amount: bigint, uncollateralized = false): ScaledDebt => ({ denom, amountScaled: amount * 1_000_000n, uncollateralized });
const position = (debtAmount: bigint): RedBankPosition => ({ collaterals: [coll("uosmo", 10_000_000_000n)], debts: [debt("uusdc", debtAmount)] });

describe("bestLiquidation (Red Bank, spec §2.6a)", () => {
  it.each([
    // name, snapshot, rules, debt, sent, repay, seize, fee, toLiquidator, refund
    ["A [OSMO]", MAINNET_OSMO, OSMOSIS, 3_900_000_000n, 2_000_000_000n, 1_272_340_425n, 2_642_553_190n, 24_468_086n, 2_618_085_104n, 727_659_575n],
    ["B [NTRN]", NEUTRON_LIKE, NEUTRON, 3_900_000_000n, 4_000_000_000n, 3_510_000_000n, 7_371_000_000n, 175_500_000n, 7_195_500_000n, 490_000_000n],
    ["C [OSMO]", MAINNET_OSMO, OSMOSIS, 5_200_000_000n, 6_000_000_000n, 4_761_904_761n, 9_999_999_998n, 119_047_620n, 9_880_952_378n, 1_238_095_239n],
  ] as const)("%s from scaled amounts", (_name, snap, rules, debtAmount, sent, repay, seize, fee, toLiquidator, refund) => {
    const [best, ...rest] = bestLiquidation(position(debtAmount), snap, rules, { sendCaps: new Map([["uusdc", sent]]) });
    expect(rest).toEqual([]);
    expect(best).toMatchObject({ debtDenom: "uusdc", collateralDenom: "uosmo", request: null, amounts: { repay, seize, fee, toLiquidator, refund } });
    expect(best?.profitValue).toBe((toLiquidator * D("0.5")) / D("1") - repay);
  });

  it("A: expected profit floor(2_618_085_104·0.5) − 1_272_340_425 = 36_702_127 uusd; sends the whole debt by default", () => {
    const [best] = bestLiquidation(position(3_900_000_000n), MAINNET_OSMO, OSMOSIS);
    expect(best?.profitValue).toBe(36_702_127n);
    expect(best?.amounts.refund).toBe(3_900_000_000n - 1_272_340_425n);
  });

  it("evaluates every (debt, enabled collateral) pair and ranks by profit", () => {
    const p: RedBankPosition = {
      collaterals: [coll("uosmo", 10_000_000_000n), coll("uatom", 100_000_000n), coll("ustatom", 1_000_000_000n, false)],
      debts: [debt("uusdc", 3_900_000_000n), debt("uatom", 100_000_000n), debt("weth", 5n, true)],
    };
    const options = bestLiquidation(p, MAINNET_OSMO, OSMOSIS);
    const pairs = options.map((o) => `${o.debtDenom}/${o.collateralDenom}`);
    expect([...pairs].sort()).toEqual(["uatom/uatom", "uatom/uosmo", "uusdc/uatom", "uusdc/uosmo"]);
    const health = redBankHealth(p, MAINNET_OSMO);
    for (let i = 0; i < options.length; i++) {
      const o = options[i]!;
      if (i > 0) expect(options[i - 1]!.profitValue >= o.profitValue).toBe(true);
      const cf = MAINNET_OSMO.factors.get(o.collateralDenom)!;
      const df = MAINNET_OSMO.factors.get(o.debtDenom)!;
      const debtAmount = o.debtDenom === "uusdc" ? 3_900_000_000n : 100_000_000n;
      const collateralAmount = o.collateralDenom === "uosmo" ? 10_000_000_000n : 100_000_000n;
      const expected = liquidationAmounts(
        { collateralAmount, collateralPrice: cf.price, collateralRisk: cf.risk, debtAmount, debtSent: debtAmount, debtPrice: df.price, debtRisk: df.risk, health },
        OSMOSIS,
      );
      expect(o.amounts).toEqual(expected);
      expect(o.profitValue).toBe((expected.toLiquidator * cf.price) / D("1") - expected.repayValue);
    }
  });

  it("returns nothing for a healthy position", () => {
    expect(bestLiquidation(position(1_000_000_000n), MAINNET_OSMO, OSMOSIS)).toEqual([]);
    expect(bestLiquidation({ collaterals: [coll("uosmo", 1n)], debts: [] }, MAINNET_OSMO, OSMOSIS)).toEqual([]);
  });

  it("leaves out pairs the contract would reject (repay > 0, seize 0)", () => {
    const p: RedBankPosition = { collaterals: [coll("uosmo", 10_000n)], debts: [debt("weth", 10_000_000_000_000n), debt("uusdc", 100_000n)] };
    const options = bestLiquidation(p, MAINNET_OSMO, OSMOSIS, { sendCaps: new Map([["weth", 100n]]) });
    expect(options.map((o) => o.debtDenom)).toEqual(["uusdc"]);
  });

  it("throws when a touched denom is missing from the snapshot", () => {
    const p: RedBankPosition = { collaterals: [coll("uosmo", 1n)], debts: [debt("unknown", 1n)] };
    expect(() => bestLiquidation(p, MAINNET_OSMO, OSMOSIS)).toThrow(MissingDenomDataError);
  });
});

describe("bestCreditAccountLiquidation (spec §6.5)", () => {
  const account = (parts: Partial<CreditAccountPosition>): CreditAccountPosition => ({
    accountId: "42",
    kind: "default",
    deposits: [],
    lends: [],
    stakedAstroLps: [],
    debts: [],
    ...parts,
  });

  it("worked example D: repay 1_272_340_425, to_liquidator 2_618_085_104, fee 24_468_086", () => {
    const t = account({ deposits: [{ denom: "uosmo", amount: 10_000_000_000n }], debts: [{ denom: "uusdc", amount: 3_900_000_000n }] });
    const [best, ...rest] = bestCreditAccountLiquidation(t, MAINNET_OSMO, OSMOSIS, { sendCaps: new Map([["uusdc", 1_300_000_000n]]) });
    expect(rest).toEqual([]);
    expect(best).toMatchObject({
      debtDenom: "uusdc",
      collateralDenom: "uosmo",
      request: "deposit",
      amounts: { repay: 1_272_340_425n, seize: 2_642_553_190n, fee: 24_468_086n, toLiquidator: 2_618_085_104n, refund: 27_659_575n },
      profitValue: 36_702_127n,
    });
  });

  it("offers deposits, lends and staked LPs as separate requests", () => {
    const t = account({
      deposits: [{ denom: "uosmo", amount: 5_000_000_000n }],
      lends: [{ denom: "uosmo", amount: 5_000_000_000n }],
      stakedAstroLps: [{ denom: "unpriced-lp", amount: 1n }],
      debts: [{ denom: "uusdc", amount: 3_900_000_000n }],
    });
    const options = bestCreditAccountLiquidation(t, MAINNET_OSMO, OSMOSIS);
    expect(options.map((o) => o.request).sort()).toEqual(["deposit", "lend"]);
  });

  it("leaves out pairs failing the LiquidationNotProfitable guard", () => {
    // 3 uosmo of debt (value ceil(1.5) = 2) against 2 uusdc: HF 0.5, but repaying 2 uosmo (worth 1 uusd) yields 1 uusdc (worth 1 uusd)
    const t = account({ deposits: [{ denom: "uusdc", amount: 2n }], debts: [{ denom: "uosmo", amount: 3n }] });
    expect(bestCreditAccountLiquidation(t, MAINNET_OSMO, OSMOSIS)).toEqual([]);
  });

  it("sizes with a given health (e.g. a health_values answer) instead of recomputing", () => {
    const t = account({ deposits: [{ denom: "uosmo", amount: 10_000_000_000n }], debts: [{ denom: "uusdc", amount: 3_900_000_000n }] });
    const healthy = { totalCollateralValue: 1n, totalDebtValue: 1n, liquidationThresholdAdjustedCollateral: 1n, liquidationHealthFactor: D("1") };
    expect(bestCreditAccountLiquidation(t, MAINNET_OSMO, OSMOSIS, { health: healthy })).toEqual([]);
  });
});
