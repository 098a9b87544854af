/**
 * Errors of the bot's Mars math. Each has a stable `code` and carries its evidence as fields, so a
 * log line shows the numbers and callers branch on the class, never on the text. Several mirror a
 * contract error one to one (named in the doc comment) so a local "no" means the chain would say no.
 */
import { BotError } from "../errors.js";

/** A Decimal or Uint128 string (or another contract value) could not be parsed (spec §1). */
export class MarsParseError extends BotError {
  readonly input: string;
  readonly label: string;
  constructor(label: string, input: string, reason: string) {
    super("ERR_MARS_PARSE", `cannot parse ${label} ${JSON.stringify(input)}: ${reason}`);
    this.input = input;
    this.label = label;
  }
}

/** An impossible arithmetic step (division by zero, negative result) that the contract would also reject (spec §1 checked ops). */
export class MarsMathError extends BotError {
  constructor(message: string) {
    super("ERR_MARS_MATH", message);
  }
}

/** What a denom lacks in the per-block snapshot (spec §2.4, §4, §6.4). */
export type MissingDenomData = "price" | "params" | "market" | "hls params" | "close_factor";

/**
 * A denom the position touches has no price, asset params or market in the snapshot. The contract
 * fails the same query (spec §2.4 "Every denom touched must have a market, an asset_params entry and a
 * working price"; §6.4 `MissingPrice`), so the position cannot be evaluated or liquidated this block.
 */
export class MissingDenomDataError extends BotError {
  readonly denom: string;
  readonly missing: MissingDenomData;
  constructor(denom: string, missing: MissingDenomData) {
    super("ERR_MARS_MISSING_DATA", `no ${missing} for denom ${denom} in the snapshot; refresh prices/params/markets or skip the position this block`);
    this.denom = denom;
    this.missing = missing;
  }
}

/**
 * The liquidation health factor is not below 1 (or there is no debt): Red Bank
 * `CannotLiquidateHealthyPosition`, credit manager `NotLiquidatable` (spec §2.5 step 1, §6.5 step 1).
 */
export class NotLiquidatableError extends BotError {
  /** Liquidation health factor as Decimal atomics, or null when there is no debt. */
  readonly healthFactor: bigint | null;
  constructor(healthFactor: bigint | null) {
    super("ERR_NOT_LIQUIDATABLE", `position is not liquidatable: liquidation health factor ${healthFactor === null ? "none (no debt)" : `${healthFactor} atomics`} is not below 1`);
    this.healthFactor = healthFactor;
  }
}

/**
 * Exactly one of repay and seize is zero: "Can't process liquidation. Invalid
 * collateral_amount_to_liquidate (..) and debt_amount_to_repay (..)" (spec §2.5 step 5).
 */
export class InvalidLiquidationAmountsError extends BotError {
  readonly repay: bigint;
  readonly seize: bigint;
  constructor(repay: bigint, seize: bigint) {
    super("ERR_INVALID_LIQUIDATION_AMOUNTS", `Can't process liquidation. Invalid collateral_amount_to_liquidate (${seize}) and debt_amount_to_repay (${repay})`);
    this.repay = repay;
    this.seize = seize;
  }
}

/**
 * Credit manager `LiquidationNotProfitable`: the debt value repaid is not below the value the
 * liquidator receives (spec §6.5 step 4). Values are uusd base units.
 */
export class LiquidationNotProfitableError extends BotError {
  readonly debtDenom: string;
  readonly requestDenom: string;
  readonly debtValue: bigint;
  readonly requestValue: bigint;
  constructor(debtDenom: string, requestDenom: string, debtValue: bigint, requestValue: bigint) {
    super(
      "ERR_LIQUIDATION_NOT_PROFITABLE",
      `Paying down ${debtDenom} for ${requestDenom} does not result in a profit for the liquidator (debt value ${debtValue} uusd ≥ received value ${requestValue} uusd)`,
    );
    this.debtDenom = debtDenom;
    this.requestDenom = requestDenom;
    this.debtValue = debtValue;
    this.requestValue = requestValue;
  }
}

/**
 * A credit account holds positions the local math does not model (vaults, perps); evaluate it with
 * the health contract's own query instead (spec §6.4).
 */
export class UnsupportedPositionError extends BotError {
  readonly accountId: string;
  readonly feature: string;
  constructor(accountId: string, feature: string) {
    super("ERR_UNSUPPORTED_POSITION", `credit account ${accountId} holds ${feature}, which the local health math does not model; use the health contract query for it`);
    this.accountId = accountId;
    this.feature = feature;
  }
}
