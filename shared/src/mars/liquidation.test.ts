import { describe, expect, it } from "vitest";
import { parseDecimal, ratio } from "./decimal.js";
import { InvalidLiquidationAmountsError, LiquidationNotProfitableError, MissingDenomDataError, NotLiquidatableError } from "./errors.js";
import { assetRiskFromJson } from "./from-json.js";
import {
  assertLiquidationProfitable,
  isLiquidationProfitable,
  liquidationAmounts,
  liquidationBonus,
  sendAmountWithBuffer,
  type LiquidationAmounts,
  type LiquidationInput,
  type LiquidationRules,
} from "./liquidation.js";
import type { AssetRisk, LiquidationBonusJson, LiquidationHealth } from "./types.js";

const D = (s: string): bigint => parseDecimal(s);

function risk(denom: string, lt: string, lb: LiquidationBonusJson, plf: string, closeFactor?: string): AssetRisk {
  const base = {
    denom,
    credit_manager: { whitelisted: true, hls: null },
    red_bank: { deposit_enabled: true, borrow_enabled: true },
    max_loan_to_value: "0.5",
    liquidation_threshold: lt,
    liquidation_bonus: lb,
    protocol_liquidation_fee: plf,
    deposit_cap: "0",
  };
  return assetRiskFromJson(closeFactor === undefined ? base : { ...base, close_factor: closeFactor });
}

// §2.6 A: Osmosis mainnet OSMO; B: Neutron-like LB params, close factor 0.9
const OSMO_A = risk("uosmo", "0.75", { starting_lb: "0", slope: "1", min_lb: "0.05", max_lb: "0.2" }, "0.25");
const OSMO_B = risk("uosmo", "0.75", { starting_lb: "0", slope: "2", min_lb: "0", max_lb: "0.05" }, "0.5");
const USDC = risk("uusdc", "0.75", { starting_lb: "0", slope: "1", min_lb: "0.05", max_lb: "0.2" }, "0.25", "0.9");
const OSMOSIS: LiquidationRules = { variant: "osmosis", targetHealthFactor: D("1.05") };
const NEUTRON: LiquidationRules = { variant: "neutron" };

function health(tcv: bigint, tdv: bigint, ltAdj: bigint, perps: { profit?: bigint; loss?: bigint } = {}): LiquidationHealth {
  return { totalCollateralValue: tcv, totalDebtValue: tdv, liquidationThresholdAdjustedCollateral: ltAdj, liquidationHealthFactor: ratio(ltAdj, tdv), perpsPnlProfit: perps.profit, perpsPnlLoss: perps.loss };
}

// 10_000_000_000 uosmo at 0.5 (LT 0.75) against `debt` uusdc at 1
function input(debt: bigint, sent: bigint, collateralRisk: AssetRisk = OSMO_A, perps: { profit?: bigint; loss?: bigint } = {}): LiquidationInput {
  return {
    collateralAmount: 10_000_000_000n,
    collateralPrice: D("0.5"),
    collateralRisk,
    debtAmount: debt,
    debtSent: sent,
    debtPrice: D("1"),
    debtRisk: USDC,
    health: health(5_000_000_000n, debt, 3_750_000_000n, perps),
  };
}

describe("liquidationAmounts: worked examples (spec §2.6, §6.5)", () => {
  it.each([
    [
      "A [OSMO] THF 1.05, sends 2_000_000_000",
      input(3_900_000_000n, 2_000_000_000n),
      OSMOSIS,
      {
        liquidationBonus: D("0.038461538461538462"),
        collateralizationRatio: D("1.282051282051282051"),
        maxDebtRepayable: 1_272_340_425n,
        debtByCollateral: 4_814_814_814n,
        repay: 1_272_340_425n,
        repayValue: 1_272_340_425n,
        seize: 2_642_553_190n,
        lbValue: 48_936_170n,
        feeValue: 12_234_043n,
        fee: 24_468_086n,
        toLiquidator: 2_618_085_104n,
        refund: 727_659_575n,
      },
    ],
    [
      "B [NTRN] close factor 0.9, sends 4_000_000_000",
      input(3_900_000_000n, 4_000_000_000n, OSMO_B),
      NEUTRON,
      {
        liquidationBonus: D("0.05"),
        collateralizationRatio: D("1.282051282051282051"),
        maxDebtRepayable: 3_510_000_000n,
        debtByCollateral: 4_761_904_761n,
        repay: 3_510_000_000n,
        repayValue: 3_510_000_000n,
        seize: 7_371_000_000n,
        lbValue: 175_500_000n,
        feeValue: 87_750_000n,
        fee: 175_500_000n,
        toLiquidator: 7_195_500_000n,
        refund: 490_000_000n,
      },
    ],
    [
      "C [OSMO] collateral-limited, debt 5_200_000_000, sends 6_000_000_000",
      input(5_200_000_000n, 6_000_000_000n),
      OSMOSIS,
      {
        liquidationBonus: D("0.05"),
        collateralizationRatio: D("0.961538461538461538"),
        maxDebtRepayable: 6_514_285_714n,
        debtByCollateral: 4_761_904_761n,
        repay: 4_761_904_761n,
        repayValue: 4_761_904_761n,
        seize: 9_999_999_998n,
        lbValue: 238_095_238n,
        feeValue: 59_523_810n,
        fee: 119_047_620n,
        toLiquidator: 9_880_952_378n,
        refund: 1_238_095_239n,
      },
    ],
    [
      "D [OSMO] credit manager, debt_coin 1_300_000_000 (excess stays with the liquidator)",
      input(3_900_000_000n, 1_300_000_000n),
      OSMOSIS,
      {
        liquidationBonus: D("0.038461538461538462"),
        collateralizationRatio: D("1.282051282051282051"),
        maxDebtRepayable: 1_272_340_425n,
        debtByCollateral: 4_814_814_814n,
        repay: 1_272_340_425n,
        repayValue: 1_272_340_425n,
        seize: 2_642_553_190n,
        lbValue: 48_936_170n,
        feeValue: 12_234_043n,
        fee: 24_468_086n,
        toLiquidator: 2_618_085_104n,
        refund: 27_659_575n,
      },
    ],
  ] satisfies [string, LiquidationInput, LiquidationRules, LiquidationAmounts][])("%s", (_name, inp, rules, expected) => {
    expect(liquidationAmounts(inp, rules)).toEqual(expected);
  });

  it("the health factors of §2.6: A 0.961538461538461538, C 0.721153846153846153", () => {
    expect(input(3_900_000_000n, 0n).health.liquidationHealthFactor).toBe(D("0.961538461538461538"));
    expect(input(5_200_000_000n, 0n).health.liquidationHealthFactor).toBe(D("0.721153846153846153"));
  });

  it("A leaves the position just under the target health factor", () => {
    const a = liquidationAmounts(input(3_900_000_000n, 2_000_000_000n), OSMOSIS);
    const ltAdj = (((10_000_000_000n - a.seize) / 2n) * 3n) / 4n; // floor(floor(C·0.5)·0.75)
    expect(ltAdj).toBe(2_759_042_553n);
    const hfAfter = ratio(ltAdj, 3_900_000_000n - a.repay);
    expect(hfAfter).toBe(D("1.049999999714574898"));
    expect(hfAfter < D("1.05") && hfAfter > D("1")).toBe(true);
  });
});

describe("liquidationAmounts: caps and edges", () => {
  // seized collateral has LT 0.98 and LB ≥ min_lb 0.1, so k = 0.98·1.1 = 1.078; the second debt makes D the binding cap
  const highLt = risk("ucoll", "0.98", { starting_lb: "0.1", slope: "1", min_lb: "0.1", max_lb: "0.2" }, "0.1");
  const twoDebts: LiquidationInput = {
    collateralAmount: 2_000_000_000n,
    collateralPrice: D("1"),
    collateralRisk: highLt,
    debtAmount: 100_000_000n,
    debtSent: 1_000_000_000n,
    debtPrice: D("1"),
    debtRisk: USDC,
    health: health(2_000_000_000n, 2_000_000_000n, 1_960_000_000n),
  };

  it.each([
    ["k = 1.078 > THF 1.05 → no cap", "1.05", null, 100_000_000n],
    ["k = THF exactly → no cap", "1.078", null, 100_000_000n],
    ["k < THF 1.1 → MDR computed (not binding)", "1.1", 10_909_090_909n, 100_000_000n],
  ])("%s", (_name, thf, mdr, repay) => {
    const r = liquidationAmounts(twoDebts, { variant: "osmosis", targetHealthFactor: D(thf) });
    expect(r.liquidationBonus).toBe(D("0.1"));
    expect(r.maxDebtRepayable).toBe(mdr);
    expect(r.repay).toBe(repay);
    expect(r.refund).toBe(1_000_000_000n - repay);
  });

  it("[NTRN] does not take D as a candidate; the close factor caps below it", () => {
    const r = liquidationAmounts({ ...twoDebts, debtSent: 10_000_000_000n }, NEUTRON);
    expect(r.maxDebtRepayable).toBe(90_000_000n); // floor(100_000_000·0.9)
    expect(r.repay).toBe(90_000_000n);
  });

  it("[NTRN] without close_factor on the debt asset is an error", () => {
    const run = () => liquidationAmounts({ ...input(3_900_000_000n, 1n, OSMO_B), debtRisk: OSMO_A }, NEUTRON);
    expect(run).toThrow(MissingDenomDataError);
    expect(run).toThrow("no close_factor for denom uosmo");
  });

  it("sending less caps the repay", () => {
    expect(liquidationAmounts(input(3_900_000_000n, 1_000n), OSMOSIS)).toMatchObject({ repay: 1_000n, seize: 2_076n, fee: 20n, toLiquidator: 2_056n, refund: 0n });
  });

  it("exactly one of repay and seize zero is the contract's error", () => {
    // 100 wei of a debt priced 0.000000003 uusd: repay 100 but repay_value 0 → seize 0
    const run = () => liquidationAmounts({ ...input(3_900_000_000n, 100n), debtPrice: D("0.000000003") }, OSMOSIS);
    expect(run).toThrow(InvalidLiquidationAmountsError);
    expect(run).toThrow("Can't process liquidation. Invalid collateral_amount_to_liquidate (0) and debt_amount_to_repay (100)");
  });

  it("repay and seize both zero is allowed (nothing happens)", () => {
    expect(liquidationAmounts(input(3_900_000_000n, 0n), OSMOSIS)).toMatchObject({ repay: 0n, seize: 0n, fee: 0n, toLiquidator: 0n, refund: 0n });
  });

  it.each([
    ["HF = 1", health(1_000n, 1_000n, 1_000n)],
    ["HF > 1", health(2_000n, 1_000n, 1_500n)],
    ["no debt", { totalCollateralValue: 1n, totalDebtValue: 0n, liquidationThresholdAdjustedCollateral: 1n, liquidationHealthFactor: null }],
  ])("%s is not liquidatable", (_name, h) => {
    expect(() => liquidationAmounts({ ...input(1_000n, 1_000n), health: h }, OSMOSIS)).toThrow(NotLiquidatableError);
  });

  it("[NTRN] CM perps bonus: extra seize from the perps loss, capped at C, fee grows", () => {
    const perps = { profit: 1_000_000_000n, loss: 1_000_000_000n }; // CR = 6e9/4.9e9 keeps LB at max_lb 0.05
    const rules: LiquidationRules = { variant: "neutron", perpsLbRatio: D("0.6") };
    expect(liquidationAmounts(input(3_900_000_000n, 4_000_000_000n, OSMO_B, perps), rules)).toMatchObject({
      liquidationBonus: D("0.05"),
      collateralizationRatio: D("1.224489795918367346"),
      repay: 3_510_000_000n,
      seize: 7_431_000_000n, // + floor(floor(1e9·0.03)/0.5)
      lbValue: 205_500_000n,
      fee: 205_500_000n,
      toLiquidator: 7_225_500_000n,
    });
    const capped = liquidationAmounts({ ...input(3_900_000_000n, 4_000_000_000n, OSMO_B, perps), collateralAmount: 7_400_000_000n }, rules);
    expect(capped).toMatchObject({ repay: 3_510_000_000n, seize: 7_400_000_000n, lbValue: 190_000_000n, fee: 190_000_000n, toLiquidator: 7_210_000_000n });
    expect(liquidationAmounts(input(3_900_000_000n, 4_000_000_000n, OSMO_B, perps), OSMOSIS).seize).toBe(
      liquidationAmounts(input(3_900_000_000n, 4_000_000_000n, OSMO_B), OSMOSIS).seize,
    ); // [OSMO] has no perps
  });
});

describe("liquidationBonus (spec §2.5 step 3)", () => {
  it.each([
    // HF, CR, lb params, LB
    ["0.961538461538461538", "1.282051282051282051", { starting_lb: "0", slope: "1", min_lb: "0.05", max_lb: "0.2" }, "0.038461538461538462"],
    ["0.961538461538461538", "1.282051282051282051", { starting_lb: "0", slope: "2", min_lb: "0", max_lb: "0.05" }, "0.05"],
    ["0.721153846153846153", "0.961538461538461538", { starting_lb: "0", slope: "1", min_lb: "0.05", max_lb: "0.2" }, "0.05"], // CR < 1 → cap = min_lb
    ["0.9", "1.03", { starting_lb: "0.01", slope: "1", min_lb: "0", max_lb: "0.2" }, "0.03"], // cap = CR − 1
    ["0.9", "1.5", { starting_lb: "0.01", slope: "1.5", min_lb: "0", max_lb: "0.2" }, "0.16"],
    ["1", "2", { starting_lb: "0.02", slope: "5", min_lb: "0", max_lb: "0.3" }, "0.02"],
  ])("HF %s, CR %s, %j → %s", (hf, cr, lb, expected) => {
    const p = risk("u", "0.8", lb, "0").liquidationBonus;
    expect(liquidationBonus(D(hf), D(cr), p)).toBe(D(expected));
  });
});

describe("credit-manager profitability guard (spec §6.5 step 4)", () => {
  // HF exactly 0.9999 with starting_lb 0: LB = 0.0001
  const flat = risk("uusdc.axl", "0.75", { starting_lb: "0", slope: "1", min_lb: "0", max_lb: "0.2" }, "0.25");
  const nearOne = (sent: bigint): LiquidationInput => ({
    collateralAmount: 13_332_000_000n,
    collateralPrice: D("1"),
    collateralRisk: flat,
    debtAmount: 10_000_000_000n,
    debtSent: sent,
    debtPrice: D("1"),
    debtRisk: USDC,
    health: health(13_332_000_000n, 10_000_000_000n, 9_999_000_000n),
  });

  it("worked example D is profitable", () => {
    const a = liquidationAmounts(input(3_900_000_000n, 1_300_000_000n), OSMOSIS);
    expect(isLiquidationProfitable(a, D("1"), D("0.5"))).toBe(true);
    expect(() => assertLiquidationProfitable("uusdc", "uosmo", a, D("1"), D("0.5"))).not.toThrow();
  });

  it("HF 0.9999, starting_lb 0, small repay: LiquidationNotProfitable", () => {
    const a = liquidationAmounts(nearOne(1_000n), OSMOSIS);
    expect(nearOne(0n).health.liquidationHealthFactor).toBe(D("0.9999"));
    expect(a).toMatchObject({ liquidationBonus: D("0.0001"), repay: 1_000n, seize: 1_000n, toLiquidator: 1_000n });
    expect(isLiquidationProfitable(a, D("1"), D("1"))).toBe(false);
    const run = () => assertLiquidationProfitable("uusdc", "uusdc.axl", a, D("1"), D("1"));
    expect(run).toThrow(LiquidationNotProfitableError);
    expect(run).toThrow("Paying down uusdc for uusdc.axl does not result in a profit for the liquidator (debt value 1000 uusd ≥ received value 1000 uusd)");
  });

  it("the same position is profitable at full size", () => {
    const a = liquidationAmounts(nearOne(10_000_000_000n), OSMOSIS);
    expect(a.repay).toBe(1_670_417_604n); // MDR: floor(501_000_000 / 0.299925)
    expect(isLiquidationProfitable(a, D("1"), D("1"))).toBe(true);
  });
});

describe("sendAmountWithBuffer (spec §2.6a step 4)", () => {
  it.each([
    [1_272_340_425n, 50, 1_278_702_128n],
    [1_000n, 100, 1_010n],
    [1n, 1, 2n],
    [0n, 100, 0n],
    [5n, 0, 5n],
  ])("%s + %i bps → %s", (repay, bps, expected) => {
    expect(sendAmountWithBuffer(repay, bps)).toBe(expected);
  });

  it("rejects fractional or negative basis points", () => {
    expect(() => sendAmountWithBuffer(1n, -1)).toThrow(RangeError);
    expect(() => sendAmountWithBuffer(1n, 0.5)).toThrow(RangeError);
  });
});
