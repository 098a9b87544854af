import { ONE, dec, decDiv, decMul, decStr } from "../../math/decimal.js";
import { asObject, denyUnknownFields, reqDecimal } from "../mars-core/msg-fields.js";
import { ContractError } from "../host.js";

/**
 * The Red Bank interest rate model (spec §2.2 `interest_rate_model`, §2.3 rates), stored in every
 * `Market` ([OSMO] set by the owner's `init_asset`/`update_asset`; [NTRN] pushed by params'
 * `update_asset_params`). Decimals are 18-digit atomics.
 */
export interface InterestRateModel {
  optimalUtilizationRate: bigint;
  base: bigint;
  slope1: bigint;
  slope2: bigint;
}

/** Its JSON form, field order as `cw_serde` writes it. */
export interface InterestRateModelJson {
  optimal_utilization_rate: string;
  base: string;
  slope_1: string;
  slope_2: string;
}

const IRM_TYPE = "mars_types::red_bank::interest_rate_model::InterestRateModel";
const IRM_FIELDS = ["optimal_utilization_rate", "base", "slope_1", "slope_2"] as const;

/** Parses an IRM from a message (deny unknown fields, Decimals). */
export function parseIrm(value: unknown): InterestRateModel {
  const m = asObject(IRM_TYPE, value);
  denyUnknownFields(IRM_TYPE, m, IRM_FIELDS);
  return {
    optimalUtilizationRate: reqDecimal(IRM_TYPE, m, "optimal_utilization_rate"),
    base: reqDecimal(IRM_TYPE, m, "base"),
    slope1: reqDecimal(IRM_TYPE, m, "slope_1"),
    slope2: reqDecimal(IRM_TYPE, m, "slope_2"),
  };
}

/** The JSON form with trimmed Decimals (spec §1). */
export function irmToJson(irm: InterestRateModel): InterestRateModelJson {
  return {
    optimal_utilization_rate: decStr(irm.optimalUtilizationRate),
    base: decStr(irm.base),
    slope_1: decStr(irm.slope1),
    slope_2: decStr(irm.slope2),
  };
}

/** The JSON form back to atomics (stored values are known to be valid). */
export function irmFromJson(j: InterestRateModelJson): InterestRateModel {
  return {
    optimalUtilizationRate: dec(j.optimal_utilization_rate),
    base: dec(j.base),
    slope1: dec(j.slope_1),
    slope2: dec(j.slope_2),
  };
}

/**
 * `InterestRateModel::validate`: `optimal_utilization_rate ≤ 1`. The real contract also demands
 * `slope_1 < slope_2`; the devnet does not, because the conformance check (and the worked
 * examples) install a zero-rate model `{slope_1: 0, slope_2: 0}`.
 */
export function validateIrm(irm: InterestRateModel): void {
  if (irm.optimalUtilizationRate > ONE) {
    throw new ContractError(`Invalid param: optimal_utilization_rate is ${decStr(irm.optimalUtilizationRate)}, but it should be <= 1`);
  }
}

/**
 * Borrow rate at utilization `u` (spec §2.3): `base` at U = 0, `base + slope_1·U/U_opt` up to
 * `U_opt`, then `base + slope_1 + slope_2·(U − U_opt)/(1 − U_opt)`; Decimal math, floor.
 */
export function borrowRate(irm: InterestRateModel, u: bigint): bigint {
  if (u <= irm.optimalUtilizationRate) {
    if (u === 0n) return irm.base;
    return irm.base + decMul(irm.slope1, decDiv(u, irm.optimalUtilizationRate));
  }
  return irm.base + irm.slope1 + decDiv(decMul(irm.slope2, u - irm.optimalUtilizationRate), ONE - irm.optimalUtilizationRate);
}

/** `liquidity_rate = borrow_rate · U · (1 − reserve_factor)`, each product floored. */
export function liquidityRate(borrow: bigint, u: bigint, reserveFactor: bigint): bigint {
  return decMul(decMul(borrow, u), ONE - reserveFactor);
}
