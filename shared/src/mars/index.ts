/**
 * The bot's own exact Mars math (spec `mars-contracts.md` §1–§6): Decimal/Uint128 parsing and
 * rounding, interest indexes, Red Bank and credit-account health, liquidation sizing for [OSMO]
 * (target health factor) and [NTRN] (close factor). Pure bigint, no floating point, no I/O.
 */
export { DECIMAL_ONE, DECIMAL_PLACES, UINT128_MAX, decDiv, decMul, divCeil, divFloor, formatDecimal, mulCeil, mulFloor, mulRatioCeil, mulRatioFloor, parseDecimal, parseUint128, ratio } from "./decimal.js";
export {
  InvalidLiquidationAmountsError,
  LiquidationNotProfitableError,
  MarsMathError,
  MarsParseError,
  MissingDenomDataError,
  NotLiquidatableError,
  UnsupportedPositionError,
} from "./errors.js";
export type { MissingDenomData } from "./errors.js";
export {
  SCALING_FACTOR,
  SECONDS_PER_YEAR,
  accrueIndex,
  marketSnapshotAt,
  scaledDebtAmount,
  scaledLiquidityAmount,
  underlyingDebtAmount,
  underlyingLiquidityAmount,
  updatedBorrowIndex,
  updatedLiquidityIndex,
} from "./interest.js";
export type {
  AccountKindJson,
  Amount,
  AssetParamsBaseJson,
  AssetParamsJson,
  AssetParamsNeutronJson,
  AssetParamsOsmosisJson,
  AssetRisk,
  CoinJson,
  CreditAccountKind,
  CreditAccountPosition,
  DebtAmountJson,
  HealthValues,
  HealthValuesJson,
  HlsAssetTypeJson,
  HlsParamsJson,
  HlsRisk,
  InterestRateModelJson,
  LiquidationBonusJson,
  LiquidationBonusParams,
  LiquidationHealth,
  MarketJson,
  MarketSnapshot,
  MarketState,
  MarketV2Json,
  PerpsPnl,
  PositionsJson,
  PriceJson,
  PriceTable,
  RedBankPosition,
  ScaledCollateral,
  ScaledDebt,
  UserCollateralJson,
  UserDebtJson,
  UserHealthStatusJson,
  UserPositionJson,
  VaultPositionJson,
} from "./types.js";
export {
  assetRiskFromJson,
  creditAccountFromJson,
  healthValuesFromJson,
  healthValuesFromUserPosition,
  marketStateFromJson,
  priceTableFromJson,
  redBankPositionFromJson,
} from "./from-json.js";
export { createRiskSnapshot, missingDenomData } from "./risk-snapshot.js";
export type { DenomFactors, RiskSnapshot, RiskSnapshotInput } from "./risk-snapshot.js";
export { createHealthValues, setHealthTotals } from "./health-values.js";
export { redBankHealth } from "./red-bank-health.js";
export { creditAccountHealth, debtSharesToAmount } from "./credit-account-health.js";
export {
  assertLiquidationProfitable,
  collateralizationRatio,
  isLiquidationProfitable,
  liquidationAmounts,
  liquidationBonus,
  sendAmountWithBuffer,
} from "./liquidation.js";
export type { LiquidationAmounts, LiquidationInput, LiquidationRules } from "./liquidation.js";
export { bestCreditAccountLiquidation, bestLiquidation } from "./best-liquidation.js";
export type { BestLiquidationOptions, LiquidationOption, LiquidationRequestKind } from "./best-liquidation.js";
