/**
 * Shapes of the Mars contract JSON the bot reads (`*Json`, snake_case exactly as on the wire, spec
 * §1: Uint128 and Decimal are strings, `None` is `null`) and the compact in-memory forms the math
 * uses (camelCase, bigint atomics). Parse once with `from-json.ts`, evaluate many times.
 */

// ---------------------------------------------------------------- wire JSON (spec §2.2, §4, §5, §6.3)

/** A coin: `{"denom":"uosmo","amount":"123"}` (Uint128 string, spec §1). */
export interface CoinJson {
  denom: string;
  amount: string;
}

/** Red Bank interest-rate model (spec §2.2; in [NTRN] params it lives in `AssetParams`, §4). */
export interface InterestRateModelJson {
  optimal_utilization_rate: string;
  base: string;
  slope_1: string;
  slope_2: string;
}

/** Red Bank `Market` (spec §2.2): Decimal strings, `indexes_last_updated` in unix seconds. */
export interface MarketJson {
  denom: string;
  reserve_factor: string;
  interest_rate_model: InterestRateModelJson;
  borrow_index: string;
  liquidity_index: string;
  borrow_rate: string;
  liquidity_rate: string;
  indexes_last_updated: number;
  collateral_total_scaled: string;
  debt_total_scaled: string;
}

/** Red Bank `MarketV2Response` (spec §2.2): a `Market` plus underlying totals and utilization. */
export interface MarketV2Json extends MarketJson {
  collateral_total_amount: string;
  debt_total_amount: string;
  utilization_rate: string;
}

/** Red Bank `UserDebtResponse` (spec §2.2); `amount` is at query time, `uncollateralized` only for the credit manager. */
export interface UserDebtJson {
  denom: string;
  amount_scaled: string;
  amount: string;
  uncollateralized: boolean;
}

/** Red Bank `UserCollateralResponse` (spec §2.2); disabled collateral is invisible to health. */
export interface UserCollateralJson {
  denom: string;
  amount_scaled: string;
  amount: string;
  enabled: boolean;
}

/** `health_status` of `UserPositionResponse`: `"not_borrowing"` or the two health factors (spec §2.2). */
export type UserHealthStatusJson = "not_borrowing" | { borrowing: { max_ltv_hf: string; liq_threshold_hf: string } };

/** Red Bank `UserPositionResponse` (spec §2.2); values in uusd (spec §5). */
export interface UserPositionJson {
  total_enabled_collateral: string;
  total_collateralized_debt: string;
  weighted_max_ltv_collateral: string;
  weighted_liquidation_threshold_collateral: string;
  health_status: UserHealthStatusJson;
}

/** `liquidation_bonus` of `AssetParams` (spec §4, used by §2.5 step 3). */
export interface LiquidationBonusJson {
  starting_lb: string;
  slope: string;
  min_lb: string;
  max_lb: string;
}

/** An HLS correlation entry (spec §4). */
export type HlsAssetTypeJson = { coin: { denom: string } } | { vault: { addr: string } };

/** `credit_manager.hls` of `AssetParams` (spec §4). */
export interface HlsParamsJson {
  max_loan_to_value: string;
  liquidation_threshold: string;
  correlations: HlsAssetTypeJson[];
}

/** Fields common to `AssetParams` in both deployments (spec §4). */
export interface AssetParamsBaseJson {
  denom: string;
  credit_manager: { whitelisted: boolean; hls: HlsParamsJson | null; withdraw_enabled?: boolean };
  red_bank: { deposit_enabled: boolean; borrow_enabled: boolean; withdraw_enabled?: boolean };
  max_loan_to_value: string;
  liquidation_threshold: string;
  liquidation_bonus: LiquidationBonusJson;
  protocol_liquidation_fee: string;
  deposit_cap: string;
}

/** [OSMO] `AssetParams` (spec §4): no close factor; the cap comes from the target health factor. */
export type AssetParamsOsmosisJson = AssetParamsBaseJson;

/** [NTRN] `AssetParams` (spec §4): adds `close_factor`, `reserve_factor` and the interest-rate model. */
export interface AssetParamsNeutronJson extends AssetParamsBaseJson {
  close_factor: string;
  reserve_factor?: string;
  interest_rate_model?: InterestRateModelJson;
}

/** `AssetParams` of either deployment; `close_factor` is present only in [NTRN] (spec §0 detection). */
export type AssetParamsJson = AssetParamsOsmosisJson | AssetParamsNeutronJson;

/** Oracle `PriceResponse` (spec §5): uusd per 1 base unit of the asset, a Decimal string. */
export interface PriceJson {
  denom: string;
  price: string;
}

/** Health contract `HealthValuesResponse` (spec §6.3); [NTRN] adds the perps fields. */
export interface HealthValuesJson {
  total_debt_value: string;
  total_collateral_value: string;
  max_ltv_adjusted_collateral: string;
  liquidation_threshold_adjusted_collateral: string;
  max_ltv_health_factor: string | null;
  liquidation_health_factor: string | null;
  liquidatable: boolean;
  above_max_ltv: boolean;
  perps_pnl_profit?: string;
  perps_pnl_loss?: string;
  has_perps?: boolean;
}

/** Credit-account kind (spec §3.3): [NTRN] adds `"usdc_margin"`. */
export type AccountKindJson = "default" | "high_levered_strategy" | "usdc_margin" | { fund_manager: { vault_addr: string } };

/** A debt line of `Positions` (spec §6.3): `amount = ceil(CM_RB_debt·shares/total_shares)`. */
export interface DebtAmountJson {
  denom: string;
  shares: string;
  amount: string;
}

/** A vault position of `Positions` (spec §6.3, §3.3). */
export interface VaultPositionJson {
  vault: { address: string };
  amount: { unlocked: string } | { locking: { locked: string; unlocking: { id: number; coin: CoinJson }[] } };
}

/** Credit manager `Positions` (spec §6.3); `staked_astro_lps` and `perps` exist in [NTRN] only. */
export interface PositionsJson {
  account_id: string;
  account_kind: AccountKindJson;
  deposits: CoinJson[];
  debts: DebtAmountJson[];
  lends: CoinJson[];
  vaults: VaultPositionJson[];
  staked_astro_lps?: CoinJson[];
  perps?: unknown[];
}

// ---------------------------------------------------------------- compact in-memory forms

/** The liquidation-bonus curve of one asset as Decimal atomics (spec §2.5 step 3). */
export interface LiquidationBonusParams {
  readonly startingLb: bigint;
  readonly slope: bigint;
  readonly minLb: bigint;
  readonly maxLb: bigint;
}

/** HLS risk of one asset (spec §4, §6.4); only coin correlations matter for coin collateral. */
export interface HlsRisk {
  readonly maxLtv: bigint;
  readonly liquidationThreshold: bigint;
  readonly correlatedDenoms: ReadonlySet<string>;
}

/**
 * The parameters of one asset the math needs, parsed once per params refresh (spec §4). Decimal
 * fields are atomics. `closeFactor` is null on [OSMO]; `whitelisted` is `credit_manager.whitelisted`.
 */
export interface AssetRisk {
  readonly denom: string;
  readonly maxLtv: bigint;
  readonly liquidationThreshold: bigint;
  readonly liquidationBonus: LiquidationBonusParams;
  readonly protocolLiquidationFee: bigint;
  readonly closeFactor: bigint | null;
  readonly whitelisted: boolean;
  readonly hls: HlsRisk | null;
}

/** A Red Bank market's interest state as atomics, as stored (spec §2.3); time in unix seconds. */
export interface MarketState {
  readonly denom: string;
  readonly borrowIndex: bigint;
  readonly liquidityIndex: bigint;
  readonly borrowRate: bigint;
  readonly liquidityRate: bigint;
  readonly indexesLastUpdated: number;
}

/** A market's indexes accrued to one block time (spec §2.3): what `amount` fields are computed with. */
export interface MarketSnapshot {
  readonly denom: string;
  readonly liquidityIndex: bigint;
  readonly borrowIndex: bigint;
  /** Block time (unix seconds) the indexes were accrued to. */
  readonly timeSec: number;
}

/** Oracle prices: denom → uusd per base unit as Decimal atomics (spec §5). Use `liquidation` prices for health. */
export type PriceTable = ReadonlyMap<string, bigint>;

/** One Red Bank collateral entry, scaled (spec §3.2 `colls`). */
export interface ScaledCollateral {
  readonly denom: string;
  readonly amountScaled: bigint;
  readonly enabled: boolean;
}

/** One Red Bank debt entry, scaled (spec §3.2 `debts`). */
export interface ScaledDebt {
  readonly denom: string;
  readonly amountScaled: bigint;
  readonly uncollateralized: boolean;
}

/** A Red Bank user's position as stored: scaled amounts plus the flags health needs (spec §2.4). */
export interface RedBankPosition {
  readonly collaterals: readonly ScaledCollateral[];
  readonly debts: readonly ScaledDebt[];
}

/** An amount of one denom in base units (a parsed `Coin`, spec §1, §6.3). */
export interface Amount {
  readonly denom: string;
  readonly amount: bigint;
}

/** How the health contract weighs a credit account (spec §6.4): HLS uses the `hls` params. */
export type CreditAccountKind = "default" | "high_levered_strategy";

/**
 * A credit account in underlying amounts (spec §6.3 `Positions`): deposits (coin balances), lends
 * (Red Bank lent amounts), staked Astroport LPs ([NTRN]) and debts (amounts from shares, ceil).
 */
export interface CreditAccountPosition {
  readonly accountId: string;
  readonly kind: CreditAccountKind;
  readonly deposits: readonly Amount[];
  readonly lends: readonly Amount[];
  readonly stakedAstroLps: readonly Amount[];
  readonly debts: readonly Amount[];
}

/**
 * Health totals and factors (spec §2.4, §6.4): values in uusd, factors as Decimal atomics, null when
 * there is no debt. Red Bank and the health contract produce the same shape.
 */
export interface HealthValues {
  totalCollateralValue: bigint;
  totalDebtValue: bigint;
  maxLtvAdjustedCollateral: bigint;
  liquidationThresholdAdjustedCollateral: bigint;
  maxLtvHealthFactor: bigint | null;
  liquidationHealthFactor: bigint | null;
  /** `liquidationHealthFactor < 1`. */
  liquidatable: boolean;
  /** `maxLtvHealthFactor < 1`. */
  aboveMaxLtv: boolean;
}

/** Perps PnL of a [NTRN] credit account in uusd (spec §6.3 `perps_pnl_profit` / `perps_pnl_loss`). */
export interface PerpsPnl {
  readonly perpsPnlProfit: bigint;
  readonly perpsPnlLoss: bigint;
}

/**
 * The part of a health result the liquidation math reads (spec §2.5 step 2, §6.5 step 3). Any
 * `HealthValues` fits; the perps fields are [NTRN] credit-account only and default to 0.
 */
export interface LiquidationHealth {
  readonly totalCollateralValue: bigint;
  readonly totalDebtValue: bigint;
  readonly liquidationThresholdAdjustedCollateral: bigint;
  readonly liquidationHealthFactor: bigint | null;
  readonly perpsPnlProfit?: bigint;
  readonly perpsPnlLoss?: bigint;
}
