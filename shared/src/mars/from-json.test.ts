import { describe, expect, it } from "vitest";
import { parseDecimal } from "./decimal.js";
import { MarsParseError, UnsupportedPositionError } from "./errors.js";
import {
  assetRiskFromJson,
  creditAccountFromJson,
  healthValuesFromJson,
  healthValuesFromUserPosition,
  marketStateFromJson,
  priceTableFromJson,
  redBankPositionFromJson,
} from "./from-json.js";
import type { AssetParamsNeutronJson, AssetParamsOsmosisJson, MarketJson, PositionsJson } from "./types.js";

const D = (s: string): bigint => parseDecimal(s);

// Osmosis mainnet OSMO params (spec §4)
const osmo: AssetParamsOsmosisJson = {
  denom: "uosmo",
  credit_manager: { whitelisted: true, hls: null },
  red_bank: { deposit_enabled: true, borrow_enabled: true },
  max_loan_to_value: "0.73",
  liquidation_threshold: "0.75",
  liquidation_bonus: { starting_lb: "0", slope: "1", min_lb: "0.05", max_lb: "0.2" },
  protocol_liquidation_fee: "0.25",
  deposit_cap: "10000000000000",
};

describe("assetRiskFromJson (spec §4)", () => {
  it("parses [OSMO] params exactly, without a close factor", () => {
    expect(assetRiskFromJson(osmo)).toEqual({
      denom: "uosmo",
      maxLtv: D("0.73"),
      liquidationThreshold: D("0.75"),
      liquidationBonus: { startingLb: 0n, slope: D("1"), minLb: D("0.05"), maxLb: D("0.2") },
      protocolLiquidationFee: D("0.25"),
      closeFactor: null,
      whitelisted: true,
      hls: null,
    });
  });

  it("parses [NTRN] params with close_factor and HLS coin correlations", () => {
    const ntrn: AssetParamsNeutronJson = {
      ...osmo,
      denom: "untrn",
      credit_manager: {
        whitelisted: false,
        withdraw_enabled: true,
        hls: { max_loan_to_value: "0.8", liquidation_threshold: "0.85", correlations: [{ coin: { denom: "ustatom" } }, { vault: { addr: "neutron1vault" } }] },
      },
      close_factor: "0.9",
    };
    const risk = assetRiskFromJson(ntrn);
    expect(risk.closeFactor).toBe(D("0.9"));
    expect(risk.whitelisted).toBe(false);
    expect(risk.hls?.maxLtv).toBe(D("0.8"));
    expect([...(risk.hls?.correlatedDenoms ?? [])]).toEqual(["ustatom"]);
  });

  it("names the bad field in the error", () => {
    expect(() => assetRiskFromJson({ ...osmo, liquidation_threshold: "0,75" })).toThrow('cannot parse asset_params.liquidation_threshold of uosmo "0,75"');
  });
});

describe("market and price converters", () => {
  const json: MarketJson = {
    denom: "uosmo",
    reserve_factor: "0.1",
    interest_rate_model: { optimal_utilization_rate: "0.6", base: "0", slope_1: "0.15", slope_2: "3" },
    borrow_index: "1.02",
    liquidity_index: "1.01",
    borrow_rate: "0.12",
    liquidity_rate: "0.06",
    indexes_last_updated: 1_732_000_000,
    collateral_total_scaled: "1",
    debt_total_scaled: "1",
  };

  it("parses the interest state of a Market (spec §2.2)", () => {
    expect(marketStateFromJson(json)).toEqual({
      denom: "uosmo",
      borrowIndex: D("1.02"),
      liquidityIndex: D("1.01"),
      borrowRate: D("0.12"),
      liquidityRate: D("0.06"),
      indexesLastUpdated: 1_732_000_000,
    });
  });

  it("rejects a non-integer indexes_last_updated", () => {
    expect(() => marketStateFromJson({ ...json, indexes_last_updated: 1.5 })).toThrow(MarsParseError);
  });

  it("builds a price table (spec §5)", () => {
    const table = priceTableFromJson([
      { denom: "uosmo", price: "0.5" },
      { denom: "weth", price: "0.000000003" },
    ]);
    expect([...table]).toEqual([
      ["uosmo", D("0.5")],
      ["weth", 3_000_000_000n],
    ]);
  });
});

describe("position converters", () => {
  it("uses the scaled amounts and flags of user_collaterals / user_debts (spec §2.2)", () => {
    const position = redBankPositionFromJson(
      [{ denom: "uosmo", amount_scaled: "10000000000000000", amount: "10000000000", enabled: false }],
      [{ denom: "uusdc", amount_scaled: "3900000000000000", amount: "3900000000", uncollateralized: true }],
    );
    expect(position).toEqual({
      collaterals: [{ denom: "uosmo", amountScaled: 10_000_000_000_000_000n, enabled: false }],
      debts: [{ denom: "uusdc", amountScaled: 3_900_000_000_000_000n, uncollateralized: true }],
    });
  });

  const positions: PositionsJson = {
    account_id: "42",
    account_kind: "default",
    deposits: [{ denom: "uosmo", amount: "10000000000" }],
    debts: [{ denom: "uusdc", shares: "3900000000000000", amount: "3900000000" }],
    lends: [{ denom: "uatom", amount: "5" }],
    vaults: [],
  };

  it("reads a credit account's amounts (spec §6.3)", () => {
    expect(creditAccountFromJson(positions)).toEqual({
      accountId: "42",
      kind: "default",
      deposits: [{ denom: "uosmo", amount: 10_000_000_000n }],
      lends: [{ denom: "uatom", amount: 5n }],
      stakedAstroLps: [],
      debts: [{ denom: "uusdc", amount: 3_900_000_000n }],
    });
    expect(creditAccountFromJson({ ...positions, account_kind: "high_levered_strategy" }).kind).toBe("high_levered_strategy");
    expect(creditAccountFromJson({ ...positions, account_kind: { fund_manager: { vault_addr: "osmo1v" } } }).kind).toBe("default");
  });

  it.each([
    ["vaults", { vaults: [{ vault: { address: "osmo1v" }, amount: { unlocked: "1" } }] }, "1 vault position(s)"],
    ["perps", { perps: [{}] }, "1 perp position(s)"],
  ])("refuses %s, which the local math does not model", (_name, extra, feature) => {
    const run = () => creditAccountFromJson({ ...positions, ...extra });
    expect(run).toThrow(UnsupportedPositionError);
    expect(run).toThrow(`credit account 42 holds ${feature}`);
  });
});

describe("health answers", () => {
  it("parses health_values (spec §6.3), perps PnL defaulting to 0", () => {
    const h = healthValuesFromJson({
      total_debt_value: "3900000000",
      total_collateral_value: "5000000000",
      max_ltv_adjusted_collateral: "3650000000",
      liquidation_threshold_adjusted_collateral: "3750000000",
      max_ltv_health_factor: "0.935897435897435897",
      liquidation_health_factor: "0.961538461538461538",
      liquidatable: true,
      above_max_ltv: true,
    });
    expect(h.liquidationHealthFactor).toBe(D("0.961538461538461538"));
    expect(h.perpsPnlLoss).toBe(0n);
    expect(h.totalDebtValue).toBe(3_900_000_000n);
  });

  it.each([
    ["not_borrowing" as const, null, false],
    [{ borrowing: { max_ltv_hf: "0.93", liq_threshold_hf: "0.96" } }, D("0.96"), true],
  ])("parses user_position health_status %j", (status, liqHf, liquidatable) => {
    const h = healthValuesFromUserPosition({
      total_enabled_collateral: "5000000000",
      total_collateralized_debt: "0",
      weighted_max_ltv_collateral: "3650000000",
      weighted_liquidation_threshold_collateral: "3750000000",
      health_status: status,
    });
    expect(h.liquidationHealthFactor).toBe(liqHf);
    expect(h.liquidatable).toBe(liquidatable);
  });
});
