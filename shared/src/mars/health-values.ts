/**
 * The shared tail of both health computations (spec §2.4, §6.4): health factors from the four totals.
 * `ratio` floors; a position without debt has no health factor and is neither liquidatable nor above
 * max LTV (`Health::compute_health`, `HealthComputer::compute_health`).
 */
import { DECIMAL_ONE } from "./decimal.js";
import type { HealthValues } from "./types.js";

/** A zeroed `HealthValues` (spec §2.4, §6.4) to reuse as the `out` argument of the health functions (no allocation per evaluation). */
export function createHealthValues(): HealthValues {
  return {
    totalCollateralValue: 0n,
    totalDebtValue: 0n,
    maxLtvAdjustedCollateral: 0n,
    liquidationThresholdAdjustedCollateral: 0n,
    maxLtvHealthFactor: null,
    liquidationHealthFactor: null,
    liquidatable: false,
    aboveMaxLtv: false,
  };
}

/**
 * Writes the totals (uusd) into `out` and derives `max_ltv_hf = ratio(MAXADJ, TDV)` and
 * `liq_hf = ratio(LTADJ, TDV)` (null when TDV = 0), `liquidatable ⇔ liq_hf < 1`,
 * `above max LTV ⇔ max_ltv_hf < 1` (spec §2.4, §6.4). Returns `out`.
 */
export function setHealthTotals(out: HealthValues, collateralValue: bigint, debtValue: bigint, maxLtvAdjusted: bigint, ltAdjusted: bigint): HealthValues {
  out.totalCollateralValue = collateralValue;
  out.totalDebtValue = debtValue;
  out.maxLtvAdjustedCollateral = maxLtvAdjusted;
  out.liquidationThresholdAdjustedCollateral = ltAdjusted;
  if (debtValue === 0n) {
    out.maxLtvHealthFactor = null;
    out.liquidationHealthFactor = null;
    out.liquidatable = false;
    out.aboveMaxLtv = false;
  } else {
    const maxLtvHf = (maxLtvAdjusted * DECIMAL_ONE) / debtValue;
    const liqHf = (ltAdjusted * DECIMAL_ONE) / debtValue;
    out.maxLtvHealthFactor = maxLtvHf;
    out.liquidationHealthFactor = liqHf;
    out.liquidatable = liqHf < DECIMAL_ONE;
    out.aboveMaxLtv = maxLtvHf < DECIMAL_ONE;
  }
  return out;
}
