/**
 * Converters from contract JSON (`types.ts` `*Json`) to the compact bigint forms the math uses.
 * They run once per refresh (params, markets, prices) or once per position load, never per
 * evaluation, and every string is parsed exactly (spec §1) with the field named in any error.
 */
import { DECIMAL_ONE, parseDecimal, parseUint128 } from "./decimal.js";
import { MarsParseError, UnsupportedPositionError } from "./errors.js";
import type {
  Amount,
  AssetParamsJson,
  AssetRisk,
  CoinJson,
  CreditAccountPosition,
  HealthValues,
  HealthValuesJson,
  HlsRisk,
  MarketJson,
  MarketState,
  PerpsPnl,
  PositionsJson,
  PriceJson,
  PriceTable,
  RedBankPosition,
  UserCollateralJson,
  UserDebtJson,
  UserPositionJson,
} from "./types.js";

/** Parses one `AssetParams` of either deployment into an `AssetRisk` (spec §4). */
export function assetRiskFromJson(json: AssetParamsJson): AssetRisk {
  const d = json.denom;
  const dec = (value: string, field: string): bigint => parseDecimal(value, `asset_params.${field} of ${d}`);
  const lb = json.liquidation_bonus;
  const closeFactor = "close_factor" in json ? dec(json.close_factor, "close_factor") : null;
  const hlsJson = json.credit_manager.hls;
  let hls: HlsRisk | null = null;
  if (hlsJson !== null && hlsJson !== undefined) {
    const correlated = new Set<string>();
    for (const c of hlsJson.correlations) if ("coin" in c) correlated.add(c.coin.denom);
    hls = {
      maxLtv: dec(hlsJson.max_loan_to_value, "credit_manager.hls.max_loan_to_value"),
      liquidationThreshold: dec(hlsJson.liquidation_threshold, "credit_manager.hls.liquidation_threshold"),
      correlatedDenoms: correlated,
    };
  }
  return {
    denom: d,
    maxLtv: dec(json.max_loan_to_value, "max_loan_to_value"),
    liquidationThreshold: dec(json.liquidation_threshold, "liquidation_threshold"),
    liquidationBonus: {
      startingLb: dec(lb.starting_lb, "liquidation_bonus.starting_lb"),
      slope: dec(lb.slope, "liquidation_bonus.slope"),
      minLb: dec(lb.min_lb, "liquidation_bonus.min_lb"),
      maxLb: dec(lb.max_lb, "liquidation_bonus.max_lb"),
    },
    protocolLiquidationFee: dec(json.protocol_liquidation_fee, "protocol_liquidation_fee"),
    closeFactor,
    whitelisted: json.credit_manager.whitelisted,
    hls,
  };
}

/** Parses a Red Bank `Market` (or `MarketV2Response`) into its interest state (spec §2.2, §2.3). */
export function marketStateFromJson(json: MarketJson): MarketState {
  const d = json.denom;
  if (!Number.isSafeInteger(json.indexes_last_updated) || json.indexes_last_updated < 0) {
    throw new MarsParseError(`market.indexes_last_updated of ${d}`, String(json.indexes_last_updated), "expected a unix time in whole seconds");
  }
  return {
    denom: d,
    borrowIndex: parseDecimal(json.borrow_index, `market.borrow_index of ${d}`),
    liquidityIndex: parseDecimal(json.liquidity_index, `market.liquidity_index of ${d}`),
    borrowRate: parseDecimal(json.borrow_rate, `market.borrow_rate of ${d}`),
    liquidityRate: parseDecimal(json.liquidity_rate, `market.liquidity_rate of ${d}`),
    indexesLastUpdated: json.indexes_last_updated,
  };
}

/** Builds a `PriceTable` from oracle `PriceResponse`s (spec §5); a later duplicate denom wins. */
export function priceTableFromJson(prices: readonly PriceJson[]): Map<string, bigint> {
  const table = new Map<string, bigint>();
  for (const p of prices) table.set(p.denom, parseDecimal(p.price, `price of ${p.denom}`));
  return table;
}

/** Builds a `RedBankPosition` from `user_collaterals` and `user_debts` answers (spec §2.2), using the scaled amounts. */
export function redBankPositionFromJson(collaterals: readonly UserCollateralJson[], debts: readonly UserDebtJson[]): RedBankPosition {
  return {
    collaterals: collaterals.map((c) => ({
      denom: c.denom,
      amountScaled: parseUint128(c.amount_scaled, `user_collateral.amount_scaled of ${c.denom}`),
      enabled: c.enabled,
    })),
    debts: debts.map((d) => ({
      denom: d.denom,
      amountScaled: parseUint128(d.amount_scaled, `user_debt.amount_scaled of ${d.denom}`),
      uncollateralized: d.uncollateralized,
    })),
  };
}

function amounts(coins: readonly CoinJson[], list: string, accountId: string): Amount[] {
  return coins.map((c) => ({ denom: c.denom, amount: parseUint128(c.amount, `${list} amount of ${c.denom} in account ${accountId}`) }));
}

/**
 * Builds a `CreditAccountPosition` from a credit manager `positions` answer (spec §6.3). Throws
 * `UnsupportedPositionError` for vaults or perps, which the local health math does not model (§6.4).
 */
export function creditAccountFromJson(json: PositionsJson): CreditAccountPosition {
  const id = json.account_id;
  if (json.vaults.length > 0) throw new UnsupportedPositionError(id, `${json.vaults.length} vault position(s)`);
  if (json.perps !== undefined && json.perps.length > 0) throw new UnsupportedPositionError(id, `${json.perps.length} perp position(s)`);
  return {
    accountId: id,
    kind: json.account_kind === "high_levered_strategy" ? "high_levered_strategy" : "default",
    deposits: amounts(json.deposits, "deposit", id),
    lends: amounts(json.lends, "lend", id),
    stakedAstroLps: amounts(json.staked_astro_lps ?? [], "staked_astro_lp", id),
    debts: json.debts.map((d) => ({ denom: d.denom, amount: parseUint128(d.amount, `debt amount of ${d.denom} in account ${id}`) })),
  };
}

/** Parses a health contract `health_values` answer (spec §6.3), perps PnL defaulting to 0 on [OSMO]. */
export function healthValuesFromJson(json: HealthValuesJson): HealthValues & PerpsPnl {
  const u = (value: string, field: string): bigint => parseUint128(value, `health_values.${field}`);
  const hf = (value: string | null, field: string): bigint | null => (value === null ? null : parseDecimal(value, `health_values.${field}`));
  return {
    totalCollateralValue: u(json.total_collateral_value, "total_collateral_value"),
    totalDebtValue: u(json.total_debt_value, "total_debt_value"),
    maxLtvAdjustedCollateral: u(json.max_ltv_adjusted_collateral, "max_ltv_adjusted_collateral"),
    liquidationThresholdAdjustedCollateral: u(json.liquidation_threshold_adjusted_collateral, "liquidation_threshold_adjusted_collateral"),
    maxLtvHealthFactor: hf(json.max_ltv_health_factor, "max_ltv_health_factor"),
    liquidationHealthFactor: hf(json.liquidation_health_factor, "liquidation_health_factor"),
    liquidatable: json.liquidatable,
    aboveMaxLtv: json.above_max_ltv,
    perpsPnlProfit: json.perps_pnl_profit === undefined ? 0n : u(json.perps_pnl_profit, "perps_pnl_profit"),
    perpsPnlLoss: json.perps_pnl_loss === undefined ? 0n : u(json.perps_pnl_loss, "perps_pnl_loss"),
  };
}

/** Parses a Red Bank `user_position(_liquidation_pricing)` answer into `HealthValues` (spec §2.2, §2.4). */
export function healthValuesFromUserPosition(json: UserPositionJson): HealthValues {
  const u = (value: string, field: string): bigint => parseUint128(value, `user_position.${field}`);
  const status = json.health_status;
  const maxLtvHealthFactor = status === "not_borrowing" ? null : parseDecimal(status.borrowing.max_ltv_hf, "user_position.max_ltv_hf");
  const liquidationHealthFactor = status === "not_borrowing" ? null : parseDecimal(status.borrowing.liq_threshold_hf, "user_position.liq_threshold_hf");
  return {
    totalCollateralValue: u(json.total_enabled_collateral, "total_enabled_collateral"),
    totalDebtValue: u(json.total_collateralized_debt, "total_collateralized_debt"),
    maxLtvAdjustedCollateral: u(json.weighted_max_ltv_collateral, "weighted_max_ltv_collateral"),
    liquidationThresholdAdjustedCollateral: u(json.weighted_liquidation_threshold_collateral, "weighted_liquidation_threshold_collateral"),
    maxLtvHealthFactor,
    liquidationHealthFactor,
    liquidatable: liquidationHealthFactor !== null && liquidationHealthFactor < DECIMAL_ONE,
    aboveMaxLtv: maxLtvHealthFactor !== null && maxLtvHealthFactor < DECIMAL_ONE,
  };
}
